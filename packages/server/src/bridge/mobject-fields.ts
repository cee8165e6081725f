/**
 * Opportunity and opportunity-role fields between SOAP and REST, from the instance's own
 * `opportunities/describe.json` and `opportunities/roles/describe.json` (cached). SOAP names are
 * the REST names with the first letter capitalised (`amount` ↔ `Amount`, MAPPING.md §5), except
 * where a REST field is no SOAP attribute: marketoGUID, createdAt and updatedAt are MObject
 * elements, externalOpportunityId is the opportunity's externalKey (and a role's Opportunity
 * association), externalCompanyId its Company association, and a role's leadId is `PersonId`.
 */
import { FAULT, MktowsFault } from '@mktows/protocol';
import {
  type MObjFieldDef,
  type MObjFieldType,
  matchName,
  OPPORTUNITY_FIELDS,
  ROLE_FIELDS,
} from '../domain/mobjects.js';
import type { BridgeCall } from './bridge.js';

export type MObjKind = 'Opportunity' | 'OpportunityPersonRole';

/** The REST path of each kind (describe, query, sync; `…/delete.json`). */
export const MOBJ_PATH: Record<MObjKind, string> = {
  Opportunity: '/rest/v1/opportunities',
  OpportunityPersonRole: '/rest/v1/opportunities/roles',
};

export const EXTERNAL_OPPORTUNITY_ID = 'externalOpportunityId';

/** REST fields that are not SOAP attributes (see the module comment). */
const NOT_ATTRIBUTES = new Set(['marketoGUID', 'createdAt', 'updatedAt', EXTERNAL_OPPORTUNITY_ID, 'externalCompanyId']);

/** SOAP names that break the capitalisation rule. */
const SOAP_NAME: Readonly<Record<string, string>> = { leadId: 'PersonId' };

export interface MObjField {
  readonly rest: string;
  readonly soap: string;
  readonly dataType: string;
  readonly length?: number;
  readonly displayName: string;
  readonly updateable: boolean;
}

export class MObjFieldMap {
  /** The SOAP attributes, in describe order. */
  readonly fields: readonly MObjField[];
  /** Every REST field name describe lists (marketoGUID and the keys included). */
  readonly restNames: readonly string[];
  readonly dedupeFields: readonly string[];

  constructor(
    readonly kind: MObjKind,
    describe: Record<string, unknown>,
  ) {
    const raw = (describe.fields ?? []) as Record<string, unknown>[];
    this.restNames = raw.map((f) => String(f.name ?? '')).filter((n) => n !== '');
    this.dedupeFields = ((describe.dedupeFields ?? []) as unknown[]).map(String);
    this.fields = raw
      .filter((f) => typeof f.name === 'string' && f.name !== '' && !NOT_ATTRIBUTES.has(f.name))
      .map((f) => {
        const rest = f.name as string;
        return {
          rest,
          soap: SOAP_NAME[rest] ?? rest.charAt(0).toUpperCase() + rest.slice(1),
          dataType: String(f.dataType ?? 'string'),
          ...(typeof f.length === 'number' ? { length: f.length } : {}),
          displayName: String(f.displayName ?? rest),
          updateable: f.updateable !== false,
        };
      });
  }

  /** By SOAP attribute name, case-insensitively as the emulator accepts them. */
  bySoap(name: string): MObjField | undefined {
    const soap = matchName(
      this.fields.map((f) => f.soap),
      name,
    );
    return this.fields.find((f) => f.soap === soap);
  }

  byRest(name: string): MObjField | undefined {
    return this.fields.find((f) => f.rest === name);
  }

  /**
   * The field as SOAP metadata: a standard field keeps the SOAP documentation's definition (a role's
   * PersonId and Role are set on create although REST marks its dedupe fields not updateable); any
   * other field is described from REST alone.
   */
  definition(f: MObjField): MObjFieldDef {
    const standard = (this.kind === 'Opportunity' ? OPPORTUNITY_FIELDS : ROLE_FIELDS).find((d) => d.name === f.soap);
    if (standard) return standard;
    return {
      name: f.soap,
      dataType: (f.dataType === 'datetime' ? 'dateTime' : f.dataType) as MObjFieldType,
      size: f.length ?? null,
      description: null,
      displayName: f.displayName,
      readOnly: !f.updateable,
      custom: true,
    };
  }
}

/** The kind's field map, from its describe (cached like the lead describe). */
export function mobjFields(call: BridgeCall, kind: MObjKind): Promise<MObjFieldMap> {
  return call.bridge.cache<MObjFieldMap>('mobject-fields').get(kind, async () => {
    const body = await call.rest({ method: 'GET', path: `${MOBJ_PATH[kind]}/describe.json` });
    const d = (body.result ?? [])[0] as Record<string, unknown> | undefined;
    if (!d) throw new MktowsFault(FAULT.INTERNAL_ERROR, `${MOBJ_PATH[kind]}/describe.json answered no object`);
    return new MObjFieldMap(kind, d);
  });
}
