/** Resolving `--seed` / `{ "seed": … }`: `demo`, `none`, a path, or an inline document. */
import { readFile } from 'node:fs/promises';
import { demoSeed } from './demo.js';
import { type SeedDocument, SeedError } from './seed.js';

export async function resolveSeed(seed: unknown): Promise<SeedDocument | undefined> {
  if (seed === undefined || seed === null || seed === 'none') return undefined;
  if (seed === 'demo') return demoSeed();
  if (typeof seed === 'string') {
    let text: string;
    try {
      text = await readFile(seed, 'utf8');
    } catch (e) {
      throw new SeedError(`seed file ${seed} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    try {
      return JSON.parse(text) as SeedDocument;
    } catch (e) {
      throw new SeedError(`seed file ${seed} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (typeof seed === 'object' && !Array.isArray(seed)) return seed as SeedDocument;
  throw new SeedError('seed must be "demo", "none", a file path or a seed document');
}
