/**
 * Several replicas as users run them: real `mktows serve` processes on ONE PostgreSQL database and
 * ONE Redis namespace, clients spread over them. What one replica writes or is told (a lead, a
 * user, a fault rule) every other one answers with; concurrent writes over the replicas are all
 * readable from each of them. Runs when MKTOWS_TEST_STORE names postgres and MKTOWS_TEST_LIMITS is
 * redis (.ci/run does).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getLeadByEmail, waitFor } from './support/fault-helpers.js';
import { syncLeadBody, syncMultipleBody } from './support/leads.js';
import { deleteKeys, LIMITS_BACKEND, randomNamespace, TEST_REDIS_URL } from './support/limits-backends.js';
import { admin, callCode, callReplica, type Replica, startReplica } from './support/replicas.js';
import { createTestDatabase, postgresWanted, type TestDatabase } from './support/test-database.js';

const skip =
  !(postgresWanted() && LIMITS_BACKEND === 'redis') &&
  'set MKTOWS_TEST_STORE=postgres and MKTOWS_TEST_LIMITS=redis to run replicas on PostgreSQL and Redis';
const NAMESPACE = randomNamespace();
const LIMITS_URL = `${TEST_REDIS_URL}?namespace=${NAMESPACE}`;
/** The operator state's refresh bound (docs/backends.md: 500 ms plus one read) with slack for a busy machine. */
const STATE_BOUND_MS = 2_000;
/** The shared journal's bound (README: another replica's calls show within 250 ms) with slack for a busy machine. */
const JOURNAL_BOUND_MS = 1_000;
/** Each replica's --replica-id. */
const NAMES = ['replica-a', 'replica-b', 'replica-c'];

describe('replicas on one PostgreSQL database and one Redis', { skip, timeout: 90_000 }, () => {
  let db: TestDatabase;
  let replicas: Replica[] = [];
  let user = { userId: '', key: '' };

  before(async () => {
    db = await createTestDatabase();
    // The first replica migrates and seeds the new database; the others find it seeded.
    const args = ['--store', db.url, '--seed', 'demo', '--limits', LIMITS_URL];
    replicas = [await startReplica([...args, '--replica-id', NAMES[0]])];
    replicas.push(...(await Promise.all(NAMES.slice(1).map((name) => startReplica([...args, '--replica-id', name])))));
    // One user, added through ONE replica only: the others learn it from the shared store.
    user = { userId: `replicas_pg_${process.pid}`, key: `key-for-replicas-pg-${process.pid}-0123` };
    // Concurrency 25 and a window of 1000: the concurrent calls below are about the store, not the limits.
    await admin(replicas[0], 'POST', '/_mktows/users', {
      userId: user.userId,
      encryptionKey: user.key,
      concurrency: 25,
      ratePerWindow: 1000,
    });
  });

  after(async () => {
    for (const r of replicas) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await deleteKeys(`mktows:${NAMESPACE}:`);
    await db?.drop();
  });

  test('every replica reports store "postgres" and limits "redis"', async () => {
    for (const r of replicas) {
      const h = await admin(r, 'GET', '/_mktows/health');
      assert.deepEqual([h.store, h.limits], ['postgres', 'redis']);
    }
  });

  test('a user added on one replica authenticates on every other within the state bound', async () => {
    for (const r of replicas.slice(1)) {
      await waitFor(`the user on ${r.base}`, async () => (await callCode(r, user)) === 0, STATE_BOUND_MS);
    }
    const listed = (await admin(replicas[2], 'GET', '/_mktows/users')).users as { userId: string; source: string }[];
    assert.deepEqual(
      listed.filter((u) => u.userId === user.userId).map((u) => u.source),
      ['admin'],
    );
  });

  test('a lead written on one replica is read on the others at once', async () => {
    const email = `written.on.one.${process.pid}@example.com`;
    assert.equal(await callCode(replicas[0], user, syncLeadBody({ Email: email, attrs: { FirstName: 'One' } })), 0);
    for (const r of replicas.slice(1)) assert.equal(await callCode(r, user, getLeadByEmail(email)), 0);
  });

  test('a count rule made on one replica fires exactly count times over all of them', async () => {
    await admin(replicas[1], 'POST', '/_mktows/faults', {
      operation: 'getLead',
      code: 20011,
      count: 4,
      userId: user.userId,
    });
    // Every replica has the rule before the calls start, so none can miss it by refreshing late.
    for (const r of replicas) {
      await waitFor(
        `the rule on ${r.base}`,
        async () => ((await admin(r, 'GET', '/_mktows/faults')).rules as unknown[]).length === 1,
        STATE_BOUND_MS,
      );
    }
    const codes = await Promise.all(Array.from({ length: 15 }, (_, i) => callCode(replicas[i % 3], user)));
    assert.equal(codes.filter((c) => c === 20011).length, 4, `codes ${codes.join(',')}`);
    assert.equal(codes.filter((c) => c === 0).length, 11, `codes ${codes.join(',')}`);
    await admin(replicas[0], 'DELETE', '/_mktows/faults');
  });

  /** The Ids of every lead with this e-mail (getLead by EMAIL returns each duplicate), as replica r reads them. */
  async function leadIdsByEmail(r: Replica, email: string): Promise<string[]> {
    const { status, text } = await callReplica(r, user, getLeadByEmail(email));
    assert.equal(status, 200, text);
    return [...text.matchAll(/<leadRecord><Id>(\d+)<\/Id>/g)].map((m) => m[1]);
  }

  test('20 concurrent syncLeads of one new e-mail over the replicas make exactly one lead', async () => {
    const email = `Same.New.${process.pid}@Example.com`;
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        callCode(
          replicas[i % 3],
          user,
          // Case differs between calls: e-mails match case-insensitively.
          syncLeadBody({ Email: i % 2 ? email : email.toLowerCase(), attrs: { FirstName: `F${i}` } }),
        ),
      ),
    );
    assert.deepEqual(codes, new Array(20).fill(0));
    for (const r of replicas) assert.equal((await leadIdsByEmail(r, email)).length, 1, `leads on ${r.base}`);
  });

  test('concurrent syncMultipleLeads with overlapping new e-mails over the replicas make one lead per e-mail', async () => {
    const emails = Array.from({ length: 6 }, (_, i) => `overlap.${i}.${process.pid}@example.com`);
    // Batch b holds e-mails b..b+3 in a different order from its neighbours: every pair of batches overlaps.
    const batches = Array.from({ length: 9 }, (_, b) => {
      const mine = [0, 1, 2, 3].map((k) => emails[(b + k) % emails.length]);
      return (b % 2 ? mine.reverse() : mine).map((Email, k) => ({ Email, attrs: { LastName: `B${b}K${k}` } }));
    });
    const results = await Promise.all(
      batches.map((records, b) => callReplica(replicas[b % 3], user, syncMultipleBody(records))),
    );
    for (const r of results) {
      assert.equal(r.status, 200, r.text);
      assert.equal([...r.text.matchAll(/<status>(CREATED|UPDATED)<\/status>/g)].length, 4, r.text);
    }
    for (const email of emails) {
      const ids = await leadIdsByEmail(replicas[0], email);
      assert.equal(ids.length, 1, `leads with ${email}: ${ids.join(',')}`);
    }
  });

  test('20 concurrent syncLeads over the replicas are all readable from every replica', async () => {
    const emails = Array.from({ length: 20 }, (_, i) => `concurrent.${i}.${process.pid}@example.com`);
    const written = await Promise.all(
      emails.map((email, i) =>
        callCode(replicas[i % 3], user, syncLeadBody({ Email: email, attrs: { LastName: `L${i}` } })),
      ),
    );
    assert.deepEqual(written, new Array(20).fill(0));
    for (const r of replicas) {
      const read = await Promise.all(emails.map((email) => callCode(r, user, getLeadByEmail(email))));
      assert.deepEqual(read, new Array(20).fill(0), `reads on ${r.base}`);
    }
  });
  test('every replica’s journal shows the calls of all three, each with the replica that served it', async () => {
    const marker = `journal.${process.pid}`;
    // Three calls on each replica, each naming in its request the replica it is sent to.
    const sent = NAMES.flatMap((name, r) => [0, 1, 2].map((k) => ({ r, email: `${marker}.${name}.${k}@example.com` })));
    const codes = await Promise.all(sent.map(({ r, email }) => callCode(replicas[r], user, getLeadByEmail(email))));
    assert.deepEqual(codes, new Array(9).fill(20103));
    type Entry = { replica: string; request: string; operation: string; faultCode: number | null };
    const ours = async (r: Replica) =>
      ((await admin(r, 'GET', '/_mktows/journal?limit=1000')).entries as Entry[]).filter((e) =>
        e.request.includes(marker),
      );
    for (const r of replicas) {
      await waitFor(
        `the 9 calls in the journal of ${r.base}`,
        async () => (await ours(r)).length === 9,
        JOURNAL_BOUND_MS,
      );
      const entries = await ours(r);
      assert.deepEqual(
        entries
          .map((e) => [
            e.replica,
            /<keyValue>[^<]*\.(replica-[abc])\.\d@/.exec(e.request)?.[1],
            e.operation,
            e.faultCode,
          ])
          .sort(),
        sent.map(({ r: i }) => [NAMES[i], NAMES[i], 'getLead', 20103]).sort(),
      );
      for (const e of entries) assert.match(e.request, /<requestSignature>\*{8}<\/requestSignature>/);
      // The filters work on the shared journal too.
      const byCode = (await admin(r, 'GET', '/_mktows/journal?code=20103&operation=getLead&limit=3'))
        .entries as Entry[];
      assert.equal(byCode.length, 3);
    }
  });

  test('a reset on one replica clears the journal of every replica', async () => {
    await admin(replicas[1], 'POST', '/_mktows/reset');
    for (const r of replicas) assert.deepEqual((await admin(r, 'GET', '/_mktows/journal')).entries, [], r.base);
  });
});
