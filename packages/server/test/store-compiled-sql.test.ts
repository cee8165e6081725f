/**
 * Compiled SQL is kept per store, never per module: two stores in one process whose dialects
 * compile the same query to different text (SQLite and PostgreSQL in the contract tests) each run
 * their own. Here the second store's compiler marks every query it compiles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import {
  type CompiledQuery,
  Kysely,
  type QueryCompiler,
  type RootOperationNode,
  SqliteDialect,
  SqliteQueryCompiler,
} from 'kysely';
import { CompiledSql, preparedName } from '../src/store/sql/compiled-sql.js';
import type { Database } from '../src/store/sql/schema.js';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { openSqliteStore } from '../src/store/sqlite/open.js';
import { withStatementCache } from '../src/store/sqlite/statement-cache.js';
import type { NewActivity, Store } from '../src/store/store.js';
import { newLead } from './support/new-lead.js';

const MARK = '/* marked */';

class MarkingCompiler extends SqliteQueryCompiler {
  override compileQuery(node: RootOperationNode, queryId: Parameters<QueryCompiler['compileQuery']>[1]): CompiledQuery {
    const q = super.compileQuery(node, queryId);
    return { ...q, sql: `${q.sql} ${MARK}` };
  }
}

class MarkingDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new MarkingCompiler();
  }
}

/** A store over a marking dialect, and every SQL text its database was asked to prepare. */
async function markedStore(): Promise<{ store: Store; prepared: string[] }> {
  const prepared: string[] = [];
  const db = withStatementCache(new BetterSqlite3(':memory:'));
  const spy = {
    close: () => db.close(),
    prepare: (sql: string) => {
      prepared.push(sql);
      return db.prepare(sql);
    },
  };
  const store = new SqlStore('sqlite', new Kysely<Database>({ dialect: new MarkingDialect({ database: spy }) }));
  await store.migrate();
  return { store, prepared };
}

const LEAD = newLead();

function activity(leadId: number): NewActivity {
  return {
    leadId,
    typeId: 12,
    typeName: 'New Lead',
    occurredAt: 1_000,
    assetName: null,
    campaign: null,
    attributes: [],
  };
}

/** The lookups and batched writes whose compiled text a store keeps. */
async function exercise(store: Store): Promise<void> {
  const [id] = await store.transaction(async (tx) => {
    const ids = await tx.insertLeads([LEAD]);
    await tx.updateLeads([{ ...LEAD, id: ids[0] }]);
    await tx.findLeadsByKeys('EMAIL', [LEAD.email as string]);
    await tx.appendActivities([activity(ids[0])]);
    return ids;
  });
  assert.equal((await store.findLeads({ by: 'IDNUM', value: id })).length, 1);
  assert.equal((await store.findStoredLeads({ by: 'EMAIL', value: 'ADA@example.com' })).length, 1);
}

describe('compiled SQL belongs to its store', () => {
  let plain: Store;
  let marked: Awaited<ReturnType<typeof markedStore>>;
  before(async () => {
    plain = await openSqliteStore(':memory:');
    marked = await markedStore();
  });
  after(async () => {
    await plain.close();
    await marked.store.close();
  });

  test('a second store compiles its own lookups and batch statements', async () => {
    // The plain store compiles (and would cache) every text first.
    await exercise(plain);
    marked.prepared.length = 0;
    await exercise(marked.store);
    const leadQueries = marked.prepared.filter((s) => /\b(leads|activities)\b/.test(s));
    // insertLeads, updateLeads, findLeadsByKeys, appendActivities, findLeads, findStoredLeads.
    assert.ok(leadQueries.length >= 6, `expected the lead statements, got ${leadQueries.join('\n')}`);
    for (const sql of leadQueries) assert.ok(sql.endsWith(MARK), `run with another store's text: ${sql}`);
  });
});

test('hot statements are named prepared statements on PostgreSQL only', () => {
  const build = (text: string) => () => ({ sql: text, parameters: [] }) as unknown as CompiledQuery;
  const pgSql = new CompiledSql('postgres');
  const pgText = pgSql.shape('prepared-probe', 0, build('select 1 /* prepared-probe pg */'), true);
  assert.equal(preparedName(pgText), 'mktows_prepared-probe');
  const plain = pgSql.shape('plain-probe', 0, build('select 1 /* plain-probe pg */'));
  assert.equal(preparedName(plain), undefined);
  const liteText = new CompiledSql('sqlite').shape(
    'prepared-probe',
    0,
    build('select 1 /* prepared-probe sqlite */'),
    true,
  );
  assert.equal(preparedName(liteText), undefined);
});
