/** getChannels on the bridge: the asset API's channels (MAPPING.md row 14). */
import type { TagStatus } from '@mktows/protocol';
import { type AssetRecord, assetGet, assetGetAll } from '../asset-read.js';
import { bridgeOf } from './bridge-context.js';
import type { BridgeOperation } from './operation.js';

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface RestStatus {
  name?: string;
  step?: number;
  success?: boolean;
}

export const getChannels: BridgeOperation<'getChannels'> = {
  rest: [
    'GET /rest/asset/v1/channels.json?maxReturn=200&offset=<n> (every page)',
    'one name in tag/values: GET /rest/asset/v1/channel/byName.json?name=<name>',
  ],
  differences: [
    'A progression status shows Status, Step and Success: REST has no other attribute of a status (Check-in Status, Webinar Behavior, …).',
  ],
  handler: async (params, ctx) => {
    const call = bridgeOf(ctx);
    const wanted = [
      ...new Set((params.tag?.values?.stringItem ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v !== '')),
    ];
    // One name costs one small call; more names are cheaper read from the whole list.
    const channels: AssetRecord[] =
      wanted.length === 1
        ? await assetGet(call, '/rest/asset/v1/channel/byName.json', { name: wanted[0] })
        : await assetGetAll(call, '/rest/asset/v1/channels.json');
    const tagStatus: TagStatus[] = channels
      .map((c) => ({ name: String(c.name ?? ''), statuses: (c.progressionStatuses ?? []) as RestStatus[] }))
      .filter((c) => c.name !== '' && (wanted.length === 0 || wanted.includes(c.name.toLowerCase())))
      // The emulator's order: channels by lower-cased name, statuses by name.
      .sort((a, b) => byText(a.name.toLowerCase(), b.name.toLowerCase()))
      .map((c) => ({
        tagValue: c.name,
        statusList: {
          progressionStatusItem: [...c.statuses]
            .sort((a, b) => byText(String(a.name ?? ''), String(b.name ?? '')))
            .map((s) => ({
              progressionStatus: {
                attrib: [
                  { name: 'Status', value: String(s.name ?? '') },
                  { name: 'Step', value: String(s.step ?? '') },
                  { name: 'Success', value: s.success === true ? 'true' : 'false' },
                ],
              },
            })),
        },
      }));
    return { tags: { tagStatus } };
  },
};
