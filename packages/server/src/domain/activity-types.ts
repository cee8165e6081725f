/**
 * Activity types the server records: Marketo's type id, the ActivityType token used by filters,
 * and the display name that activity records carry in `activityType`.
 */
export interface ActivityTypeDef {
  readonly id: number;
  readonly token: string;
  readonly name: string;
}

export const ACTIVITY = {
  VisitWebpage: { id: 1, token: 'VisitWebpage', name: 'Visit Webpage' },
  FillOutForm: { id: 2, token: 'FillOutForm', name: 'Fill Out Form' },
  ClickLink: { id: 3, token: 'ClickLink', name: 'Click Link' },
  SendEmail: { id: 6, token: 'SendEmail', name: 'Send Email' },
  EmailDelivered: { id: 7, token: 'EmailDelivered', name: 'Email Delivered' },
  OpenEmail: { id: 10, token: 'OpenEmail', name: 'Open Email' },
  ClickEmail: { id: 11, token: 'ClickEmail', name: 'Click Email' },
  NewLead: { id: 12, token: 'NewLead', name: 'New Lead' },
  ChangeDataValue: { id: 13, token: 'ChangeDataValue', name: 'Change Data Value' },
  ChangeScore: { id: 22, token: 'ChangeScore', name: 'Change Score' },
  AddToList: { id: 24, token: 'AddToList', name: 'Add to List' },
  RemoveFromList: { id: 25, token: 'RemoveFromList', name: 'Remove from List' },
  MergeLeads: { id: 32, token: 'MergeLeads', name: 'Merge Leads' },
  RequestCampaign: { id: 47, token: 'RequestCampaign', name: 'Request Campaign' },
} as const satisfies Record<string, ActivityTypeDef>;

/** What Marketo wrote as Reason and Source of changes made through this API. */
export const API_SOURCE = 'Web service API';
