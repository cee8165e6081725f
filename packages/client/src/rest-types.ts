/**
 * Request and response types of the Lead Database REST calls, as Marketo's swagger
 * (swagger-mapi.json) names them. Lead records carry the fields asked for, so a lead is its id and
 * the default fields, plus whatever `fields` named.
 */
import type { RestErrorCode } from '@mktows/protocol';

/** Marketo's envelope around every REST answer. */
export interface RestEnvelope<T> {
  requestId: string;
  success: boolean;
  result?: T[];
  errors?: { code: string; message: string }[];
  warnings?: string[];
  moreResult?: boolean;
  nextPageToken?: string;
}

/** Why one record of a write was skipped (record-level errors: 1004, 1005, 1007...). */
export interface RestReason {
  code: string;
  message: string;
}

export interface Lead {
  id: number;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  updatedAt?: string;
  createdAt?: string;
  [field: string]: unknown;
}

export interface LeadField {
  id: number;
  displayName: string;
  dataType: string;
  length?: number;
  rest?: { name: string; readOnly: boolean };
  soap?: { name: string; readOnly: boolean };
}

export type LeadFilterType =
  | 'id'
  | 'email'
  | 'cookies'
  | 'sfdcLeadId'
  | 'sfdcContactId'
  | 'sfdcAccountId'
  | (string & Record<never, never>);

export interface PageOptions {
  batchSize?: number;
  nextPageToken?: string;
}

export interface LeadsByFilter extends PageOptions {
  filterType: LeadFilterType;
  filterValues: readonly (string | number)[];
  fields?: readonly string[];
}

export type SyncAction = 'createOnly' | 'updateOnly' | 'createOrUpdate' | 'createDuplicate';

export interface SyncLeadsRequest {
  action?: SyncAction;
  lookupField?: string;
  partitionName?: string;
  asyncProcessing?: boolean;
  input: readonly Record<string, unknown>[];
}

/** One record of a write's answer: the id and what happened, or why it was skipped. */
export interface RecordResult {
  id?: number;
  status: 'created' | 'updated' | 'deleted' | 'skipped' | 'added' | 'removed' | 'memberof' | 'notmemberof';
  reasons?: RestReason[];
  seq?: number;
}

export interface StaticList {
  id: number;
  name: string;
  description?: string;
  programName?: string;
  workspaceName?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface ListsQuery extends PageOptions {
  id?: readonly number[];
  name?: readonly string[];
  programName?: readonly string[];
  workspaceName?: readonly string[];
}

export interface ActivityType {
  id: number;
  name: string;
  description?: string;
  primaryAttribute?: { name: string; dataType: string };
  attributes?: { name: string; dataType: string }[];
}

export interface Activity {
  id: number;
  marketoGUID?: string;
  leadId: number;
  activityDate: string;
  activityTypeId: number;
  primaryAttributeValueId?: number;
  primaryAttributeValue?: string;
  attributes?: { name: string; value: unknown }[];
  [field: string]: unknown;
}

export interface LeadChange {
  id: number;
  marketoGUID?: string;
  leadId: number;
  activityDate: string;
  activityTypeId: number;
  fields: { id: number; name: string; newValue: unknown; oldValue: unknown }[];
  attributes?: { name: string; value: unknown }[];
}

export interface ActivitiesQuery {
  /** From getPagingToken (required by Marketo). */
  nextPageToken: string;
  activityTypeIds: readonly number[];
  leadIds?: readonly number[];
  listId?: number;
  assetIds?: readonly number[];
  batchSize?: number;
}

export interface LeadChangesQuery {
  nextPageToken: string;
  fields: readonly string[];
  leadIds?: readonly number[];
  listId?: number;
  batchSize?: number;
}

export interface Campaign {
  id: number;
  name: string;
  description?: string;
  type?: string;
  programName?: string;
  programId?: number;
  workspaceName?: string;
  active?: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface CampaignsQuery extends PageOptions {
  id?: readonly number[];
  name?: readonly string[];
  programName?: readonly string[];
  workspaceName?: readonly string[];
  isTriggerable?: boolean;
}

export interface CampaignToken {
  name: string;
  value: string;
}

export interface TriggerCampaignRequest {
  leads: readonly { id: number }[];
  tokens?: readonly CampaignToken[];
}

export interface ScheduleCampaignRequest {
  /** ISO 8601; Marketo runs the campaign 5 minutes from now when absent. */
  runAt?: string;
  cloneToProgramName?: string;
  tokens?: readonly CampaignToken[];
}

export type { RestErrorCode };
