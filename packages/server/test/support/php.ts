/**
 * What the PHP SoapClient tests share: where their scripts are, whether php with ext-soap is
 * installed, and the skip rule (skipped with a message on a user's machine, a failure in CI).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A script of test/php/ (from dist/test/ back to the sources: the scripts are not compiled). */
export function phpScript(name: string): string {
  return fileURLToPath(new URL(`../../../test/php/${name}`, import.meta.url));
}

function phpProblem(): string | undefined {
  const r = spawnSync('php', ['-r', 'echo extension_loaded("soap") ? "soap" : "no-soap";'], { encoding: 'utf8' });
  if (r.error) return `php is not installed (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.stdout.trim() !== 'soap') return `php ${r.stdout.trim() || r.stderr.trim()} lacks ext-soap`;
  return undefined;
}

/** Why php cannot run the tests, or undefined when it can. */
export const PHP_PROBLEM = phpProblem();
export const PHP_INSTALL = 'run packages/server/test/php/install.sh (apt-get install php-cli php-soap)';
/** The `skip` option of a PHP suite. */
export const PHP_SKIP: string | false =
  PHP_PROBLEM && !process.env.CI ? `skipped: ${PHP_PROBLEM}; ${PHP_INSTALL}` : false;

/** One JSON line a driver script prints. */
export type PhpLine = Record<string, unknown> & { step: string };

/**
 * Runs a script of test/php/ to its end (asynchronously: the server answers from this process)
 * and returns the JSON lines it printed.
 */
export async function runPhp(name: string, args: string[]): Promise<PhpLine[]> {
  const child = spawn('php', [phpScript(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill(), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  assert.equal(code, 0, `php exited with ${code}: ${stderr}\n${stdout}`);
  return stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l) as PhpLine;
      } catch {
        throw new Error(`php printed something that is not JSON: ${l}\n${stderr}`);
      }
    });
}
