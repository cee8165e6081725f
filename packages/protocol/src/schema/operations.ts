/**
 * The 23 operations of the mktows port type, in WSDL order. Each takes one `params<Op>` body element
 * and answers one `success<Op>` element wrapping the result (getLeadActivity wraps
 * `leadActivityList` instead of `result`).
 */
export const NAMESPACE = 'http://www.marketo.com/mktows/';

export interface OperationDef {
  readonly name: string;
  /** Body element of the request, in NAMESPACE. */
  readonly paramsElement: string;
  readonly paramsType: string;
  readonly successElement: string;
  readonly successType: string;
  /** The one child of the success element. */
  readonly resultElement: string;
  readonly resultType: string;
  /** syncLead alone also binds MktowsContextHeader. */
  readonly contextHeader: boolean;
  readonly doc: string;
}

function op(
  name: string,
  doc: string,
  opts: { resultElement?: string; resultType?: string; contextHeader?: boolean } = {},
): OperationDef {
  const cap = name[0].toUpperCase() + name.slice(1);
  return {
    name,
    paramsElement: `params${cap}`,
    paramsType: `Params${cap}`,
    successElement: `success${cap}`,
    successType: `Success${cap}`,
    resultElement: opts.resultElement ?? 'result',
    resultType: opts.resultType ?? `Result${cap}`,
    contextHeader: opts.contextHeader ?? false,
    doc,
  };
}

export const OPERATIONS: readonly OperationDef[] = [
  op('deleteMObjects', 'Delete opportunities or opportunity person roles.'),
  op('describeMObject', 'Describe the fields of a Marketo object.'),
  op('getMObjects', 'Query opportunities, opportunity person roles or programs.'),
  op('syncMObjects', 'Insert, update or upsert Marketo objects.'),
  op('getCampaignsForSource', 'List the smart campaigns that a source may request.'),
  op('getImportToListStatus', 'Report the progress of an importToList call.'),
  op('getLead', 'Retrieve the leads that match a lead key.'),
  op('getLeadActivity', 'Page through the activity history of one lead.', {
    resultElement: 'leadActivityList',
    resultType: 'LeadActivityList',
  }),
  op('getLeadChanges', 'Page through data-value changes and other activity across all leads.'),
  op('getMultipleLeads', 'Page through leads selected by key, static list or update time.'),
  op('importToList', 'Import leads from CSV rows into a static list, asynchronously.'),
  op('listMObjects', 'List the Marketo object types that the MObject operations accept.'),
  op('listOperation', 'Add leads to, remove them from, or test their membership of a static list.'),
  op('requestCampaign', 'Run leads through a trigger smart campaign.'),
  op('scheduleCampaign', 'Schedule a batch smart campaign.'),
  op('syncLead', 'Create or update one lead.', { contextHeader: true }),
  op('syncMultipleLeads', 'Create or update several leads in one call.'),
  op('syncCustomObjects', 'Insert, update or upsert custom objects.'),
  op('deleteCustomObjects', 'Delete custom objects by key.'),
  op('getCustomObjects', 'Page through custom objects.'),
  op('mergeLeads', 'Merge losing leads into a winning lead.'),
  op('getChannels', 'List program channels with their progression statuses.'),
  op('getTags', 'List tag types and their allowed values.'),
];

export const OPERATION_BY_NAME: ReadonlyMap<string, OperationDef> = new Map(OPERATIONS.map((o) => [o.name, o]));
export const OPERATION_BY_PARAMS_ELEMENT: ReadonlyMap<string, OperationDef> = new Map(
  OPERATIONS.map((o) => [o.paramsElement, o]),
);
