/**
 * The shape of a seed document and the error a bad one is refused with. Apart from seed.ts so that
 * the section parsers (activities-seed.ts, mobjects-seed.ts, ...) import it without importing back
 * the module that calls them.
 */

export class SeedError extends Error {}

export interface ProgramSeedExtras {
  type?: string;
  treePath?: string;
  archived?: boolean;
  crmId?: string;
  tokens?: { name: string; value: string }[];
  costs?: { month: string; amount: number | string; note?: string }[];
}

export interface OpportunityRoleSeed {
  /** The opportunity's externalKey, or its id. */
  opportunity: string | number;
  /** The lead's e-mail, or its id. */
  lead: string | number;
  role?: string;
  isPrimary?: boolean;
  externalKey?: string;
}

export interface SeedDocument {
  leadFields?: { name: string; dataType: string; displayName?: string; length?: number }[];
  owners?: { email: string; sfdcId?: string; firstName?: string; lastName?: string }[];
  leads?: Record<string, unknown>[];
  lists?: { name: string; members?: (string | number)[] }[];
  programs?: ({
    name: string;
    channel?: string;
    workspace?: string;
    tags?: { type: string; value: string }[];
    lists?: string[];
    campaigns?: { name: string; kind?: 'trigger' | 'batch'; sources?: string[]; description?: string }[];
  } & ProgramSeedExtras)[];
  opportunities?: { name: string; externalKey?: string; [field: string]: unknown }[];
  customObjectTypes?: {
    name: string;
    keys: string[];
    fields?: { name: string; dataType: string }[];
    /** The key holding a lead id; defaults to a key named MKTOID. */
    linkField?: string | null;
  }[];
  opportunityRoles?: OpportunityRoleSeed[];
  /** Tag types and their allowed values, for getTags (seed/tags-seed.ts). */
  tagTypes?: { type: string; values?: string[] }[];
  /** Program channels, with their progression statuses or the built-in ones (seed/channels-seed.ts). */
  channels?: {
    name: string;
    statuses?: { status: string; step: number; success: boolean; attributes?: Record<string, string> }[];
  }[];
  [section: string]: unknown;
}
