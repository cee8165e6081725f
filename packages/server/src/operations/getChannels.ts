import type { TagStatus } from '@mktows/protocol';
import { allChannels, channelStatuses, statusAttribs } from '../domain/channels.js';
import type { Handler } from './context.js';

/**
 * The defined channels (the seed's `channels`) and those programs use, by name, each with its
 * progression statuses (domain/channels.ts). `tag/values` restricts to those channel names
 * (case-insensitive); names that are not channels are left out.
 */
export const getChannels: Handler<'getChannels'> = async (params, ctx) => {
  const wanted = (params.tag?.values?.stringItem ?? []).map((v) => v.trim().toLowerCase()).filter((v) => v !== '');
  const channels = (await allChannels(ctx.store.campaigns)).map((c) => [c.name.toLowerCase(), c] as const);
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
