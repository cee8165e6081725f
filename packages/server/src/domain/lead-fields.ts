/**
 * Marketo's standard lead fields that the SOAP API exposes,
 * plus the CRM keys that LeadKeyRef can look up. `Id` and `Email` travel as leadRecord elements,
 * every other field as an attribute.
 */
import type { LeadFieldDef, LeadFieldType } from '../store/store.js';

// The types live with the store, which keeps custom fields; the domain names them as its own.
export type { LeadFieldDef, LeadFieldType };

export const LEAD_FIELD_TYPES: readonly LeadFieldType[] = [
  'string',
  'text',
  'email',
  'phone',
  'url',
  'reference',
  'integer',
  'float',
  'currency',
  'boolean',
  'date',
  'datetime',
  'score',
  'percent',
  'textarea',
];

// name | display name | type | length | read-only over SOAP
const TABLE = `
Company|Company Name|string|255
Site|Site|string|255
BillingStreet|Billing Address|text
BillingCity|Billing City|string|255
BillingState|Billing State|string|255
BillingCountry|Billing Country|string|255
BillingPostalCode|Billing Postal Code|string|255
Website|Website|url|255
MainPhone|Main Phone|string|255
AnnualRevenue|Annual Revenue|currency
NumberOfEmployees|Num Employees|integer
Industry|Industry|string|255
SICCode|SIC Code|string|40
MktoCompanyNotes|Company Notes|text
Id|Id|integer
PersonType|Person Type|string|50
IsLead|Is Lead|boolean
Salutation|Salutation|string|255
FirstName|First Name|string|255
MiddleName|Middle Name|string|255
LastName|Last Name|string|255
Email|Email Address|email|255
Phone|Phone Number|phone|255
MobilePhone|Mobile Phone Number|phone|255
Fax|Fax Number|phone|255
Title|Job Title|string|255
Contact Company|Contact Company|reference
DateofBirth|Date of Birth|date
Address|Address|text
City|City|string|255
State|State|string|255
Country|Country|string|255
PostalCode|Postal Code|string|255
OriginalSourceType|Original Source Type|string|255
OriginalSourceInfo|Original Source Info|string|2000
RegistrationSourceType|Registration Source Type|string|255
RegistrationSourceInfo|Registration Source Info|string|2000
OriginalSearchEngine|Original Search Engine|string|255
OriginalSearchPhrase|Original Search Phrase|string|255
OriginalReferrer|Original Referrer|url|255
EmailInvalid|Email Invalid|boolean
EmailInvalidCause|Email Invalid Cause|string|255
Unsubscribed|Unsubscribed|boolean
UnsubscribedReason|Unsubscribed Reason|string|2000
DoNotCall|Do Not Call|boolean
DoNotCallReason|Do Not Call Reason|string|2000
MktoPersonNotes|Person Notes|text
AnonymousIP|Anonymous IP|string|255
InferredCompany|Inferred Company|string|255
InferredCountry|Inferred Country|string|255
Department|Department|string|255
Lead Person|Lead Person|reference
LeadRole|Role|string|50
LeadSource|Lead Source|string|255
LeadStatus|Lead Status|string|255
LeadScore|Lead Score|integer
Rating|Lead Rating|string|255
Person Primary Lead Interest|Primary Lead Interest|reference
Lead Partition ID|Lead Partition Id|reference
Lead Revenue Cycle Model ID|Lead Revenue Cycle Model ID|reference
Lead Revenue Stage ID|Lead Revenue Stage ID|reference
MarketoSocialGender|Marketo Social Gender|string|255
MarketoSocialFacebookDisplayName|Marketo Social Facebook Display Name|string|255
MarketoSocialTwitterDisplayName|Marketo Social Twitter Display Name|string|255
MarketoSocialLinkedInDisplayName|Marketo Social LinkedIn Display Name|string|255
MarketoSocialFacebookProfileURL|Marketo Social Facebook Profile URL|string|2000
MarketoSocialTwitterProfileURL|Marketo Social Twitter Profile URL|string|2000
MarketoSocialLinkedInProfileURL|Marketo Social LinkedIn Profile URL|string|2000
MarketoSocialFacebookPhotoURL|Marketo Social Facebook Photo URL|string|2000
MarketoSocialTwitterPhotoURL|Marketo Social Twitter Photo URL|string|2000
MarketoSocialLinkedInPhotoURL|Marketo Social LinkedIn Photo URL|string|2000
MarketoSocialFacebookReach|Marketo Social Facebook Reach|integer
MarketoSocialTwitterReach|Marketo Social Twitter Reach|integer
MarketoSocialLinkedInReach|Marketo Social LinkedIn Reach|integer
MarketoSocialFacebookReferredVisits|Marketo Social Facebook Referred Visits|integer
MarketoSocialTwitterReferredVisits|Marketo Social Twitter Referred Visits|integer
MarketoSocialLinkedInReferredVisits|Marketo Social LinkedIn Referred Visits|integer
MarketoSocialTotalReferredVisits|Marketo Social Total Referred Visits|integer||ro
MarketoSocialFacebookReferredEnrollments|Marketo Social Facebook Referred Enrollments|integer
MarketoSocialTwitterReferredEnrollments|Marketo Social Twitter Referred Enrollments|integer
MarketoSocialLinkedInReferredEnrollments|Marketo Social LinkedIn Referred Enrollments|integer
MarketoSocialTotalReferredEnrollments|Marketo Social Total Referred Enrollments|integer||ro
MarketoSocialLastReferredVisit|Marketo Social Last Referred Visit|datetime
MarketoSocialLastReferredEnrollment|Marketo Social Last Referred Enrollment|datetime
MarketoSocialSyndicationId|Marketo Social Syndication Id|string|2000
MarketoSocialFacebookId|Marketo Social Facebook Id|string|2000
MarketoSocialTwitterId|Marketo Social Twitter Id|string|2000
MarketoSocialLinkedInId|Marketo Social LinkedIn Id|string|2000
Acquisition Program ID|Acquisition Program|reference
SFDCType|SFDC Type|string|40
SFDCLeadId|SFDC Lead Id|string|18
SFDCContactId|SFDC Contact Id|string|18
SFDCAccountId|SFDC Account Id|string|18
LeadOwnerEmail|Lead Owner Email Address|email|255
`;

export const STANDARD_LEAD_FIELDS: readonly LeadFieldDef[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [name, displayName, dataType, length, ro] = line.split('|');
    return {
      name,
      displayName,
      dataType: dataType as LeadFieldType,
      ...(length ? { length: Number(length) } : {}),
      readOnly: ro === 'ro',
      custom: false,
    };
  });

/** Fields carried as leadRecord elements rather than attributes. */
export const RECORD_ELEMENT_FIELDS: ReadonlySet<string> = new Set(['Id', 'Email']);
