/**
 * What the PHP SoapClient tests share: where their scripts are, whether php with ext-soap is
 * installed, and the skip rule (skipped with a message on a user's machine, a failure in CI).
 */
import { spawnSync } from 'node:child_process';
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
