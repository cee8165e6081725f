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

export interface Database {
  meta: MetaTable;
  lead_fields: LeadFieldTable;
  owners: OwnerTable;
  leads: LeadTable;
  lead_cookies: LeadCookieTable;
  lists: ListTable;
  list_members: ListMemberTable;
  activities: ActivityTable;
}

/** Every table, children first, for reset. */
export const TABLES: readonly (keyof Database)[] = [
  'activities',
  'list_members',
  'lists',
  'lead_cookies',
  'leads',
  'owners',
  'lead_fields',
];
