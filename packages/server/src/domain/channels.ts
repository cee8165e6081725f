/**
 * Program channels and their progression statuses (getChannels). A Marketo instance defines its
 * channels in Admin, used by a program or not; here the seed's `channels` section defines them
 * (the demo seed: Marketo's standard channels, this catalogue), and a channel a program names is
 * defined by that use too. A channel defined without statuses has the built-in ones of its name:
 * Blog, Tradeshow and Webinar exactly as in Adobe's getChannels sample
 * (shared/reference/recorded/adobe-docs/getChannels.response.xml); the others are ours, modelled on
 * Marketo's default channels. A name not in the catalogue gets DEFAULT_STATUSES.
 */
import type { CampaignReads, Channel, ChannelStatus } from '../store/campaign-store.js';

const s = (status: string, step: number, success: boolean, extra?: [string, string][]): ChannelStatus =>
  extra ? { status, step, success, extra } : { status, step, success };

export const CHANNEL_CATALOGUE: Readonly<Record<string, readonly ChannelStatus[]>> = {
  Blog: [s('Engaged', 20, true), s('Subscribed', 30, true), s('Visited', 10, false)],
  Content: [s('Engaged', 20, true), s('Member', 10, false)],
  'Email Blast': [s('Engaged', 20, true), s('Member', 10, false)],
  Nurture: [s('Engaged', 20, true), s('Member', 10, false)],
  'Online Advertising': [s('Clicked', 20, true), s('Member', 10, false)],
  Operational: [s('Member', 10, false)],
  Roadshow: [s('Attended', 40, true), s('Invited', 10, false), s('No Show', 30, false), s('Registered', 20, false)],
  Tradeshow: [
    s('Attended Show', 20, false, [['Check-in Status', 'Attended']]),
    s('Engaged', 40, true, [['Check-in Status', 'None']]),
    s('Invited', 10, false, [['Check-in Status', 'None']]),
    s('Visited Booth', 30, true, [['Check-in Status', 'None']]),
  ],
  Webinar: [
    s('Attended', 70, true, [['Webinar Behavior', 'Attended']]),
    s('Attended On-demand', 75, true, [['Webinar Behavior', 'Attended On-demand']]),
    s('Downloaded', 5, true),
    s('Invited', 10, false),
    s('No Show', 50, false, [['Webinar Behavior', 'No Show']]),
    s('Pending Approval', 20, false),
    s('Registered', 40, false, [['Webinar Behavior', 'Registered']]),
    s('Rejected', 30, false),
    s('Wait Listed', 30, false),
  ],
};

/** Statuses of a channel that the catalogue does not name. */
export const DEFAULT_STATUSES: readonly ChannelStatus[] = [s('Engaged', 20, true), s('Member', 10, false)];

const BY_LOWER = new Map(Object.entries(CHANNEL_CATALOGUE).map(([k, v]) => [k.toLowerCase(), v]));

/** The statuses of a channel: its own when defined with some, else the built-in ones of its name. */
export function channelStatuses(channel: Channel): readonly ChannelStatus[] {
  return channel.statuses ?? BY_LOWER.get(channel.name.toLowerCase()) ?? DEFAULT_STATUSES;
}

/** A status as getChannels' attribs, in the sample's order: Status, Step, extras, Success. */
export function statusAttribs(st: ChannelStatus): { name: string; value: string }[] {
  return [
    { name: 'Status', value: st.status },
    { name: 'Step', value: String(st.step) },
    ...(st.extra ?? []).map(([name, value]) => ({ name, value })),
    { name: 'Success', value: st.success ? 'true' : 'false' },
  ];
}

/**
 * Every channel: the defined ones in their order, then those only a program names, in program
 * order, each once by name (case-insensitively). SOAP getChannels and the asset channels read this.
 */
export async function allChannels(reads: CampaignReads): Promise<Channel[]> {
  const channels = new Map<string, Channel>();
  for (const c of await reads.listChannels()) channels.set(c.name.toLowerCase(), c);
  for (const p of await reads.listPrograms()) {
    if (!p.channel) continue;
    const lc = p.channel.toLowerCase();
    if (!channels.has(lc)) channels.set(lc, { name: p.channel, statuses: null });
  }
  return [...channels.values()];
}
