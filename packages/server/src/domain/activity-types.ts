/**
 * Activity types: Marketo's type id, the ActivityType token that getLeadActivity/getLeadChanges
 * filters use, and the display name that activity records carry in `activityType` and that
 * getLeadChanges' `activityNameFilter` takes.
 *
 * Ids: where Marketo's REST "Get Activity Types" list names the type, its id (1 Visit Webpage …
 * 108 Change Segment). The WSDL's enum lists the tokens in id order for every type whose id is
 * known, so the types REST never exposed take the id of the gap they sit in (14–18, 20, 28, 31, 33,
 * 103, 105). The three tokens after Change Segment have no known id: 109, 120 and 121 are ours.
 * Display names: Adobe's "Activity Type Filters" page where it names the type (e.g. PushLeadToSales
 * is "Sync Lead to SFDC"), otherwise the token split into words.
 */
export interface ActivityAttributeDef {
  readonly name: string;
  readonly dataType: 'integer' | 'string' | 'text' | 'date' | 'boolean';
}

export interface ActivityTypeDef {
  readonly id: number;
  readonly token: string;
  readonly name: string;
  /**
   * REST `activities/types.json` metadata. Where Marketo's own definition is recorded (Visit
   * Webpage, Fill Out Form) it is that; for the types this server writes, the primary attribute is
   * the one whose value names the asset and `attributes` the others it writes. Types with neither
   * list no attributes and no primary attribute.
   */
  readonly description?: string;
  readonly primary?: ActivityAttributeDef;
  readonly attributes?: readonly ActivityAttributeDef[];
}

const str = (name: string): ActivityAttributeDef => ({ name, dataType: 'string' });
const int = (name: string): ActivityAttributeDef => ({ name, dataType: 'integer' });

export const ACTIVITY = {
  VisitWebpage: {
    id: 1,
    token: 'VisitWebpage',
    name: 'Visit Webpage',
    description: 'User visits a web page',
    primary: int('Webpage ID'),
    attributes: [
      'Client IP Address',
      'Query Parameters',
      'Referrer URL',
      'Search Engine',
      'Search Query',
      'User Agent',
      'Webpage URL',
    ].map(str),
  },
  FillOutForm: {
    id: 2,
    token: 'FillOutForm',
    name: 'Fill Out Form',
    description: 'User fills out and submits form on web page',
    primary: int('Webform ID'),
    attributes: [
      str('Client IP Address'),
      { name: 'Form Fields', dataType: 'text' },
      str('Query Parameters'),
      str('Referrer URL'),
      str('User Agent'),
      int('Webpage ID'),
    ],
  },
  ClickLink: { id: 3, token: 'ClickLink', name: 'Click Link' },
  SendEmail: { id: 6, token: 'SendEmail', name: 'Send Email' },
  EmailDelivered: { id: 7, token: 'EmailDelivered', name: 'Email Delivered' },
  EmailBounced: { id: 8, token: 'EmailBounced', name: 'Email Bounced' },
  UnsubscribeEmail: { id: 9, token: 'UnsubscribeEmail', name: 'Unsubscribe Email' },
  OpenEmail: { id: 10, token: 'OpenEmail', name: 'Open Email' },
  ClickEmail: { id: 11, token: 'ClickEmail', name: 'Click Email' },
  NewLead: {
    id: 12,
    token: 'NewLead',
    name: 'New Lead',
    attributes: [str('Source Type'), str('Source Info'), { name: 'Created Date', dataType: 'date' }, int('Lead ID')],
  },
  ChangeDataValue: {
    id: 13,
    token: 'ChangeDataValue',
    name: 'Change Data Value',
    primary: str('Attribute Name'),
    attributes: [str('Old Value'), str('New Value'), str('Reason'), str('Source'), int('Lead ID')],
  },
  LeadAssigned: { id: 14, token: 'LeadAssigned', name: 'Lead Assigned' },
  NewSFDCOpprtnty: { id: 15, token: 'NewSFDCOpprtnty', name: 'New SFDC Opportunity' },
  Wait: { id: 16, token: 'Wait', name: 'Wait' },
  RunSubflow: { id: 17, token: 'RunSubflow', name: 'Run Subflow' },
  RemoveFromFlow: { id: 18, token: 'RemoveFromFlow', name: 'Remove from Flow' },
  PushLeadToSales: { id: 19, token: 'PushLeadToSales', name: 'Sync Lead to SFDC' },
  CreateTask: { id: 20, token: 'CreateTask', name: 'Create Task' },
  ConvertLead: { id: 21, token: 'ConvertLead', name: 'Convert Lead' },
  ChangeScore: {
    id: 22,
    token: 'ChangeScore',
    name: 'Change Score',
    primary: str('Score Name'),
    attributes: ['Change Value', 'Old Value', 'New Value', 'Reason', 'Source'].map(str).concat(int('Lead ID')),
  },
  ChangeOwner: { id: 23, token: 'ChangeOwner', name: 'Change Owner' },
  AddToList: {
    id: 24,
    token: 'AddToList',
    name: 'Add to List',
    primary: int('List ID'),
    attributes: [str('Source'), int('Lead ID')],
  },
  RemoveFromList: {
    id: 25,
    token: 'RemoveFromList',
    name: 'Remove from List',
    primary: int('List ID'),
    attributes: [str('Source'), int('Lead ID')],
  },
  SFDCActivity: { id: 26, token: 'SFDCActivity', name: 'SFDC Activity' },
  EmailBouncedSoft: { id: 27, token: 'EmailBouncedSoft', name: 'Email Bounced Soft' },
  PushLeadUpdatesToSales: { id: 28, token: 'PushLeadUpdatesToSales', name: 'Sync Lead Updates to SFDC' },
  DeleteLeadFromSales: { id: 29, token: 'DeleteLeadFromSales', name: 'Delete Lead from SFDC' },
  SFDCActivityUpdated: { id: 30, token: 'SFDCActivityUpdated', name: 'SFDC Activity Updated' },
  SFDCMergeLeads: { id: 31, token: 'SFDCMergeLeads', name: 'SFDC Merge Leads' },
  MergeLeads: {
    id: 32,
    token: 'MergeLeads',
    name: 'Merge Leads',
    attributes: [
      str('Merge ids'),
      { name: 'Merged in Sales', dataType: 'boolean' },
      { name: 'Master Updated', dataType: 'boolean' },
    ],
  },
  ResolveConflicts: { id: 33, token: 'ResolveConflicts', name: 'Resolve Conflicts' },
  AssocWithOpprtntyInSales: { id: 34, token: 'AssocWithOpprtntyInSales', name: 'Add to Opportunity' },
  DissocFromOpprtntyInSales: { id: 35, token: 'DissocFromOpprtntyInSales', name: 'Remove from Opportunity' },
  UpdateOpprtntyInSales: { id: 36, token: 'UpdateOpprtntyInSales', name: 'Update Opportunity' },
  DeleteLead: { id: 37, token: 'DeleteLead', name: 'Delete Lead', primary: int('Lead ID'), attributes: [] },
  SendAlert: { id: 38, token: 'SendAlert', name: 'Send Alert' },
  SendSalesEmail: { id: 39, token: 'SendSalesEmail', name: 'Send Sales Email' },
  OpenSalesEmail: { id: 40, token: 'OpenSalesEmail', name: 'Open Sales Email' },
  ClickSalesEmail: { id: 41, token: 'ClickSalesEmail', name: 'Click Sales Email' },
  AddtoSFDCCampaign: { id: 42, token: 'AddtoSFDCCampaign', name: 'Add to SFDC Campaign' },
  RemoveFromSFDCCampaign: { id: 43, token: 'RemoveFromSFDCCampaign', name: 'Remove from SFDC Campaign' },
  ChangeStatusInSFDCCampaign: {
    id: 44,
    token: 'ChangeStatusInSFDCCampaign',
    name: 'Change Status in SFDC Campaign',
  },
  ReceiveSalesEmail: { id: 45, token: 'ReceiveSalesEmail', name: 'Receive Sales Email' },
  InterestingMoment: { id: 46, token: 'InterestingMoment', name: 'Interesting Moment' },
  RequestCampaign: {
    id: 47,
    token: 'RequestCampaign',
    name: 'Request Campaign',
    primary: int('Campaign ID'),
    attributes: [str('Source'), int('Lead ID')],
  },
  SalesEmailBounced: { id: 48, token: 'SalesEmailBounced', name: 'Sales Email Bounced' },
  ChangeLeadPartition: { id: 100, token: 'ChangeLeadPartition', name: 'Change Lead Partition' },
  ChangeRevenueStage: { id: 101, token: 'ChangeRevenueStage', name: 'Change Revenue Stage' },
  ChangeRevenueStageManually: {
    id: 102,
    token: 'ChangeRevenueStageManually',
    name: 'Change Revenue Stage Manually',
  },
  ComputeDataValue: { id: 103, token: 'ComputeDataValue', name: 'Compute Data Value' },
  ChangeStatusInProgression: { id: 104, token: 'ChangeStatusInProgression', name: 'Change Status in Progression' },
  ChangeFieldInProgram: { id: 105, token: 'ChangeFieldInProgram', name: 'Change Field in Program' },
  EnrichWithDatacom: { id: 106, token: 'EnrichWithDatacom', name: 'Enrich with Data.com' },
  ChangeSegment: { id: 108, token: 'ChangeSegment', name: 'Change Segment' },
  ResolveRuleset: { id: 109, token: 'ResolveRuleset', name: 'Resolve Ruleset' },
  SmartCampaignTest: { id: 120, token: 'SmartCampaignTest', name: 'Smart Campaign Test' },
  SmartCampaignTestTrigger: { id: 121, token: 'SmartCampaignTestTrigger', name: 'Smart Campaign Test Trigger' },
} as const satisfies Record<string, ActivityTypeDef>;

export type ActivityToken = keyof typeof ACTIVITY;

export const ACTIVITY_TYPES: readonly ActivityTypeDef[] = Object.values(ACTIVITY);

const BY_ID: ReadonlyMap<number, ActivityTypeDef> = new Map(ACTIVITY_TYPES.map((t) => [t.id, t]));
const BY_TOKEN: ReadonlyMap<string, ActivityTypeDef> = new Map(ACTIVITY_TYPES.map((t) => [t.token, t]));
const BY_NAME: ReadonlyMap<string, ActivityTypeDef> = new Map(ACTIVITY_TYPES.map((t) => [t.name.toLowerCase(), t]));

/**
 * The names on Adobe's "Activity Type Filters" page that no ActivityType token carries (types
 * added after the enum froze). activityNameFilter accepts them; this server never records them
 * except through a seed.
 */
export const EXTRA_ACTIVITY_NAMES: readonly string[] = [
  'Add to Nurture',
  'Add to Segment',
  'Add to Smart Campaign',
  'Assign Nurture Content',
  'Capture Campaign Membership History',
  'Capture List Membership History',
  'Change Account Owner',
  'Change Attribute Datatype',
  'Change CRM User',
  'Change Custom Object',
  'Change Nurture Cadence',
  'Change Nurture Exhausted',
  'Change Nurture Track',
  'Change Program Data',
  'Click Shared Link',
  'Nurture Deploy',
  'Received Forward to Friend Email',
  'Reward Test Group Variant',
  'Segmentation Approval',
  'Sent Forward to Friend Email',
  'Share Content',
];

const KNOWN_NAMES: ReadonlyMap<string, string> = new Map(
  [...ACTIVITY_TYPES.map((t) => t.name), ...EXTRA_ACTIVITY_NAMES].map((n) => [n.toLowerCase(), n]),
);

export function activityByToken(token: string): ActivityTypeDef | undefined {
  return BY_TOKEN.get(token);
}

export function activityById(id: number): ActivityTypeDef | undefined {
  return BY_ID.get(id);
}

/** A type by display name (case-insensitive), for seeds. */
export function activityByName(name: string): ActivityTypeDef | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/**
 * The canonical spelling of an activityNameFilter name (any of the 57 types' names or the extra
 * names of the filter page, matched case-insensitively), or undefined for an unknown name.
 */
export function canonicalActivityName(name: string): string | undefined {
  return KNOWN_NAMES.get(name.trim().toLowerCase());
}

/** What Marketo wrote as Reason and Source of changes made through this API. */
export const API_SOURCE = 'Web service API';
