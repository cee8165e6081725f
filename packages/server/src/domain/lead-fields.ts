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

// SOAP name | display name | type | length | read-only over SOAP | REST name (none: SOAP only) | read-only over REST
const TABLE = `
Company|Company Name|string|255||company
Site|Site|string|255||site
BillingStreet|Billing Address|text|||billingStreet
BillingCity|Billing City|string|255||billingCity
BillingState|Billing State|string|255||billingState
BillingCountry|Billing Country|string|255||billingCountry
BillingPostalCode|Billing Postal Code|string|255||billingPostalCode
Website|Website|url|255||website
MainPhone|Main Phone|string|255||mainPhone
AnnualRevenue|Annual Revenue|currency|||annualRevenue
NumberOfEmployees|Num Employees|integer|||numberOfEmployees
Industry|Industry|string|255||industry
SICCode|SIC Code|string|40||sicCode
MktoCompanyNotes|Company Notes|text|||mktoCompanyNotes
Id|Id|integer|||id
PersonType|Person Type|string|50||personType
IsLead|Is Lead|boolean|||isLead
Salutation|Salutation|string|255||salutation
FirstName|First Name|string|255||firstName
MiddleName|Middle Name|string|255||middleName
LastName|Last Name|string|255||lastName
Email|Email Address|email|255||email
Phone|Phone Number|phone|255||phone
MobilePhone|Mobile Phone Number|phone|255||mobilePhone
Fax|Fax Number|phone|255||fax
Title|Job Title|string|255||title
Contact Company|Contact Company|reference|||contactCompany|ro
DateofBirth|Date of Birth|date|||dateOfBirth
Address|Address|text|||address
City|City|string|255||city
State|State|string|255||state
Country|Country|string|255||country
PostalCode|Postal Code|string|255||postalCode
OriginalSourceType|Original Source Type|string|255||originalSourceType|ro
OriginalSourceInfo|Original Source Info|string|2000||originalSourceInfo|ro
RegistrationSourceType|Registration Source Type|string|255||registrationSourceType
RegistrationSourceInfo|Registration Source Info|string|2000||registrationSourceInfo
OriginalSearchEngine|Original Search Engine|string|255||originalSearchEngine|ro
OriginalSearchPhrase|Original Search Phrase|string|255||originalSearchPhrase|ro
OriginalReferrer|Original Referrer|url|255||originalReferrer|ro
EmailInvalid|Email Invalid|boolean|||emailInvalid
EmailInvalidCause|Email Invalid Cause|string|255||emailInvalidCause
Unsubscribed|Unsubscribed|boolean|||unsubscribed
UnsubscribedReason|Unsubscribed Reason|string|2000||unsubscribedReason
DoNotCall|Do Not Call|boolean|||doNotCall
DoNotCallReason|Do Not Call Reason|string|2000||doNotCallReason
MktoPersonNotes|Person Notes|text|||mktoPersonNotes
AnonymousIP|Anonymous IP|string|255||anonymousIP
InferredCompany|Inferred Company|string|255||inferredCompany|ro
InferredCountry|Inferred Country|string|255||inferredCountry|ro
Department|Department|string|255||department
Lead Person|Lead Person|reference|||leadPerson|ro
LeadRole|Role|string|50||leadRole
LeadSource|Lead Source|string|255||leadSource
LeadStatus|Lead Status|string|255||leadStatus
LeadScore|Lead Score|integer|||leadScore
Rating|Lead Rating|string|255||rating
Person Primary Lead Interest|Primary Lead Interest|reference|||personPrimaryLeadInterest|ro
Lead Partition ID|Lead Partition Id|reference|||leadPartitionId
Lead Revenue Cycle Model ID|Lead Revenue Cycle Model ID|reference|||leadRevenueCycleModelId
Lead Revenue Stage ID|Lead Revenue Stage ID|reference|||leadRevenueStageId
MarketoSocialGender|Marketo Social Gender|string|255||gender
MarketoSocialFacebookDisplayName|Marketo Social Facebook Display Name|string|255||facebookDisplayName
MarketoSocialTwitterDisplayName|Marketo Social Twitter Display Name|string|255||twitterDisplayName
MarketoSocialLinkedInDisplayName|Marketo Social LinkedIn Display Name|string|255||linkedInDisplayName
MarketoSocialFacebookProfileURL|Marketo Social Facebook Profile URL|string|2000||facebookProfileURL
MarketoSocialTwitterProfileURL|Marketo Social Twitter Profile URL|string|2000||twitterProfileURL
MarketoSocialLinkedInProfileURL|Marketo Social LinkedIn Profile URL|string|2000||linkedInProfileURL
MarketoSocialFacebookPhotoURL|Marketo Social Facebook Photo URL|string|2000||facebookPhotoURL
MarketoSocialTwitterPhotoURL|Marketo Social Twitter Photo URL|string|2000||twitterPhotoURL
MarketoSocialLinkedInPhotoURL|Marketo Social LinkedIn Photo URL|string|2000||linkedInPhotoURL
MarketoSocialFacebookReach|Marketo Social Facebook Reach|integer|||facebookReach
MarketoSocialTwitterReach|Marketo Social Twitter Reach|integer|||twitterReach
MarketoSocialLinkedInReach|Marketo Social LinkedIn Reach|integer|||linkedInReach
MarketoSocialFacebookReferredVisits|Marketo Social Facebook Referred Visits|integer|||facebookReferredVisits
MarketoSocialTwitterReferredVisits|Marketo Social Twitter Referred Visits|integer|||twitterReferredVisits
MarketoSocialLinkedInReferredVisits|Marketo Social LinkedIn Referred Visits|integer|||linkedInReferredVisits
MarketoSocialTotalReferredVisits|Marketo Social Total Referred Visits|integer||ro|totalReferredVisits|ro
MarketoSocialFacebookReferredEnrollments|Marketo Social Facebook Referred Enrollments|integer|||facebookReferredEnrollments
MarketoSocialTwitterReferredEnrollments|Marketo Social Twitter Referred Enrollments|integer|||twitterReferredEnrollments
MarketoSocialLinkedInReferredEnrollments|Marketo Social LinkedIn Referred Enrollments|integer|||linkedInReferredEnrollments
MarketoSocialTotalReferredEnrollments|Marketo Social Total Referred Enrollments|integer||ro|totalReferredEnrollments|ro
MarketoSocialLastReferredVisit|Marketo Social Last Referred Visit|datetime|||lastReferredVisit
MarketoSocialLastReferredEnrollment|Marketo Social Last Referred Enrollment|datetime|||lastReferredEnrollment
MarketoSocialSyndicationId|Marketo Social Syndication Id|string|2000||syndicationId
MarketoSocialFacebookId|Marketo Social Facebook Id|string|2000||facebookId
MarketoSocialTwitterId|Marketo Social Twitter Id|string|2000||twitterId
MarketoSocialLinkedInId|Marketo Social LinkedIn Id|string|2000||linkedInId
Acquisition Program ID|Acquisition Program|reference|||acquisitionProgramId
SFDCType|SFDC Type|string|40
SFDCLeadId|SFDC Lead Id|string|18
SFDCContactId|SFDC Contact Id|string|18
SFDCAccountId|SFDC Account Id|string|18
LeadOwnerEmail|Lead Owner Email Address|email|255
`;

export const STANDARD_LEAD_FIELDS: readonly LeadFieldDef[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [name, displayName, dataType, length, ro, restName, restRo] = line.split('|');
    return {
      name,
      displayName,
      dataType: dataType as LeadFieldType,
      ...(length ? { length: Number(length) } : {}),
      readOnly: ro === 'ro',
      custom: false,
      ...(restName ? { restName, restReadOnly: restRo === 'ro' } : {}),
    };
  });

/** Fields carried as leadRecord elements rather than attributes. */
export const RECORD_ELEMENT_FIELDS: ReadonlySet<string> = new Set(['Id', 'Email']);
