/** Matching a request's method and path against the route table: path templates compiled once. */
import type { RestMethod, RestRoute } from './route.js';

interface Compiled {
  route: RestRoute;
  pattern: RegExp;
  names: string[];
}

export type RouteMatch =
  | { route: RestRoute; params: Record<string, string> }
  /** The path exists for another method. */
  | { route: undefined; methods: RestMethod[] };

function compile(route: RestRoute): Compiled {
  const names: string[] = [];
  const source = route.path
    .split(/(\{[A-Za-z]+\})/)
    .map((part) => {
      const m = /^\{([A-Za-z]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]);
      return '([^/]+)';
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

export class RestRouter {
  private readonly compiled: Compiled[];

  constructor(routes: readonly RestRoute[]) {
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) throw new Error(`REST route ${key} is registered twice`);
      seen.add(key);
    }
    // Literal paths win over templates (`/leads/describe.json` before `/leads/{id}.json`).
    this.compiled = routes.map(compile).sort((a, b) => a.names.length - b.names.length);
  }

  /** undefined when no route has this path under any method. */
  match(method: RestMethod, path: string): RouteMatch | undefined {
    const methods: RestMethod[] = [];
    for (const c of this.compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      if (c.route.method !== method) {
        methods.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1]);
      });
      return { route: c.route, params };
    }
    return methods.length ? { route: undefined, methods } : undefined;
  }

  operationIds(): string[] {
    return this.compiled.map((c) => c.route.operationId);
  }
}
