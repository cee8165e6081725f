/**
 * The seed's `channels` section: the program channels the instance defines, for getChannels and
 * for syncMObjects' channel updates, used by a program or not:
 * `[{ "name": "Webinar" }, { "name": "Podcast", "statuses": [{ "status": "Listened", "step": 10,
 * "success": true, "attributes": { "Medium": "Audio" } }] }]`. Without statuses a channel has the
 * built-in ones of its name (domain/channels.ts). A name defined again is redefined.
 */
import type { Channel, ChannelStatus } from '../store/campaign-store.js';
import type { StoreTx } from '../store/store.js';
import { SeedError } from './seed-document.js';

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function parseStatus(v: unknown, where: string): ChannelStatus {
  if (!isObject(v)) throw new SeedError(`seed: ${where} must be an object`);
  if (typeof v.status !== 'string' || v.status.trim() === '') {
    throw new SeedError(`seed: ${where}.status must be a non-empty string`);
  }
  if (typeof v.step !== 'number' || !Number.isInteger(v.step) || v.step < 0) {
    throw new SeedError(`seed: ${where}.step must be an integer of 0 or more`);
  }
  if (typeof v.success !== 'boolean') throw new SeedError(`seed: ${where}.success must be true or false`);
  const attributes = v.attributes ?? {};
  if (!isObject(attributes) || Object.values(attributes).some((x) => typeof x !== 'string')) {
    throw new SeedError(`seed: ${where}.attributes must be an object of strings`);
  }
  const extra = Object.entries(attributes as Record<string, string>);
  const st: ChannelStatus = { status: v.status, step: v.step, success: v.success };
  return extra.length ? { ...st, extra } : st;
}

export function parseChannelSeed(doc: Record<string, unknown>): Channel[] {
  const v = doc.channels;
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new SeedError('seed: "channels" must be an array');
  return v.map((c: unknown, i) => {
    if (!isObject(c) || typeof c.name !== 'string' || c.name.trim() === '') {
      throw new SeedError(`seed: channels[${i}].name must be a non-empty string`);
    }
    if (c.statuses === undefined) return { name: c.name, statuses: null };
    if (!Array.isArray(c.statuses) || c.statuses.length === 0) {
      throw new SeedError(`seed: channels[${i}].statuses must be a non-empty array`);
    }
    const statuses = c.statuses.map((st: unknown, j) => parseStatus(st, `channels[${i}].statuses[${j}]`));
    const names = statuses.map((st) => st.status.toLowerCase());
    const twice = names.find((n, j) => names.indexOf(n) !== j);
    if (twice !== undefined) throw new SeedError(`seed: channels[${i}] names the status "${twice}" twice`);
    return { name: c.name, statuses };
  });
}

export async function applyChannelSeed(tx: StoreTx, channels: readonly Channel[]): Promise<number> {
  for (const c of channels) await tx.campaigns.upsertChannel(c);
  return channels.length;
}
