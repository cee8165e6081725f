/**
 * The demo seed: 2 owners, 500 leads (Ada Lovelace first), the static list
 * "Demo List" with the first 100, "Demo Program" with its list "Imports", the trigger campaign
 * Welcome (MKTOWS and SALES) and the batch campaign Nightly, channels and tags, 3 opportunities
 * with 5 person roles, and the custom object type RoadShow (MKTOID, rid; city, state, zip).
 * Deterministic, so that examples and tests can name leads.
 */
import { CHANNEL_CATALOGUE } from '../domain/channels.js';
import { demoActivities } from './demo-activities.js';
import type { SeedDocument } from './seed-document.js';

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Margaret',
  'Dennis',
  'Frances',
  'Ken',
  'Radia',
  'John',
  'Hedy',
  'Tim',
  'Katherine',
  'Linus',
  'Sophie',
  'Niklaus',
  'Karen',
  'Leslie',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Ritchie',
  'Allen',
  'Thompson',
  'Perlman',
  'McCarthy',
  'Lamarr',
  'Berners-Lee',
  'Johnson',
  'Torvalds',
  'Wilson',
  'Wirth',
  'Jones',
  'Lamport',
];
const COMPANY = [
  'Analytical Engines',
  'Compiler Works',
  'Enigma Labs',
  'Shortest Path Inc',
  'Substitution Systems',
  'TeX Press',
  'Apollo Guidance',
  'Unix Tools',
  'Fortran Partners',
  'Protocol House',
];
const INDUSTRY = ['Software', 'Education', 'Manufacturing', 'Finance', 'Healthcare'];
const SOURCE = ['Website', 'Webinar', 'Trade Show', 'Partner', 'Paid Search'];
const STATUS = ['New', 'Contacted', 'Qualified', 'Nurture'];
const CITY: [string, string, string][] = [
  ['London', '', 'United Kingdom'],
  ['Chicago', 'IL', 'United States'],
  ['San Francisco', 'CA', 'United States'],
  ['Zurich', '', 'Switzerland'],
  ['Toronto', 'ON', 'Canada'],
];

export const DEMO_LEAD_COUNT = 500;
export const DEMO_LIST = 'Demo List';
export const DEMO_LIST_SIZE = 100;

/** `now`: the seeding time; the demo history lies in the 30 days before it. */
export function demoSeed(now: number = Date.now()): SeedDocument {
  const leads: Record<string, unknown>[] = [];
  for (let i = 0; i < DEMO_LEAD_COUNT; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length];
    const [city, state, country] = CITY[i % CITY.length];
    const lead: Record<string, unknown> = {
      Email: i === 0 ? 'ada@demo.example' : `${first}.${last}.${i + 1}@demo.example`.toLowerCase(),
      FirstName: i === 0 ? 'Ada' : first,
      LastName: i === 0 ? 'Lovelace' : last,
      Company: COMPANY[i % COMPANY.length],
      Title: i % 3 === 0 ? 'Engineer' : i % 3 === 1 ? 'Director' : 'Analyst',
      Industry: INDUSTRY[i % INDUSTRY.length],
      City: city,
      Country: country,
      LeadSource: SOURCE[i % SOURCE.length],
      LeadStatus: STATUS[i % STATUS.length],
      LeadScore: (i * 37) % 100,
      NumberOfEmployees: 10 + ((i * 53) % 5000),
      Website: `https://${COMPANY[i % COMPANY.length].toLowerCase().replace(/ /g, '')}.example`,
      Phone: `+1 312 555 ${String(1000 + i).slice(-4)}`,
      LeadOwnerEmail: i % 2 === 0 ? 'owner@demo.example' : 'sales@demo.example',
    };
    if (state) lead.State = state;
    if (i % 10 === 0) {
      lead.ForeignSysPersonId = `CRM-${i + 1}`;
      lead.ForeignSysType = 'CUSTOM';
    }
    if (i % 5 === 0) lead.SFDCLeadId = `00Q${String(i + 1).padStart(15, '0')}`;
    leads.push(lead);
  }
  return {
    leadFields: [{ name: 'LeadScore', dataType: 'integer' }],
    owners: [
      { email: 'owner@demo.example', sfdcId: '005000000000001', firstName: 'Olive', lastName: 'Owner' },
      { email: 'sales@demo.example', sfdcId: '005000000000002', firstName: 'Sam', lastName: 'Sales' },
    ],
    leads,
    activities: demoActivities(
      leads.map((l) => l.Email as string),
      now,
    ),
    lists: [{ name: DEMO_LIST, members: leads.slice(0, DEMO_LIST_SIZE).map((l) => l.Email as string) }],
    programs: [
      {
        name: 'Demo Program',
        channel: 'Webinar',
        tags: [{ type: 'Region', value: 'EMEA' }],
        treePath: '/Marketing Activities/Default/Demo/Demo Program',
        tokens: [{ name: 'My Token', value: 'Welcome aboard' }],
        costs: [{ month: '2026-01', amount: 3000, note: 'Speaker' }],
        lists: ['Imports'],
        campaigns: [
          {
            name: 'Welcome',
            kind: 'trigger',
            sources: ['MKTOWS', 'SALES'],
            description: 'Welcome e-mail for new leads',
          },
          { name: 'Nightly', kind: 'batch', description: 'Nightly score refresh' },
        ],
      },
      {
        name: 'Spring Roadshow',
        channel: 'Tradeshow',
        tags: [{ type: 'Region', value: 'North America' }],
        campaigns: [{ name: 'Follow Up', kind: 'trigger', sources: ['MKTOWS'] }],
      },
    ],
    // Marketo's standard channels, defined whether a program uses them or not.
    channels: Object.keys(CHANNEL_CATALOGUE).map((name) => ({ name })),
    tagTypes: [
      { type: 'Region', values: ['EMEA', 'North America', 'APAC', 'LATAM'] },
      { type: 'Product Line', values: ['Platform', 'Analytics', 'Services'] },
    ],
    opportunities: [
      {
        name: 'Analytical Engines - Expansion',
        externalKey: 'OPP-1',
        Amount: 120000,
        Stage: 'Prospecting',
        IsClosed: false,
      },
      { name: 'Compiler Works - Renewal', externalKey: 'OPP-2', Amount: 45000, Stage: 'Negotiation', IsClosed: false },
      {
        name: 'Enigma Labs - New Business',
        externalKey: 'OPP-3',
        Amount: 80000,
        Stage: 'Closed Won',
        IsClosed: true,
        IsWon: true,
      },
    ],
    // Person roles link demo leads to the opportunities (ids 1..3 on a fresh store).
    opportunityRoles: [
      { opportunity: 'OPP-1', lead: leads[0].Email as string, role: 'Decision Maker', isPrimary: true },
      { opportunity: 'OPP-1', lead: leads[10].Email as string, role: 'Influencer' },
      { opportunity: 'OPP-2', lead: leads[1].Email as string, role: 'Economic Buyer', isPrimary: true },
      { opportunity: 'OPP-3', lead: leads[2].Email as string, role: 'Technical Buyer', isPrimary: true },
      { opportunity: 'OPP-3', lead: leads[0].Email as string, role: 'Champion' },
    ],
    customObjectTypes: [
      {
        name: 'RoadShow',
        keys: ['MKTOID', 'rid'],
        fields: [
          { name: 'city', dataType: 'string' },
          { name: 'state', dataType: 'string' },
          { name: 'zip', dataType: 'string' },
        ],
      },
    ],
  };
}
