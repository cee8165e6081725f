/** Directories the operator allows the admin API to use (--seed-dir, --backup-dir), resolved once at start. */
import { realpath, stat } from 'node:fs/promises';

export class OperatorDirError extends Error {}

/** The directory as an absolute path with links resolved, so that paths are compared against it. */
export async function operatorDirectory(flag: string, dir: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (e) {
    throw new OperatorDirError(`${flag} ${dir} cannot be used: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  if (!(await stat(real)).isDirectory()) throw new OperatorDirError(`${flag} ${dir} is not a directory`);
  return real;
}
