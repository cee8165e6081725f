/**
 * Resolving `--seed` / `{ "seed": … }`: `demo`, `none`, a path, or an inline document.
 *
 * The operator typed `--seed FILE`, so the CLI reads any path. The admin API reads files only from
 * `--seed-dir`: a client of the admin API must not learn what other files hold, nor which exist, so
 * every failure to find or read one there gets the same message, and no message quotes a file.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { OperatorDirError, operatorDirectory } from '../operator-dir.js';
import { demoSeed } from './demo.js';
import { type SeedDocument, SeedError } from './seed-document.js';

/** Where a seed was asked for: the command line, or the admin API (with its seed directory, if any). */
export type SeedOrigin = { via: 'cli' } | { via: 'admin'; seedDir: string | undefined };

const CLI: SeedOrigin = { via: 'cli' };

export async function resolveSeed(seed: unknown, origin: SeedOrigin = CLI): Promise<SeedDocument | undefined> {
  if (seed === undefined || seed === null || seed === 'none') return undefined;
  if (seed === 'demo') return demoSeed();
  if (typeof seed === 'string') return origin.via === 'cli' ? cliSeedFile(seed) : adminSeedFile(seed, origin.seedDir);
  if (typeof seed === 'object' && !Array.isArray(seed)) return seed as SeedDocument;
  throw new SeedError(
    origin.via === 'cli'
      ? 'seed must be "demo", "none", a file path or a seed document'
      : 'seed must be "demo", "none", a seed document, or the name of a file in --seed-dir',
  );
}

async function cliSeedFile(path: string): Promise<SeedDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SeedError(`seed file ${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return seedText(text, path);
}

async function adminSeedFile(name: string, dir: string | undefined): Promise<SeedDocument> {
  if (!dir) {
    throw new SeedError(
      'seed files are loaded through the admin API only from a directory the server was started with (--seed-dir DIR); send the seed document itself, "demo" or "none"',
    );
  }
  const refused = new SeedError(`seed file ${JSON.stringify(name)}: no readable seed file of that name in --seed-dir`);
  const inside = dir.endsWith(sep) ? dir : `${dir}${sep}`;
  let text: string;
  try {
    // realpath follows symbolic links, so a link out of the directory is refused like `..` is.
    const real = await realpath(resolve(dir, name));
    if (!real.startsWith(inside) || !(await stat(real)).isFile()) throw refused;
    text = await readFile(real, 'utf8');
  } catch {
    throw refused;
  }
  return seedText(text, name);
}

/** Parses a seed file; the message never quotes the file (JSON.parse's own message does). */
function seedText(text: string, path: string): SeedDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new SeedError(`seed file ${path} is not valid JSON`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new SeedError(`seed file ${path} must hold a JSON object (a seed document)`);
  }
  return doc as SeedDocument;
}

/** `--seed-dir` as an absolute path with links resolved, so that files are compared against it. */
export async function seedDirectory(dir: string): Promise<string> {
  try {
    return await operatorDirectory('--seed-dir', dir);
  } catch (e) {
    throw e instanceof OperatorDirError ? new SeedError(e.message) : e;
  }
}
