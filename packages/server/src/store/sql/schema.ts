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
  // 0005_mobjects_custom_objects
  /** 'Marketing Program', 'Marketing Event', ... */
  type: Generated<string>;
  /** Folder path in Marketing Activities; null = /Marketing Activities/<workspace>/<name>. */
  tree_path: string | null;
  is_archived: Generated<number>;
  crm_id: string | null;
  /** JSON array of { name, value } (program My Tokens). */
  tokens: Generated<string>;
  updated_at: Generated<number>;
  // 0009_program_description
  description: Generated<string>;
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
  // 0005_mobjects_custom_objects
  /** The attrib name the external key was given with (echoed in responses). */
  external_key_name: string | null;
  /** Associated Company (by Marketo id and/or external key). */
  company_id: number | null;
  company_key: string | null;
}
export interface CustomObjectTypeTable {
  name: string;
  /** JSON array of key field names. */
  keys: string;
  /** JSON array of { name, dataType }. */
  fields: string;
  // 0005_mobjects_custom_objects
  /** Key field holding a lead id (MKTOID), or null. */
  link_field: string | null;
}
/** 0005: period costs of programs (syncMObjects typeAttrib Cost). */
export interface ProgramCostTable {
  id: Generated<number>;
  program_id: number;
  /** YYYY-MM */
  month: string;
  amount: string;
  note: string | null;
}
/** 0005: OpportunityPersonRole MObjects. */
export interface OpportunityRoleTable {
  id: Generated<number>;
  external_key: string | null;
  external_key_name: string | null;
  opportunity_id: number;
  lead_id: number;
  role: string;
  is_primary: number;
  external_created_date: string | null;
  created_at: number;
  updated_at: number;
}
/** 0005: custom object records. */
export interface CustomObjectTable {
  id: Generated<number>;
  type_name: string;
  /** JSON array of the key values, in the type's key order (unique per type). */
  key_values: string;
  /** JSON object of field values. */
  attributes: string;
  created_at: number;
  updated_at: number;
}

export interface CampaignRunTable {
  id: Generated<number>;
  /** 'requestCampaign' or 'scheduleCampaign'. */
  operation: string;
  campaign_id: number;
  /** `Program Name.Campaign Name` at the time of the run. */
  campaign_name: string;
  /** MKTOWS or SALES (requestCampaign); null for scheduleCampaign. */
  source: string | null;
  user_id: string;
  /** JSON array of lead ids. */
  lead_ids: string;
  /** JSON array of [token, value] pairs given with the call. */
  tokens: string;
  /** JSON object: lead id → [token, value] pairs left by importToList for this run. */
  lead_tokens: string;
  run_at: number;
  created_at: number;
  /** Quota day (America/Chicago by default) of the call, for the daily clone limit. */
  quota_day: string;
  /** scheduleCampaign with cloneToProgramName: the program that was cloned, and the clone's name. */
  cloned_from: string | null;
  clone_to_program: string | null;
}

export interface TagTypeTable {
  type: string;
  /** JSON array of allowed values. */
  tag_values: string;
  position: number;
}

export interface ChannelTable {
  name: string;
  name_lc: string;
  /** JSON array of ChannelStatus, or null: the built-in statuses of the name (domain/channels.ts). */
  statuses: string | null;
  position: number;
}

export interface CampaignLeadTokenTable {
  campaign_id: number;
  lead_id: number;
  /** JSON array of [token, value] pairs. */
  tokens: string;
  updated_at: number;
}

export interface BridgeImportTable {
  /** The list's id on the Marketo instance. */
  list_id: number;
  /** `Program Name.List Name`. */
  list_name: string;
  /** UPSERTLEADS or LISTONLY. */
  mode: string;
  /** REST's bulk import batch (UPSERTLEADS); null for LISTONLY. */
  batch_id: number | null;
  /** PROCESSING, COMPLETE or FAILED, as last seen. */
  status: string;
  estimated_rows: number;
  rows_imported: number | null;
  rows_failed: number | null;
  rows_ignored: number | null;
  summary: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface ImportJobTable {
  id: Generated<number>;
  program_name: string;
  list_id: number;
  /** `Program Name.List Name`. */
  list_name: string;
  /** UPSERTLEADS or LISTONLY. */
  mode: string;
  clear_list: number;
  /** The campaign that per-lead My Token columns are for. */
  campaign_id: number | null;
  header: string;
  /** PROCESSING, COMPLETE, FAILED or CANCELED. */
  status: string;
  estimated_rows: number;
  /** Rows before this one (0-based) are done. */
  next_row: number;
  rows_imported: number;
  rows_failed: number;
  rows_ignored: number;
  /** JSON array of ImportProblem, at most MAX_PROBLEMS. */
  problems: string;
  /** Why the whole job failed (FAILED only). */
  failure: string | null;
  user_id: string;
  /** `soap` (importToList) or `rest` (bulk lead import), 0009. */
  api: string;
  /** csv, tsv or ssv for REST imports; null for SOAP ones. */
  format: string | null;
  started_at: number;
  ended_at: number | null;
}

export interface ImportRowTable {
  job_id: number;
  /** 0-based position in importFileRows. */
  row_no: number;
  line: string;
}
export interface OperatorUserTable {
  user_id: string;
  encryption_key: string;
  blocked: number | null;
  quota_per_day: number | null;
  rate_per_window: number | null;
  concurrency: number | null;
  updated_at: number;
}
export interface RestClientTable {
  client_id: string;
  client_secret: string;
  updated_at: number;
}
export interface RestTokenTable {
  token: string;
  client_id: string;
  expires_at: number;
}
export interface FaultRuleTable {
  id: Generated<number>;
  /** JSON of the checked rule (FaultRuleSpec). */
  spec: string;
  remaining: number | null;
  created_at: number;
}
export interface JournalTable {
  id: Generated<number>;
  /** The replica that served the call. */
  replica: string;
  /** 'soap' or 'rest' */
  api: Generated<string>;
  at: number;
  user_id: string | null;
  operation: string | null;
  duration_ms: number;
  status: number;
  fault_code: number | null;
  /** Cut to size and masked before it left the replica. */
  request: string;
  response: string;
  /** Bridge only (0013): the REST calls of the SOAP call, as JSON; null elsewhere. */
  upstream: string | null;
}

/**
 * Every table, with the module that owns it: the one that writes it (and clears it only through
 * clearAll). Queries may read another part's table in a join or subquery.
 */
export interface Database {
  // sql-store.ts (with lead-batch.ts for batched lead writes)
  meta: MetaTable;
  lead_fields: LeadFieldTable;
  owners: OwnerTable;
  leads: LeadTable;
  lead_cookies: LeadCookieTable;
  lists: ListTable;
  // sql-activities.ts (with lead-batch.ts for batched inserts)
  activities: ActivityTable;
  list_members: ListMemberTable;
  // sql-mobjects.ts
  programs: ProgramTable;
  program_costs: ProgramCostTable;
  opportunities: OpportunityTable;
  opportunity_roles: OpportunityRoleTable;
  // sql-campaigns.ts (0004_campaigns_imports, 0006_channels)
  campaigns: CampaignTable;
  campaign_runs: CampaignRunTable;
  campaign_lead_tokens: CampaignLeadTokenTable;
  tag_types: TagTypeTable;
  channels: ChannelTable;
  // sql-custom-objects.ts
  custom_object_types: CustomObjectTypeTable;
  custom_objects: CustomObjectTable;
  // sql-imports.ts (0004_campaigns_imports)
  import_jobs: ImportJobTable;
  import_rows: ImportRowTable;
  // sql-operator.ts (0007_operator_state), with the `clock_offset_ms` row of meta. Not in TABLES:
  // emptying the data leaves them; the operator state's own reset clears them.
  operator_users: OperatorUserTable;
  fault_rules: FaultRuleTable;
  // sql-operator.ts too: REST clients added through the admin API and the access tokens issued.
  rest_clients: RestClientTable;
  rest_tokens: RestTokenTable;
  // sql-bridge-imports.ts (0012_bridge_imports): a bridge's importToList batches, by list.
  bridge_imports: BridgeImportTable;
  // sql-journal.ts (0009_journal). Not in TABLES either: the admin API's reset clears it through
  // the journal, so that a store reset alone (a seed) keeps the record of the calls.
  journal: JournalTable;
}

/** Every table, children first, for reset. */
export const TABLES: readonly (keyof Database)[] = [
  'bridge_imports',
  'import_rows',
  'import_jobs',
  'campaign_runs',
  'campaign_lead_tokens',
  'tag_types',
  'channels',
  'program_costs',
  'opportunity_roles',
  'custom_objects',
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
