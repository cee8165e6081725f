import type { TagStatus } from '@mktows/protocol';
import { channelStatuses, statusAttribs } from '../domain/channels.js';
import type { Handler } from './context.js';

/**
 * The channels the programs use, by name, each with its progression statuses (domain/channels.ts).
 * `tag/values` restricts to those channel names (case-insensitive); names no program uses are left out.
 */
export const getChannels: Handler<'getChannels'> = async (params, ctx) => {
  const wanted = (params.tag?.values?.stringItem ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const channels = new Map<string, string>();
  for (const p of await ctx.store.campaigns.listPrograms()) {
    if (p.channel && !channels.has(p.channel.toLowerCase())) channels.set(p.channel.toLowerCase(), p.channel);
  }
  const tagStatus: TagStatus[] = [...channels]
    .filter(([lower]) => wanted.length === 0 || wanted.includes(lower))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, name]) => ({
      tagValue: name,
      statusList: {
        progressionStatusItem: [...channelStatuses(name)]
          .sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0))
          .map((st) => ({ progressionStatus: { attrib: statusAttribs(st) } })),
      },
    }));
  return { tags: { tagStatus } };
};
