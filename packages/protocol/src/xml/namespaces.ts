/**
 * Namespace scopes. While parsing, prefixes resolve through one table that a declaring element
 * changes at its start tag and restores at its end tag: O(1) whatever the nesting. Each element
 * keeps an NsScope for QNames read after the parse (xsi:type values).
 */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * The namespace declarations of one element (`prefix, uri, prefix, uri…`, '' = the default
 * namespace), linked to the nearest enclosing element that declares any. Elements that declare
 * nothing share their parent's scope, so a chain is as long as the declaring ancestors (at most
 * XmlLimits.maxDepth).
 */
export interface NsScope {
  readonly parent: NsScope | undefined;
  readonly decls: readonly string[];
}

export const ROOT_SCOPE: NsScope = { parent: undefined, decls: ['xml', XML_NS, 'xmlns', XMLNS_NS] };

/** Resolves a prefix ('' = default namespace) in a scope; undefined when unbound. */
export function lookupNamespace(scope: NsScope, prefix: string): string | undefined {
  for (let s: NsScope | undefined = scope; s !== undefined; s = s.parent) {
    const d = s.decls;
    for (let i = 0; i < d.length; i += 2) if (d[i] === prefix) return d[i + 1];
  }
  return undefined;
}

/** The prefixes in scope at the parser's position. */
export class Bindings {
  private readonly table = new Map<string, string>([
    ['xml', XML_NS],
    ['xmlns', XMLNS_NS],
  ]);
  /** `prefix, previous URI` (undefined when it was unbound) for each binding open elements made. */
  private readonly undo: (string | undefined)[] = [];

  /** Where the undo log stands: restore(mark) takes back every binding made since. */
  get mark(): number {
    return this.undo.length;
  }

  lookup(prefix: string): string | undefined {
    return this.table.get(prefix);
  }

  bind(prefix: string, uri: string): void {
    this.undo.push(prefix, this.table.get(prefix));
    this.table.set(prefix, uri);
  }

  restore(mark: number): void {
    const undo = this.undo;
    while (undo.length > mark) {
      const previous = undo.pop();
      const prefix = undo.pop() as string;
      if (previous === undefined) this.table.delete(prefix);
      else this.table.set(prefix, previous);
    }
  }
}
