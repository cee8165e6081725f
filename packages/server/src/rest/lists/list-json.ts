/**
 * Static lists as REST shows them. A program's list is stored under the name SOAP gives it,
 * `Program.List` (importToList, listOperation), and REST names it as Marketo does inside a program:
 * `name` is the list's own name and `programName` the program's, so `lists.json?name=Imports&
 * programName=Demo Program` finds `Demo Program.Imports`.
 */
import { RestError } from '@mktows/protocol';
import type { StaticList, StaticListInfo, Store } from '../../store/store.js';

export function restListName(list: StaticList): string {
  const prefix = list.programName === null ? '' : `${list.programName}.`;
  return prefix && list.name.startsWith(prefix) ? list.name.slice(prefix.length) : list.name;
}

/**
 * `{id, name, programName?, workspaceName}`. Decision: the store keeps no creation or update time
 * for lists, so `createdAt`/`updatedAt`, which Marketo sends, are left out rather than invented.
 */
export function listJson(list: StaticListInfo): Record<string, unknown> {
  return {
    id: list.id,
    name: restListName(list),
    ...(list.programName !== null ? { programName: list.programName } : {}),
    workspaceName: list.workspace,
  };
}

/** The `listId` path parameter: 1001 when not an integer, 1013 when no list has it. */
export async function listById(store: Store, idText: string): Promise<StaticList> {
  if (!/^\d+$/.test(idText)) throw new RestError(1001, `Invalid value '${idText}'. Required of type 'Integer'`);
  const list = await store.findList('id', Number(idText));
  if (!list) throw new RestError(1013);
  return list;
}
