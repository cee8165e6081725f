/**
 * The bodies of the admin endpoints the web console reads (console-routes.ts): one module, imported
 * by the routes that write them and the tests that read them, so that the two cannot drift apart.
 */
import type { JournalEntry } from '../journal.js';

/** GET /_mktows/journal (with `sinceId`, `api`, `search` besides `limit`, `code`, `operation`, `userId`). */
export interface JournalPage {
  entries: JournalEntry[];
}

/** A lead as the console lists it. */
export interface LeadSummary {
  id: number;
  email: string | null;
  foreignSysPersonId: string | null;
  updatedAt: string;
}

/** GET /_mktows/leads?email=E&limit=N: the lead with that e-mail, or the first N leads by id. */
export interface LeadsPage {
  leads: LeadSummary[];
  /** Leads in the store. */
  total: number;
}

export interface ActivityView {
  id: number;
  typeName: string;
  occurredAt: string;
  assetName: string | null;
  campaign: string | null;
  attributes: Record<string, string>;
}

/** GET /_mktows/leads/ID: its attributes and its newest activities (at most MAX_ACTIVITIES). */
export interface LeadDetail extends LeadSummary {
  createdAt: string;
  attributes: Record<string, string>;
  activities: ActivityView[];
}

/** GET /_mktows/lists (no name): every static list, by id, as SOAP names them (`Program.List` for a program's). */
export interface ListIndex {
  lists: { id: number; name: string; programName: string | null }[];
}

/** GET /_mktows/lists?name=N&afterId=A&limit=L: a static list and a page of its members. */
export interface ListPage {
  list: { id: number; name: string; programName: string | null };
  members: { id: number; email: string | null }[];
  /** Members after this page. */
  remaining: number;
}

/** GET /_mktows/campaigns: every smart campaign, by program then name. */
export interface CampaignsPage {
  campaigns: { id: number; program: string; name: string; kind: 'trigger' | 'batch'; sources: string[] }[];
}

/** POST /_mktows/journal/ID/replay: the call sent again, freshly signed; its answer is also in the journal. */
export interface ReplayResult {
  replayOf: number;
  status: number;
  faultCode: number | null;
  response: string;
}

/** The most activities GET /_mktows/leads/ID returns. */
export const MAX_ACTIVITIES = 100;
/** The most leads or members one page holds. */
export const MAX_PAGE = 200;
