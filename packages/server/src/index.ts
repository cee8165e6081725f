/**
 * The package's public entry: `import { startServer } from 'mktows'` starts the same server
 * `mktows serve` runs, inside the caller's process (tests), and hands back its URLs, a typed
 * caller of the admin API, and close().
 */
import type { ServerConfig, UserConfig } from './config.js';
import type { SeedDocument } from './seed/seed-document.js';
import { type RunningServer, startServer as startInternal } from './server.js';

export { DEFAULT_CONFIG, DEMO_USER } from './config.js';
export type { SeedSummary } from './seed/seed.js';
export { VERSION } from './version.js';
export type { SeedDocument, ServerConfig, UserConfig };

/** Every setting of ServerConfig is optional; the defaults differ from the CLI's where tests want them to. */
export interface StartOptions extends Partial<Omit<ServerConfig, 'seed' | 'users'>> {
  /** Default 0: a free port. */
  port?: number;
  /** Default `sqlite::memory:`: nothing written to disk. */
  store?: string;
  /** `demo` (default), `none`, the path of a seed JSON file, or a seed document (docs/seed-format.md). */
  seed?: 'demo' | 'none' | string | SeedDocument;
  /** SOAP users; default the demo user. */
  users?: UserConfig[];
  /** Default `silent`: a test run's output stays its own. */
  logLevel?: ServerConfig['logLevel'];
}

/** A failed admin call: the HTTP status and the server's error message. */
export class AdminApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    const detail =
      body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error) : String(body);
    super(`${method} ${path} answered ${status}: ${detail}`);
    this.name = 'AdminApiError';
  }
}

export interface MktowsServer {
  /** The base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The SOAP endpoint (schema 3_1); its WSDL is `${soapUrl}?WSDL`. */
  readonly soapUrl: string;
  /** The base of the REST API (Marketo's `https://<munchkin>.mktorest.com`): the server's own URL. */
  readonly restUrl: string;
  readonly port: number;
  /**
   * Calls the admin API over HTTP (`admin('POST', '/_mktows/reset', { seed: 'demo' })`) and returns
   * the parsed JSON; throws AdminApiError on a status other than 2xx.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the admin API's answers differ by route; callers read fields.
  admin<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** Lets calls in flight finish, then closes the port and the store. */
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<MktowsServer> {
  const config: Partial<ServerConfig> = {
    port: 0,
    store: 'sqlite::memory:',
    seed: 'demo',
    logLevel: 'silent',
    ...options,
  };
  const server: RunningServer = await startInternal(config);
  const token = server.runtime.config.adminToken;
  return {
    url: server.url,
    soapUrl: `${server.url}/soap/mktows/3_1`,
    restUrl: server.url,
    port: server.port,
    async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (token) headers.Authorization = `Bearer ${token}`;
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON (a route that answers text): the text itself.
      }
      if (res.status < 200 || res.status > 299) throw new AdminApiError(method, path, res.status, parsed);
      return parsed as T;
    },
    close: () => server.close(),
  };
}
