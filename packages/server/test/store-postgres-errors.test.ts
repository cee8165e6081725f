/**
 * The PostgreSQL backend turns `pg`'s failures into StoreUnavailableError (10001) and leaves our
 * own mistakes (constraint violations, syntax) as they are (20011); its URL carries the pool size,
 * and messages never show the password.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBackendFailure } from '../src/pipeline/backend-failure.js';
import { redactStoreUrl } from '../src/store/open.js';
import { fromConnectError, fromDriverError } from '../src/store/postgres/driver-errors.js';
import { DEFAULT_POOL_SIZE, parsePostgresUrl } from '../src/store/postgres/open.js';
import { StoreUnavailableError } from '../src/store/store.js';

function dbError(code: string): Error {
  const e = new Error(`server error ${code}`) as Error & { code: string };
  e.name = 'DatabaseError';
  e.code = code;
  return e;
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
}

const unavailable = (e: unknown) => e instanceof StoreUnavailableError && isBackendFailure(e);

describe('pg errors at the driver boundary', () => {
  test('connection loss, shutdown and resource errors are backend failures', () => {
    for (const code of ['57P01', '57P03', '08006', '08001', '53300', 'XX000']) {
      assert.ok(unavailable(fromDriverError(dbError(code))), code);
    }
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
      assert.ok(unavailable(fromDriverError(socketError(code))), code);
    }
    assert.ok(unavailable(fromDriverError(new Error('Connection terminated unexpectedly'))));
    assert.ok(
      unavailable(fromDriverError(new Error('Client has encountered a connection error and is not queryable'))),
    );
  });

  test('constraint violations and errors in our SQL pass as they are', () => {
    for (const code of ['23505', '23503', '42601', '42P01', '22P02']) {
      const e = dbError(code);
      assert.equal(fromDriverError(e), e, code);
      assert.ok(!isBackendFailure(e), code);
    }
    const bug = new TypeError('bad parameter');
    assert.equal(fromDriverError(bug), bug);
  });

  test('any failure to connect is the backend', () => {
    assert.ok(unavailable(fromConnectError(dbError('3D000'))));
    assert.ok(unavailable(fromConnectError(dbError('28P01'))));
  });
});

describe('postgres:// URLs', () => {
  test('?pool=N sizes the pool and is not passed to pg', () => {
    const t = parsePostgresUrl('postgres://u:pw@db.example:6543/mk?pool=4&sslmode=disable');
    assert.equal(t.poolSize, 4);
    assert.equal(t.where, 'db.example:6543/mk');
    assert.ok(!t.connectionString.includes('pool='));
    assert.ok(t.connectionString.includes('sslmode=disable'));
    assert.equal(parsePostgresUrl('postgres://u@h/db').poolSize, DEFAULT_POOL_SIZE);
    assert.throws(() => parsePostgresUrl('postgres://u@h/db?pool=0'), /pool/);
    assert.throws(() => parsePostgresUrl('postgres://u@h/db?pool=x'), /pool/);
  });

  test('messages never show the password', () => {
    assert.equal(redactStoreUrl('postgres://u:s3cret@h:5432/db'), 'postgres://u:***@h:5432/db');
    assert.equal(redactStoreUrl('postgres://u@h/db'), 'postgres://u@h/db');
    assert.equal(redactStoreUrl('sqlite:./x.db'), 'sqlite:./x.db');
    assert.ok(!parsePostgresUrl('postgres://u:s3cret@h/db').where.includes('s3cret'));
  });
});
