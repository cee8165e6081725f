/**
 * What the asset API and the lead database's campaigns read of programs: every program (the same
 * rows SOAP getMObjects and getCampaignsForSource read), by id, and the Marketing Activities folder
 * tree their paths make.
 */
import type { Program } from '../../store/mobject-store.js';
import type { Store } from '../../store/store.js';

export interface FolderNode {
  id: number;
  name: string;
  /** `/Marketing Activities/Default/Demo` */
  path: string;
  parentId: number | null;
  workspace: string;
  /** The earliest creation and latest update of the programs under it. */
  createdAt: number;
  updatedAt: number;
}

export interface Catalog {
  programs: Program[];
  programById: Map<number, Program>;
  folders: FolderNode[];
  folderById: Map<number, FolderNode>;
  folderByPath: Map<string, FolderNode>;
}

const PAGE = 500;

/**
 * The folder a program sits in: its tree path without its own last segment (a clone keeps its
 * source's path, so the clone sits beside it, as Marketo puts a clone under the same parent); a
 * program without a path sits in its workspace's Marketing Activities folder.
 */
export function programFolderPath(p: Program): string {
  const segments = (p.treePath ?? '').split('/').filter((s) => s !== '');
  if (segments.length < 2) return `/Marketing Activities/${p.workspaceName}`;
  return `/${segments.slice(0, -1).join('/')}`;
}

/**
 * Folder ids are given in order of first appearance, walking programs by id and each path from its
 * root: a folder keeps its id as programs are added (programs are never deleted here).
 */
function folderTree(programs: readonly Program[]): FolderNode[] {
  const byPath = new Map<string, FolderNode>();
  for (const p of programs) {
    const segments = programFolderPath(p)
      .split('/')
      .filter((s) => s !== '');
    let parent: FolderNode | undefined;
    for (let i = 0; i < segments.length; i++) {
      const path = `/${segments.slice(0, i + 1).join('/')}`;
      let node = byPath.get(path);
      if (!node) {
        node = {
          id: byPath.size + 1,
          name: segments[i],
          path,
          parentId: parent?.id ?? null,
          workspace: p.workspaceName,
          createdAt: p.createdAt,
          updatedAt: p.updatedAt,
        };
        byPath.set(path, node);
      }
      node.createdAt = Math.min(node.createdAt, p.createdAt);
      node.updatedAt = Math.max(node.updatedAt, p.updatedAt);
      parent = node;
    }
  }
  return [...byPath.values()];
}

export async function loadCatalog(store: Store): Promise<Catalog> {
  const programs: Program[] = [];
  for (let after = 0; ; ) {
    const batch = await store.mobjects.scanPrograms(after, PAGE);
    programs.push(...batch);
    if (batch.length < PAGE) break;
    after = batch[batch.length - 1].id;
  }
  const folders = folderTree(programs);
  return {
    programs,
    programById: new Map(programs.map((p) => [p.id, p])),
    folders,
    folderById: new Map(folders.map((f) => [f.id, f])),
    folderByPath: new Map(folders.map((f) => [f.path, f])),
  };
}
