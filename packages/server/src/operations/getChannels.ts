import type { TagStatus } from '@mktows/protocol';
import { channelStatuses, statusAttribs } from '../domain/channels.js';
import type { Channel } from '../store/campaign-store.js';
import type { Handler } from './context.js';

/**
 * The defined channels (the seed's `channels`) and those programs use, by name, each with its
 * progression statuses (domain/channels.ts). `tag/values` restricts to those channel names
 * (case-insensitive); names that are not channels are left out.
 */
export const getChannels: Handler<'getChannels'> = async (params, ctx) => {
  const wanted = (params.tag?.values?.stringItem ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const channels = new Map<string, Channel>();
  for (const c of await ctx.store.campaigns.listChannels()) channels.set(c.name.toLowerCase(), c);
  for (const p of await ctx.store.campaigns.listPrograms()) {
    if (!p.channel) continue;
    const lc = p.channel.toLowerCase();
    if (!channels.has(lc)) channels.set(lc, { name: p.channel, statuses: null });
  }
  const tagStatus: TagStatus[] = [...channels]
    .filter(([lower]) => wanted.length === 0 || wanted.includes(lower))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, channel]) => ({
      tagValue: channel.name,
      statusList: {
        progressionStatusItem: [...channelStatuses(channel)]
          .sort((a, b) => (a.status < b.status ? -1 : a.status > b.status ? 1 : 0))
          .map((st) => ({ progressionStatus: { attrib: statusAttribs(st) } })),
      },
    }));
  return { tags: { tagStatus } };
};
