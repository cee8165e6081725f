/**
 * SQL text compiled once by one store's Kysely instance and run again with fresh parameters. It
 * belongs to the store, never to the module: two stores in one process (SQLite and PostgreSQL in
 * the contract tests) compile the same query to different text.
 */
import type { CompiledQuery } from 'kysely';
import type { LeadLookup } from '../store.js';
import type { SqlFlavour } from './sql-flavour.js';

/**
 * PostgreSQL texts run as named prepared statements: parsed once per connection, and planned once
 * when a generic plan serves (store/postgres/open.ts looks texts up here). Only hot statements whose
 * result columns are listed, never `*`: a column added by a later migration would otherwise make
 * PostgreSQL refuse the prepared statement ("cached plan must not change result type"). Keyed by
 * text, so shared by every store of the process: a text means the same statement on any of them.
 */
const preparedNames = new Map<string, string>();

/** The prepared statement name of a text, if it is one. */
export function preparedName(text: string): string | undefined {
  return preparedNames.get(text);
}

export class CompiledSql {
  /** The dialect the texts are compiled for: batched writes take a different form per dialect. */
  constructor(readonly flavour: SqlFlavour) {}

  /** findLeads' text per lookup kind: every column of the lead. */
  readonly findLeads = new Map<LeadLookup['by'], string>();
  /** findStoredLeads' text per lookup kind: the columns of a PagedLead. */
  readonly findStoredLeads = new Map<LeadLookup['by'], string>();
  /** Runs `text` as a named prepared statement on PostgreSQL (nothing on SQLite, which prepares every text). */
  prepare(name: string, text: string): void {
    if (this.flavour === 'postgres') preparedNames.set(text, `mktows_${name}`);
  }

  /** Batched statements by shape (store/sql/lead-batch.ts). */
  private readonly byShape = new Map<string, string>();

  /**
   * The text of a statement shape, built and checked the first time; with `prepare`, PostgreSQL
   * keeps it prepared per connection (see preparedNames).
   */
  shape(shape: string, params: number, build: () => CompiledQuery, prepare = false): string {
    let text = this.byShape.get(shape);
    if (text === undefined) {
      const q = build();
      // The parameters are bound by position: the compiled text must take exactly those given.
      if (q.parameters.length !== params) {
        throw new Error(`${shape}: compiled with ${q.parameters.length} parameters, ${params} expected`);
      }
      text = q.sql;
      this.byShape.set(shape, text);
      if (prepare) this.prepare(shape, text);
    }
    return text;
  }
}
