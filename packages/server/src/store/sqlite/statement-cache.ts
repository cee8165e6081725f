/**
 * The database as Kysely sees it: prepared statements reused by SQL text, and every driver error
 * turned into the store's failure type where it is raised (driver-errors.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { fromDriverError } from './driver-errors.js';

/** Distinct SQL texts kept prepared; queries with variable-length IN lists make the rest. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * A statement whose runs throw the store's failure type. Built once per prepared statement and
 * cached with it, so a run costs a call and a try block, nothing allocated.
 */
function guarded(stmt: BetterSqlite3.Statement): SqliteStatement {
  return {
    reader: stmt.reader,
    all(parameters) {
      try {
        return stmt.all(parameters);
      } catch (e) {
        throw fromDriverError(e);
      }
    },
    run(parameters) {
      try {
        return stmt.run(parameters);
      } catch (e) {
        throw fromDriverError(e);
      }
    },
    *iterate(parameters) {
      try {
        yield* stmt.iterate(parameters);
      } catch (e) {
        throw fromDriverError(e);
      }
    },
  };
}

/**
 * Kysely's driver prepares every query anew, and preparing costs more than running an indexed
 * lookup (bench/). Reuse is safe: the driver runs one query at a time on its single connection (a
 * streamed query holds the connection until it ends), and SQLite re-prepares a statement after a
 * schema change.
 */
export function withStatementCache(db: BetterSqlite3.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      try {
        db.close();
      } catch (e) {
        throw fromDriverError(e);
      }
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt === undefined) {
        try {
          stmt = guarded(db.prepare(sql));
        } catch (e) {
          throw fromDriverError(e);
        }
        // Oldest first out: Map iterates in insertion order.
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}
