/**
 * The Store contract: one suite that every backend runs (SQLite now, PostgreSQL later), so that
 * operations can rely on the same behaviour whatever stores the data.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isBackendFailure } from '../../src/pipeline/backend-failure.js';
import type { NewLead, Store } from '../../src/store/store.js';
import { newLead } from '../support/new-lead.js';

function lead(email: string | null, extra: Partial<NewLead> = {}): NewLead {
  return newLead({ email, foreignSysPersonId: null, ...extra });
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test('a constraint violation is our bug (20011), not a backend failure (10001), and writes nothing', async () => {
      await store.reset();
      const twice = store.transaction(async (tx) => {
        await tx.insertLead(lead('one@x.example', { foreignSysPersonId: 'FSP-1' }));
        await tx.insertLead(lead('two@x.example', { foreignSysPersonId: 'FSP-1' }));
      });
      await assert.rejects(twice, (e) => e instanceof Error && !isBackendFailure(e));
      assert.equal(await store.countLeads(), 0);
    });

    test('a lead is found by every key it carries, newest first', async () => {
      await store.reset();
      const { a, b } = await store.transaction(async (tx) => {
        const owner = await tx.upsertOwner({
          email: 'Owner@X.example',
          sfdcId: '005A',
          firstName: null,
          lastName: null,
        });
        const a = await tx.insertLead(
          lead('Ada@X.example', {
            foreignSysPersonId: 'F-1',
            foreignSysType: 'CUSTOM',
            ownerId: owner.id,
            attributes: { SFDCLeadId: '00QA', SFDCContactId: '003A', SFDCAccountId: '001A', FirstName: 'Ada' },
          }),
        );
        const b = await tx.insertLead(lead('ada@x.example', { ownerId: owner.id }));
        await tx.setCookie('id:1&token:_mch-x', a.id);
        return { a, b };
      });
      assert.ok(b.id > a.id);
      const ids = async (l: Parameters<Store['findLeads']>[0]) => (await store.findLeads(l)).map((x) => x.id);
      assert.deepEqual(await ids({ by: 'IDNUM', value: a.id }), [a.id]);
      assert.deepEqual(await ids({ by: 'EMAIL', value: 'ADA@x.EXAMPLE' }), [b.id, a.id]);
      // The stored form: the same leads, attributes as their JSON text.
      const stored = await store.findStoredLeads({ by: 'EMAIL', value: 'ADA@x.EXAMPLE' });
      const full = await store.findLeads({ by: 'EMAIL', value: 'ADA@x.EXAMPLE' });
      assert.deepEqual(
        stored.map((l) => ({ ...l, attributes: JSON.parse(l.attributesJson) })),
        full.map((l) => ({
          id: l.id,
          email: l.email,
          foreignSysPersonId: l.foreignSysPersonId,
          foreignSysType: l.foreignSysType,
          attributesJson: stored.find((x) => x.id === l.id)?.attributesJson,
          attributes: l.attributes,
        })),
      );
      assert.deepEqual(
        (await store.findStoredLeads({ by: 'FSPID', value: 'F-1' })).map((l) => [l.id, l.foreignSysType]),
        [[a.id, 'CUSTOM']],
      );
      assert.deepEqual(await ids({ by: 'FSPID', value: 'F-1' }), [a.id]);
      assert.deepEqual(await ids({ by: 'COOKIE', value: 'id:1&token:_mch-x' }), [a.id]);
      assert.deepEqual(await ids({ by: 'SFDCLEADID', value: '00QA' }), [a.id]);
      assert.deepEqual(await ids({ by: 'SFDCCONTACTID', value: '003A' }), [a.id]);
      assert.deepEqual(await ids({ by: 'SFDCACCOUNTID', value: '001A' }), [a.id]);
      const owner = await store.findOwner('email', 'owner@x.example');
      assert.equal(owner?.sfdcId, '005A');
      assert.equal((await store.findOwner('sfdcId', '005A'))?.id, owner?.id);
      assert.deepEqual(await ids({ by: 'OWNER', ownerId: owner?.id ?? -1 }), [b.id, a.id]);
      assert.deepEqual(await ids({ by: 'EMAIL', value: 'nobody@x.example' }), []);
      const [got] = await store.getLeads([a.id]);
      assert.deepEqual(got.attributes, {
        SFDCLeadId: '00QA',
        SFDCContactId: '003A',
        SFDCAccountId: '001A',
        FirstName: 'Ada',
      });
      assert.equal(got.createdAt, 1_000);
    });

    test('a read outside an open transaction never sees its uncommitted writes', async () => {
      await store.reset();
      let inserted!: () => void;
      const insertedP = new Promise<void>((r) => {
        inserted = r;
      });
      let finish!: () => void;
      const finishP = new Promise<void>((r) => {
        finish = r;
      });
      const failing = store.transaction(async (tx) => {
        await tx.insertLead(lead('open@x.example'));
        inserted();
        await finishP;
        throw new Error('roll back');
      });
      await insertedP;
      // Issued while the transaction holds its insert; it may wait for the transaction, never read into it.
      const during = store.findLeads({ by: 'EMAIL', value: 'open@x.example' });
      finish();
      await assert.rejects(failing, /roll back/);
      assert.deepEqual(await during, []);

      let committed!: () => void;
      const committedP = new Promise<void>((r) => {
        committed = r;
      });
      const ok = store.transaction(async (tx) => {
        const l = await tx.insertLead(lead('open@x.example'));
        // Inside the transaction its own write is visible.
        assert.deepEqual(
          (await tx.findLeads({ by: 'EMAIL', value: 'OPEN@x.example' })).map((x) => x.id),
          [l.id],
        );
        await committedP;
        return l.id;
      });
      await new Promise((r) => setImmediate(r));
      const after = store.findLeads({ by: 'EMAIL', value: 'open@x.example' });
      committed();
      const id = await ok;
      // One connection (SQLite) makes the read wait for the commit; a pool (PostgreSQL) may run it
      // beside the transaction and see the state before. Either way nothing half-written, and a
      // read issued after the commit sees it.
      const seen = (await after).map((x) => x.id);
      assert.ok(seen.length === 0 || (seen.length === 1 && seen[0] === id), `read during commit: ${seen}`);
      assert.deepEqual(
        (await store.findLeads({ by: 'EMAIL', value: 'open@x.example' })).map((x) => x.id),
        [id],
      );
    });

    test('a transaction that throws writes nothing', async () => {
      await store.reset();
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.insertLead(lead('one@x.example'));
          await tx.insertLead(lead('two@x.example'));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.countLeads(), 0);
    });

    test('pageLeads pages by id with an exact remaining count for every filter', async () => {
      await store.reset();
      const ids = await store.transaction(async (tx) => {
        const out: number[] = [];
        for (let i = 0; i < 7; i++) out.push((await tx.insertLead(lead(`p${i}@x.example`, { updatedAt: i * 10 }))).id);
        const list = await tx.upsertList('L', null);
        await tx.addListMembers(list.id, [out[1], out[3], out[5]], 0);
        await tx.addListMembers(list.id, [out[3]], 0); // a second add is a no-op
        return out;
      });
      const list = await store.findList('name', 'L');
      assert.ok(list);
      assert.equal((await store.findList('id', list.id))?.name, 'L');
      assert.equal(await store.isListMember(list.id, ids[3]), true);
      assert.equal(await store.isListMember(list.id, ids[0]), false);
      const p1 = await store.pageLeads({ kind: 'list', listId: list.id }, 0, 2);
      assert.deepEqual(
        p1.leads.map((l) => l.id),
        [ids[1], ids[3]],
      );
      assert.equal(p1.remaining, 1);
      const p2 = await store.pageLeads({ kind: 'list', listId: list.id }, ids[3], 2);
      assert.deepEqual(
        p2.leads.map((l) => l.id),
        [ids[5]],
      );
      assert.equal(p2.remaining, 0);
      const u = await store.pageLeads({ kind: 'updated', from: 20, to: 50 }, 0, 10);
      assert.deepEqual(
        u.leads.map((l) => l.id),
        [ids[2], ids[3], ids[4], ids[5]],
      );
      const k = await store.pageLeads({ kind: 'ids', ids: [ids[6], ids[0]] }, 0, 1);
      assert.deepEqual([k.leads.map((l) => l.id), k.remaining], [[ids[0]], 1]);
      assert.deepEqual((await store.pageLeads({ kind: 'ids', ids: [] }, 0, 5)).leads, []);
    });

    test('moveLeadData moves memberships (without duplicates), activities and cookies', async () => {
      await store.reset();
      const [w, l1] = await store.transaction(async (tx) => {
        const w = await tx.insertLead(lead('w@x.example'));
        const l1 = await tx.insertLead(lead('l1@x.example'));
        const a = await tx.upsertList('A', null);
        const b = await tx.upsertList('B', 'Prog');
        await tx.addListMembers(a.id, [w.id, l1.id], 5);
        await tx.addListMembers(b.id, [l1.id], 5);
        await tx.setCookie('c1', l1.id);
        await tx.appendActivities([
          {
            leadId: l1.id,
            typeId: 12,
            typeName: 'New Lead',
            occurredAt: 1,
            assetName: null,
            campaign: null,
            attributes: [['k', 'v']],
          },
        ]);
        await tx.moveLeadData([l1.id], w.id);
        await tx.deleteLeads([l1.id]);
        return [w, l1];
      });
      const a = await store.findList('name', 'A');
      const b = await store.findList('name', 'B');
      assert.equal(b?.programName, 'Prog');
      assert.deepEqual(
        (await store.pageLeads({ kind: 'list', listId: a?.id ?? 0 }, 0, 10)).leads.map((x) => x.id),
        [w.id],
      );
      assert.deepEqual(
        (await store.pageLeads({ kind: 'list', listId: b?.id ?? 0 }, 0, 10)).leads.map((x) => x.id),
        [w.id],
      );
      assert.deepEqual(
        (await store.findLeads({ by: 'COOKIE', value: 'c1' })).map((x) => x.id),
        [w.id],
      );
      const acts = await store.listActivities(w.id);
      assert.equal(acts.length, 1);
      assert.deepEqual(acts[0].attributes, [['k', 'v']]);
      assert.match(acts[0].guid, /^[0-9a-f-]{36}$/);
      assert.deepEqual(await store.getLeads([l1.id]), []);
    });

    test('custom lead fields and meta survive; reset empties data but keeps meta', async () => {
      await store.reset();
      await store.transaction((tx) =>
        tx.upsertCustomLeadFields([
          { name: 'Shoe', displayName: 'Shoe Size', dataType: 'integer', readOnly: false, custom: true },
        ]),
      );
      await store.setMeta('k', 'v1');
      await store.setMeta('k', 'v2');
      assert.deepEqual(await store.listCustomLeadFields(), [
        { name: 'Shoe', displayName: 'Shoe Size', dataType: 'integer', readOnly: false, custom: true },
      ]);
      await store.transaction((tx) => tx.insertLead(lead('r@x.example')));
      await store.reset();
      assert.equal(await store.countLeads(), 0);
      assert.deepEqual(await store.listCustomLeadFields(), []);
      assert.equal(await store.getMeta('k'), 'v2');
      await store.ping();
    });
  });
}
