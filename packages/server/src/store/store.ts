/**
 * The storage interface, at the level of the domain (find leads by key, page leads, append
 * activities), never of SQL: a later backend serves the same interface from Marketo's REST API.
 * Every multi-row write goes through `transaction`, so a failing call leaves nothing half-written.
 */
import type { Activity, ActivityReader, ListMemberWriter, NewActivity } from './activity-store.js';
import type { BridgeImportStore } from './bridge-import-store.js';
import type { CampaignReads, CampaignWrites } from './campaign-store.js';
import type { CustomObjectReader, CustomObjectStore } from './custom-object-store.js';
import type { ImportReads, ImportWrites } from './import-store.js';
import type { JournalStore } from './journal-store.js';
import type { MObjectReader, MObjectStore } from './mobject-store.js';
import type { OperatorStore } from './operator-store.js';

// Activities are defined beside the reader that pages them; most callers know them as store types.
export type { Activity, NewActivity };

/** How a lead field's values are checked and written (domain/lead-fields.ts lists the standard ones). */
export type LeadFieldType =
  | 'string'
  | 'text'
  | 'email'
  | 'phone'
  | 'url'
  | 'reference'
  | 'integer'
  | 'float'
  | 'currency'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'score'
  | 'percent'
  | 'textarea';

/** A lead field as stored (custom fields) and as the domain describes the standard ones. */
export interface LeadFieldDef {
  /** SOAP name (attrName). */
  readonly name: string;
  /** UI label; also the importToList CSV header. */
  readonly displayName: string;
  readonly dataType: LeadFieldType;
  /** Maximum length of string values; undefined = no limit checked. */
  readonly length?: number;
  readonly readOnly: boolean;
  readonly custom: boolean;
  /** REST name (describe's `rest.name`) of a standard field; absent for SOAP-only fields. Custom fields use `name`. */
  readonly restName?: string;
  /** describe's `rest.readOnly`, where REST and SOAP disagree (REST marks system-managed fields read-only). */
  readonly restReadOnly?: boolean;
}

export interface Lead {
  id: number;
  email: string | null;
  foreignSysPersonId: string | null;
  foreignSysType: string | null;
  ownerId: number | null;
  /** Canonical text values by SOAP field name (not Id or Email). */
  attributes: Record<string, string>;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

export type NewLead = Omit<Lead, 'id'>;

export interface Owner {
  id: number;
  email: string;
  sfdcId: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface StaticList {
  id: number;
  name: string;
  programName: string | null;
}

/** A static list with the workspace of the program that owns it (REST `lists.json`). */
export interface StaticListInfo extends StaticList {
  /** The owning program's workspace; lists outside programs are in "Default". */
  workspace: string;
}

export interface ProgramInput {
  name: string;
  channel: string | null;
  workspace: string;
  tags: { type: string; value: string }[];
}

export interface CampaignInput {
  programId: number;
  name: string;
  kind: 'trigger' | 'batch';
  /** Sources that may request it (requestCampaign / getCampaignsForSource): MKTOWS, SALES. */
  sources: string[];
  description: string;
}

export interface OpportunityInput {
  externalKey: string | null;
  name: string;
  attributes: Record<string, string>;
}

export interface CustomObjectTypeInput {
  name: string;
  keys: string[];
  fields: { name: string; dataType: string }[];
}

/** How a LeadKey finds leads. Owner keys resolve the owner first (20108), then use `OWNER`. */
export type LeadLookup =
  | { by: 'IDNUM'; value: number }
  | { by: 'EMAIL' | 'COOKIE' | 'SFDCLEADID' | 'SFDCCONTACTID' | 'SFDCACCOUNTID' | 'FSPID'; value: string }
  | { by: 'OWNER'; ownerId: number }
  /** SFDCOPPTYID: leads with a person role on the opportunity whose external key is `value`. */
  | { by: 'OPPORTUNITY'; value: string };

export type LeadFilter =
  | { kind: 'updated'; from: number; to: number }
  | { kind: 'list'; listId: number }
  | { kind: 'ids'; ids: number[] };

/**
 * A lead as a page of getMultipleLeads carries it: the attributes stay the stored JSON text, so
 * that the response can be written from it without building an object per lead.
 */
export interface PagedLead {
  id: number;
  email: string | null;
  foreignSysPersonId: string | null;
  foreignSysType: string | null;
  /** JSON object of canonical text values by SOAP field name, as stored. */
  attributesJson: string;
}

export interface LeadPage {
  leads: PagedLead[];
  /** Leads matching the filter after the last one returned. */
  remaining: number;
}

export interface LeadReader {
  /** Leads matching a key, newest (highest id) first. */
  findLeads(lookup: LeadLookup): Promise<Lead[]>;
  /** The same leads as stored, attributes as their JSON text: for writing records without parsing them. */
  findStoredLeads(lookup: LeadLookup): Promise<PagedLead[]>;
  getLeads(ids: readonly number[]): Promise<Lead[]>;
  findOwner(by: 'email' | 'sfdcId', value: string): Promise<Owner | undefined>;
  getOwner(id: number): Promise<Owner | undefined>;
  findList(by: 'name', value: string): Promise<StaticList | undefined>;
  findList(by: 'id', value: number): Promise<StaticList | undefined>;
  isListMember(listId: number, leadId: number): Promise<boolean>;
}

export interface StoreTx extends LeadReader, ListMemberWriter {
  /** Programs, opportunities and person roles as MObjects (store/mobject-store.ts). */
  readonly mobjects: MObjectStore;
  /** Custom object types and records (store/custom-object-store.ts). */
  readonly customObjects: CustomObjectStore;
  /** Programs' campaigns and runs, tag types, per-lead tokens (store/campaign-store.ts). */
  readonly campaigns: CampaignWrites;
  /** importToList jobs and their rows (store/import-store.ts). */
  readonly imports: ImportWrites;
  insertLead(lead: NewLead): Promise<Lead>;
  /** Replaces every column of the lead. */
  updateLead(lead: Lead): Promise<void>;
  /**
   * Batched writes (syncMultipleLeads): every lead whose Id, e-mail (case-insensitively) or
   * ForeignSysPersonId is one of `values`, in no particular order.
   */
  findLeadsByKeys(by: 'IDNUM' | 'EMAIL' | 'FSPID', values: readonly (string | number)[]): Promise<Lead[]>;
  /**
   * Holds until the transaction ends one lock per key (`leadKeyLock`): a transaction that may
   * create a lead under a key takes it before looking the key up, so that two writers never both
   * find no lead and both insert one. A no-op where write transactions already run one at a time.
   */
  lockLeadKeys(keys: readonly string[]): Promise<void>;
  /** Inserts the leads in order; returns their ids in the same order (increasing). */
  insertLeads(leads: readonly NewLead[]): Promise<number[]>;
  /** updateLead for each lead, in order. */
  updateLeads(leads: readonly Lead[]): Promise<void>;
  deleteLeads(ids: readonly number[]): Promise<void>;
  /** Associates a Munchkin cookie with a lead (moving it if another lead had it). */
  setCookie(cookie: string, leadId: number): Promise<void>;
  /** Moves list memberships, activities and cookies of `fromIds` to `toId` (mergeLeads). */
  moveLeadData(fromIds: readonly number[], toId: number): Promise<void>;
  appendActivities(activities: readonly NewActivity[]): Promise<void>;
  upsertOwner(owner: Omit<Owner, 'id'>): Promise<Owner>;
  upsertList(name: string, programName: string | null): Promise<StaticList>;
  addListMembers(listId: number, leadIds: readonly number[], at: number): Promise<void>;
  upsertCustomLeadFields(fields: readonly LeadFieldDef[]): Promise<void>;
  /** Programs, campaigns, opportunities and custom-object types: stored now, served by later operations. */
  upsertProgram(program: ProgramInput, at: number): Promise<number>;
  upsertCampaign(campaign: CampaignInput): Promise<number>;
  upsertOpportunity(opportunity: OpportunityInput, at: number): Promise<number>;
  upsertCustomObjectType(type: CustomObjectTypeInput): Promise<void>;
  /** Empties every table (as Store.reset), inside this transaction: a reset with a seed is atomic. */
  clearAll(): Promise<void>;
}

export interface Store extends LeadReader, ActivityReader {
  readonly kind: 'sqlite' | 'postgres';
  readonly mobjects: MObjectReader;
  readonly customObjects: CustomObjectReader;
  readonly campaigns: CampaignReads;
  readonly imports: ImportReads;
  /** Admin-added users, fault rules and clock offset (store/operator-store.ts): not emptied by `reset`. */
  readonly operator: OperatorStore;
  /** On a bridge: the importToList batch of each list (store/bridge-import-store.ts). */
  readonly bridgeImports: BridgeImportStore;
  /** The request journal of every replica sharing this store (store/journal-store.ts): not emptied by `reset`. */
  readonly journal: JournalStore;
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  /** Cheap round trip proving the backend answers (health, 10001 checks). */
  ping(): Promise<void>;
  /** Empties every table of data; keeps the schema, the stream secret and the operator state. */
  reset(): Promise<void>;
  close(): Promise<void>;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  listCustomLeadFields(): Promise<LeadFieldDef[]>;
  /**
   * Leads matching the filter after `afterId`, by id. `remainingBefore`, the remaining count the
   * previous page reported, lets a backend skip counting again.
   */
  pageLeads(filter: LeadFilter, afterId: number, limit: number, remainingBefore?: number): Promise<LeadPage>;
  countLeads(): Promise<number>;
  /** Every static list, by ascending id. */
  listLists(): Promise<StaticListInfo[]>;
  /** Activities of one lead, newest first. */
  listActivities(leadId: number): Promise<Activity[]>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
}

/** The key `lockLeadKeys` locks for a lead found by e-mail (case-insensitively) or by ForeignSysPersonId. */
export function leadKeyLock(by: 'EMAIL' | 'FSPID', value: string): string {
  return by === 'EMAIL' ? `email:${value.toLowerCase()}` : `fsp:${value}`;
}

/** Raised by a backend that cannot reach or use its database; the pipeline answers 10001. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
