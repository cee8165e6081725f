/**
 * SQL text compiled once by one store's Kysely instance and run again with fresh parameters. It
 * belongs to the store, never to the module: two stores in one process (SQLite and PostgreSQL in
 * the contract tests) compile the same query to different text.
 */
import type { CompiledQuery } from 'kysely';
import type { LeadLookup } from '../store.js';
import type { SqlFlavour } from './sql-flavour.js';

export class CompiledSql {
  /** The dialect the texts are compiled for: batched writes take a different form per dialect. */
  constructor(readonly flavour: SqlFlavour) {}

  /** findLeads' text per lookup kind: every column of the lead. */
  readonly findLeads = new Map<LeadLookup['by'], string>();
  /** findStoredLeads' text per lookup kind: the columns of a PagedLead. */
  readonly findStoredLeads = new Map<LeadLookup['by'], string>();
  /** Batched statements by shape (store/sql/lead-batch.ts). */
  private readonly byShape = new Map<string, string>();

  /** The text of a statement shape, built and checked the first time. */
  shape(shape: string, params: number, build: () => CompiledQuery): string {
    let text = this.byShape.get(shape);
    if (text === undefined) {
      const q = build();
      // The parameters are bound by position: the compiled text must take exactly those given.
      if (q.parameters.length !== params) {
        throw new Error(`${shape}: compiled with ${q.parameters.length} parameters, ${params} expected`);
      }
      text = q.sql;
      this.byShape.set(shape, text);
    }
    return text;
  }
}
