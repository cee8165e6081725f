/**
 * The Store contract for MObjects and custom objects (store/mobject-store.ts, store/custom-object-store.ts):
 * one suite every backend runs, so that the operations can rely on the same behaviour.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';

export function mobjectsContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract (MObjects, custom objects): ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await open();
    });
    after(async () => {
      await store.close();
    });

    test('programs: details, tags, costs; workspace ids with Default first; known tags', async () => {
      await store.reset();
      await store.transaction(async (tx) => {
        const emea = await tx.upsertProgram({ name: 'P EMEA', channel: 'Webinar', workspace: 'EMEA', tags: [] }, 1_000);
        const def = await tx.upsertProgram(
          { name: 'P Default', channel: null, workspace: 'Default', tags: [{ type: 'Region', value: 'EMEA' }] },
          1_000,
        );
        await tx.mobjects.setProgramDetails(
          def,
          { type: 'Marketing Event', archived: true, crmId: '701', tokens: [] },
          2_000,
        );
        const cost = await tx.mobjects.addProgramCost(def, { month: '2026-01', amount: '10', note: null }, 3_000);
        await tx.mobjects.updateProgramCost(def, { id: cost, month: '2026-02', amount: '12.5', note: 'n' }, 4_000);
        await tx.mobjects.setProgramTags(emea, 'Tradeshow', [{ type: 'Region', value: 'APAC' }], 5_000);
      });
      const [emea, def] = await store.mobjects.scanPrograms(0, 10);
      assert.deepEqual(
        [emea.workspaceName, emea.workspaceId, def.workspaceName, def.workspaceId],
        ['EMEA', 2, 'Default', 1],
      );
      assert.deepEqual(
        [emea.channel, emea.tags, emea.updatedAt],
        ['Tradeshow', [{ type: 'Region', value: 'APAC' }], 5_000],
      );
      assert.deepEqual(
        [def.type, def.archived, def.crmId, def.treePath, def.updatedAt],
        ['Marketing Event', true, '701', '/Marketing Activities/Default/P Default', 4_000],
      );
      assert.deepEqual(def.costs, [{ id: 1, month: '2026-02', amount: '12.5', note: 'n' }]);
      assert.deepEqual((await store.mobjects.getProgram(def.id))?.name, 'P Default');
      assert.deepEqual(await store.mobjects.scanPrograms(def.id, 10), []);
      const known = await store.mobjects.knownTags();
      assert.deepEqual(known.map((t) => `${t.type}=${t.value}`).sort(), [
        'Channel=Tradeshow',
        'Region=APAC',
        'Region=EMEA',
      ]);
    });

    test('opportunities and person roles: keys, natural key, filters; deleting an opportunity takes its roles', async () => {
      await store.reset();
      const { o1, o2, r1 } = await store.transaction(async (tx) => {
        const lead = await tx.insertLead({
          email: 'r@x.example',
          foreignSysPersonId: null,
          foreignSysType: null,
          ownerId: null,
          attributes: {},
          createdAt: 1,
          updatedAt: 1,
        });
        const base = { attributes: { Stage: 'S' }, company: null, createdAt: 1, updatedAt: 1 };
        const o1 = await tx.mobjects.insertOpportunity({
          ...base,
          name: 'A',
          externalKey: { name: 'crm', value: 'K1' },
        });
        const o2 = await tx.mobjects.insertOpportunity({
          ...base,
          name: 'B',
          externalKey: null,
          company: { id: 7, key: null },
        });
        const role = {
          externalKey: null,
          leadId: lead.id,
          isPrimary: true,
          externalCreatedDate: null,
          createdAt: 1,
          updatedAt: 1,
        };
        const r1 = await tx.mobjects.insertOpportunityRole({ ...role, opportunityId: o1.id, role: 'Buyer' });
        await tx.mobjects.insertOpportunityRole({
          ...role,
          opportunityId: o2.id,
          role: '',
          externalKey: { name: 'x', value: 'R2' },
        });
        await tx.mobjects.updateOpportunity({ ...o2, name: 'B2', updatedAt: 9 });
        return { o1, o2, r1 };
      });
      assert.deepEqual(await store.mobjects.findOpportunityByKey('K1'), o1);
      assert.deepEqual((await store.mobjects.getOpportunity(o2.id))?.company, { id: 7, key: null });
      assert.equal((await store.mobjects.getOpportunity(o2.id))?.name, 'B2');
      assert.deepEqual(
        (await store.mobjects.scanOpportunities(0, 1)).map((o) => o.id),
        [o1.id],
      );
      assert.deepEqual(await store.mobjects.findOpportunityRoleFor(o1.id, r1.leadId, 'Buyer'), r1);
      assert.equal(await store.mobjects.findOpportunityRoleFor(o1.id, r1.leadId, 'Other'), undefined);
      assert.equal((await store.mobjects.findOpportunityRoleByKey('R2'))?.opportunityId, o2.id);
      assert.equal((await store.mobjects.listOpportunityRoles({ opportunityIds: [o2.id] })).length, 1);
      assert.equal((await store.mobjects.listOpportunityRoles({ leadIds: [r1.leadId] })).length, 2);
      assert.deepEqual(await store.mobjects.listOpportunityRoles({ leadIds: [] }), []);
      await store.transaction((tx) => tx.mobjects.deleteOpportunity(o1.id));
      assert.equal(await store.mobjects.getOpportunity(o1.id), undefined);
      assert.deepEqual(
        (await store.mobjects.scanOpportunityRoles(0, 10)).map((r) => r.opportunityId),
        [o2.id],
      );
    });

    test('custom objects: types by name case-insensitively, records by their key values', async () => {
      await store.reset();
      await store.transaction(async (tx) => {
        await tx.upsertCustomObjectType({
          name: 'RoadShow',
          keys: ['MKTOID', 'rid'],
          fields: [{ name: 'city', dataType: 'string' }],
        });
        await tx.customObjects.setCustomObjectLinkField('RoadShow', 'MKTOID');
        const a = await tx.customObjects.insertCustomObject({
          typeName: 'RoadShow',
          keyValues: ['1', 'a'],
          attributes: { city: 'X' },
          createdAt: 1,
          updatedAt: 1,
        });
        await tx.customObjects.insertCustomObject({
          typeName: 'RoadShow',
          keyValues: ['1', 'b'],
          attributes: {},
          createdAt: 1,
          updatedAt: 1,
        });
        await tx.customObjects.updateCustomObject(a.id, { city: 'Y' }, 5);
      });
      const type = await store.customObjects.getCustomObjectType('roadshow');
      assert.deepEqual(type, {
        name: 'RoadShow',
        keys: ['MKTOID', 'rid'],
        fields: [{ name: 'city', dataType: 'string' }],
        linkField: 'MKTOID',
      });
      const a = await store.customObjects.findCustomObject('RoadShow', ['1', 'a']);
      assert.deepEqual([a?.attributes, a?.updatedAt], [{ city: 'Y' }, 5]);
      assert.deepEqual(
        (await store.customObjects.scanCustomObjects('RoadShow', a?.id ?? 0, 10)).map((o) => o.keyValues),
        [['1', 'b']],
      );
      await store.transaction((tx) => tx.customObjects.deleteCustomObject(a?.id ?? 0));
      assert.equal(await store.customObjects.findCustomObject('RoadShow', ['1', 'a']), undefined);
      await store.reset();
      assert.deepEqual(await store.customObjects.listCustomObjectTypes(), []);
      assert.deepEqual(await store.customObjects.scanCustomObjects('RoadShow', 0, 10), []);
    });
  });
}
