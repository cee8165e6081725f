/**
 * The seed the REST campaign and asset suites start from: programs in two folders and two
 * workspaces, trigger campaigns requestable from MKTOWS, from SALES only, and batch ones, lists
 * inside and outside programs, tag types and channels. Ids follow seed order.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CAMPAIGN_SEED = {
  leads: [
    { Email: 'ada@example.com', FirstName: 'Ada' },
    { Email: 'bob@example.com', FirstName: 'Bob' },
    { Email: 'cy@example.com', FirstName: 'Cy' },
  ],
  lists: [{ name: 'Newsletter', members: ['ada@example.com', 'bob@example.com'] }],
  programs: [
    {
      name: 'Spring Webinar',
      channel: 'Webinar',
      tags: [{ type: 'Region', value: 'EMEA' }],
      treePath: '/Marketing Activities/Default/Events/Spring Webinar',
      costs: [{ month: '2026-03', amount: 1500, note: 'Platform' }],
      lists: ['Attendees'],
      campaigns: [
        { name: 'Register', kind: 'trigger', sources: ['MKTOWS'], description: 'Registration' },
        { name: 'Reminder', kind: 'batch', description: 'Day-before reminder' },
        { name: 'Sales Touch', kind: 'trigger', sources: ['SALES'] },
      ],
    },
    {
      name: 'Nurture Q3',
      channel: 'Nurture',
      type: 'Nurture Program',
      tags: [
        { type: 'Region', value: 'APAC' },
        { type: 'Product Line', value: 'Platform' },
      ],
      campaigns: [{ name: 'Drip', kind: 'batch' }],
    },
    {
      name: 'Ops',
      channel: 'Operational',
      workspace: 'Other',
      campaigns: [{ name: 'Inbound', kind: 'trigger', sources: ['MKTOWS', 'SALES'] }],
    },
  ],
  tagTypes: [
    { type: 'Region', values: ['EMEA', 'APAC', 'North America'] },
    { type: 'Product Line', values: ['Platform', 'Analytics'] },
  ],
  channels: [{ name: 'Webinar' }, { name: 'Nurture' }, { name: 'Operational' }, { name: 'Blog' }],
};

/** Campaign ids in seed order. */
export const REGISTER = 1;
export const REMINDER = 2;
export const SALES_TOUCH = 3;
export const DRIP = 4;
export const INBOUND = 5;

/** The seed as a file a test server starts from. */
export function campaignSeedFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mktows-campaign-seed-'));
  const file = join(dir, 'seed.json');
  writeFileSync(file, JSON.stringify(CAMPAIGN_SEED));
  return file;
}
