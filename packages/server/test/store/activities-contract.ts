/**
 * The Store contract for the activity log and list membership (store/activity-store.ts), run by every
 * backend beside the main contract.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { NewActivity, Store } from '../../src/store/store.js';

const act = (leadId: number, typeName: string, occurredAt: number): NewActivity => ({
  leadId,
  typeId: typeName === 'New Lead' ? 12 : 1,
  typeName,
  occurredAt,
  assetName: null,
  campaign: null,
  attributes: [['Lead ID', String(leadId)]],
});

export function activitiesContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract, activities and list members: ${name}`, () => {
    let store: Store;
    /** Lead ids a, b, c and the list holding b. */
    let a: number;
    let b: number;
    let c: number;
    let listId: number;

    before(async () => {
      store = await open();
      await store.reset();
      const lead = (email: string) => ({
        email,
        foreignSysPersonId: null,
        foreignSysType: null,
        ownerId: null,
        attributes: {},
        createdAt: 1,
        updatedAt: 1,
      });
      [a, b, c, listId] = await store.transaction(async (tx) => {
        const ids = [
          (await tx.insertLead(lead('a@x.example'))).id,
          (await tx.insertLead(lead('b@x.example'))).id,
          (await tx.insertLead(lead('c@x.example'))).id,
        ];
        const list = await tx.upsertList('L', null);
        await tx.addListMembers(list.id, [ids[1]], 1);
        // Appended out of time order: ids do not follow time.
        await tx.appendActivities([
          act(ids[0], 'New Lead', 100),
          act(ids[0], 'Visit Webpage', 50),
          act(ids[0], 'Visit Webpage', 100),
          act(ids[1], 'New Lead', 200),
          act(ids[1], 'Visit Webpage', 300),
          act(ids[2], 'New Lead', 10),
        ]);
        return [...ids, list.id];
      });
    });
    after(async () => {
      await store.close();
    });

    test("pageLeadActivities: one lead's, newest first by time then id, with filters, bounds and a cursor", async () => {
      const all = await store.pageLeadActivities({ leadId: a, limit: 10 });
      assert.deepEqual(
        all.activities.map((x) => [x.typeName, x.occurredAt]),
        [
          ['Visit Webpage', 100],
          ['New Lead', 100],
          ['Visit Webpage', 50],
        ],
      );
      assert.equal(all.remaining, 0);
      assert.match(all.activities[0].guid, /^[0-9a-f-]{36}$/);
      assert.deepEqual(all.activities[0].attributes, [['Lead ID', String(a)]]);

      const first = await store.pageLeadActivities({ leadId: a, limit: 1 });
      assert.equal(first.remaining, 2);
      const [top] = first.activities;
      const next = await store.pageLeadActivities({ leadId: a, limit: 1, before: { at: top.occurredAt, id: top.id } });
      assert.deepEqual([next.activities[0].typeName, next.remaining], ['New Lead', 1]);

      const vw = await store.pageLeadActivities({ leadId: a, include: ['Visit Webpage'], limit: 10 });
      assert.deepEqual(
        vw.activities.map((x) => x.occurredAt),
        [100, 50],
      );
      const notVw = await store.pageLeadActivities({ leadId: a, exclude: ['Visit Webpage'], limit: 10 });
      assert.deepEqual(
        notVw.activities.map((x) => x.typeName),
        ['New Lead'],
      );
      assert.equal((await store.pageLeadActivities({ leadId: a, include: [], limit: 10 })).activities.length, 0);
      const bounded = await store.pageLeadActivities({ leadId: a, from: 60, to: 100, limit: 10 });
      assert.deepEqual(
        bounded.activities.map((x) => x.occurredAt),
        [100, 100],
      );
    });

    test('pageActivityChanges: every lead, ascending id after a cursor, by leads, list, activity since, type and time', async () => {
      const all = await store.pageActivityChanges({ afterId: 0, limit: 100 });
      const ids = all.activities.map((x) => x.id);
      assert.equal(ids.length, 6);
      assert.deepEqual(
        [...ids].sort((x, y) => x - y),
        ids,
      );
      const page = await store.pageActivityChanges({ afterId: ids[1], limit: 2 });
      assert.deepEqual([page.activities.map((x) => x.id), page.remaining], [ids.slice(2, 4), 2]);
      const byIds = await store.pageActivityChanges({ afterId: 0, limit: 100, leads: { kind: 'ids', ids: [c, a] } });
      assert.deepEqual(new Set(byIds.activities.map((x) => x.leadId)), new Set([a, c]));
      assert.equal(
        (await store.pageActivityChanges({ afterId: 0, limit: 100, leads: { kind: 'ids', ids: [] } })).activities
          .length,
        0,
      );
      const byList = await store.pageActivityChanges({ afterId: 0, limit: 100, leads: { kind: 'list', listId } });
      assert.deepEqual(new Set(byList.activities.map((x) => x.leadId)), new Set([b]));
      const active = await store.pageActivityChanges({ afterId: 0, limit: 100, activeSince: 150 });
      assert.deepEqual(
        active.activities.map((x) => x.occurredAt),
        [200, 300],
      );
      const typed = await store.pageActivityChanges({
        afterId: 0,
        limit: 100,
        include: ['New Lead'],
        from: 50,
        to: 150,
      });
      assert.deepEqual(
        typed.activities.map((x) => [x.leadId, x.typeName]),
        [[a, 'New Lead']],
      );
    });

    test('list members: which are members, remove some, clear all', async () => {
      await store.transaction((tx) => tx.addListMembers(listId, [a, c], 2));
      await store.transaction(async (tx) => {
        assert.deepEqual([...(await tx.listMembersAmong(listId, [a, b, c, 9999]))].sort(), [a, b, c].sort());
        await tx.removeListMembers(listId, [a, 9999]);
        assert.deepEqual([...(await tx.listMembersAmong(listId, [a, b, c]))].sort(), [b, c].sort());
        assert.deepEqual(
          await tx.clearListMembers(listId),
          [b, c].sort((x, y) => x - y),
        );
        assert.equal((await tx.listMembersAmong(listId, [a, b, c])).size, 0);
        assert.deepEqual(await tx.clearListMembers(listId), []);
      });
    });
  });
}
