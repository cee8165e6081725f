/**
 * What `npm pack` would publish for each package: no tests, no build info; README and LICENSE;
 * every main, types, bin and exports target; source maps whose sources are shipped too; README
 * links that resolve inside the package (relative) or on the registry; repository and keywords.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

interface Manifest {
  name: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  exports?: Record<string, Record<string, string>>;
  repository?: { type: string; url: string; directory: string };
  keywords?: string[];
}

/** Every file a package.json names as an entry point. */
function entryPoints(m: Manifest): string[] {
  const out: string[] = [];
  if (m.main) out.push(m.main);
  if (m.types) out.push(m.types);
  for (const b of Object.values(m.bin ?? {})) out.push(b);
  for (const conditions of Object.values(m.exports ?? {})) out.push(...Object.values(conditions));
  return out.map((p) => normalize(p));
}

for (const pkg of ['protocol', 'client', 'server']) {
  describe(`npm pack of packages/${pkg}`, () => {
    const dir = join(ROOT, 'packages', pkg);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    let files: Set<string>;

    test('the file list has no tests or build info, and has README, LICENSE and every entry point', async () => {
      const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: dir });
      const [packed] = JSON.parse(stdout) as [{ name: string; files: { path: string }[] }];
      assert.equal(packed.name, manifest.name);
      files = new Set(packed.files.map((f) => normalize(f.path)));
      const unwanted = [...files].filter(
        (f) => /(^|\/)test\//.test(f) || f.endsWith('.tsbuildinfo') || /\.test\.(js|ts|d\.ts)(\.map)?$/.test(f),
      );
      assert.deepEqual(unwanted, []);
      for (const f of ['README.md', 'LICENSE', 'package.json']) assert.ok(files.has(f), `${f} is packed`);
      const missing = entryPoints(manifest).filter((f) => !files.has(f));
      assert.deepEqual(missing, []);
      assert.ok(entryPoints(manifest).length >= 2);
    });

    test('every source map points at sources that are packed', () => {
      const maps = [...files].filter((f) => f.endsWith('.map'));
      assert.ok(maps.length > 0, 'the compiled code has source maps');
      const dangling: string[] = [];
      for (const map of maps) {
        const { sources } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[] };
        for (const s of sources) {
          const target = normalize(join(dirname(map), s));
          if (!files.has(target)) dangling.push(`${map} → ${target}`);
        }
      }
      assert.deepEqual(dangling, []);
    });

    test('README links resolve inside the package or point at the registry', () => {
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      const broken = links.filter((l) => {
        if (/^https?:\/\//.test(l)) return !l.startsWith('https://www.npmjs.com/package/');
        if (l.startsWith('#')) return false;
        return !files.has(normalize(l.split('#')[0]));
      });
      assert.deepEqual(broken, []);
    });

    test('package.json names the repository and keywords', () => {
      assert.equal(manifest.repository?.type, 'git');
      assert.match(manifest.repository?.url ?? '', /^git\+https:\/\/.+\.git$/);
      assert.equal(manifest.repository?.directory, `packages/${pkg}`);
      assert.ok((manifest.keywords ?? []).length >= 3);
      assert.ok(manifest.keywords?.includes('marketo'));
    });
  });
}
