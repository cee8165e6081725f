/** Table types for the typed query layer (Kysely), shared by every SQL backend. */
import type { Generated } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}
export interface LeadFieldTable {
  name: string;
  display_name: string;
  data_type: string;
  length: number | null;
  read_only: number;
}
export interface OwnerTable {
  id: Generated<number>;
  email: string;
  email_lc: string;
  sfdc_id: string | null;
  first_name: string | null;
  last_name: string | null;
}
export interface LeadTable {
  id: Generated<number>;
  email: string | null;
  email_lc: string | null;
  foreign_sys_person_id: string | null;
  foreign_sys_type: string | null;
  owner_id: number | null;
  sfdc_lead_id: string | null;
  sfdc_contact_id: string | null;
  sfdc_account_id: string | null;
  /** JSON object of canonical attribute values. */
  attributes: string;
  created_at: number;
  updated_at: number;
}
export interface LeadCookieTable {
  cookie: string;
  lead_id: number;
}
export interface ListTable {
  id: Generated<number>;
  name: string;
  program_name: string | null;
}
export interface ListMemberTable {
  list_id: number;
  lead_id: number;
  added_at: number;
}
export interface ActivityTable {
  id: Generated<number>;
  guid: string;
  lead_id: number;
  type_id: number;
  type_name: string;
  occurred_at: number;
  asset_name: string | null;
  campaign: string | null;
  /** JSON array of [name, value] pairs. */
  attributes: string;
}

export interface ProgramTable {
  id: Generated<number>;
  name: string;
  channel: string | null;
  workspace: string;
  /** JSON array of { type, value }. */
  tags: string;
  created_at: number;
}
export interface CampaignTable {
  id: Generated<number>;
  program_id: number;
  name: string;
  /** 'trigger' or 'batch'. */
  kind: string;
  /** JSON array of request sources (MKTOWS, SALES). */
  sources: string;
  description: string;
}
export interface OpportunityTable {
  id: Generated<number>;
  external_key: string | null;
  name: string;
  /** JSON object of field values. */
  attributes: string;
  created_at: number;
  updated_at: number;
}
export interface CustomObjectTypeTable {
  name: string;
  /** JSON array of key field names. */
  keys: string;
  /** JSON array of { name, dataType }. */
  fields: string;
}

export interface Database {
  meta: MetaTable;
  lead_fields: LeadFieldTable;
  owners: OwnerTable;
  leads: LeadTable;
  lead_cookies: LeadCookieTable;
  lists: ListTable;
  list_members: ListMemberTable;
  activities: ActivityTable;
  programs: ProgramTable;
  campaigns: CampaignTable;
  opportunities: OpportunityTable;
  custom_object_types: CustomObjectTypeTable;
}

/** Every table, children first, for reset. */
export const TABLES: readonly (keyof Database)[] = [
  'campaigns',
  'programs',
  'opportunities',
  'custom_object_types',
  'activities',
  'list_members',
  'lists',
  'lead_cookies',
  'leads',
  'owners',
  'lead_fields',
];
