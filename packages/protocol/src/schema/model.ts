/**
 * The vocabulary used to describe the Marketo SOAP schema once, as data. Everything else (the WSDL,
 * the decoder, the encoder, the generated TypeScript types, the client) is derived from it.
 */

/** API versions as they appear in the endpoint path, ordered. */
export type Version = `${number}_${number}`;

/** XML Schema built-in types that the mktows schema uses. */
export type XsdType = 'string' | 'int' | 'long' | 'integer' | 'boolean' | 'dateTime' | 'anySimpleType' | 'base64Binary';

export const XSD_TYPES: ReadonlySet<string> = new Set<XsdType>([
  'string',
  'int',
  'long',
  'integer',
  'boolean',
  'dateTime',
  'anySimpleType',
  'base64Binary',
]);

export interface FieldDef {
  readonly name: string;
  /** An XSD built-in (see XSD_TYPES) or the name of a complex or simple type of the schema. */
  readonly type: string;
  /** minOccurs 0 */
  readonly optional: boolean;
  /** maxOccurs unbounded */
  readonly many: boolean;
  readonly nillable: boolean;
  /** First API version that has this field (inclusive); absent = every version. */
  readonly since?: Version;
  /** Last API version that has this field (inclusive); absent = still present in 3_1. */
  readonly until?: Version;
}

export interface ComplexTypeDef {
  readonly kind: 'complex';
  readonly name: string;
  readonly fields: readonly FieldDef[];
  readonly abstract?: boolean;
  /** xs:extension base (LeadSelector subtypes). */
  readonly base?: string;
  readonly doc?: string;
}

export interface EnumValueDef {
  readonly value: string;
  readonly since?: Version;
  readonly until?: Version;
}

export interface EnumTypeDef {
  readonly kind: 'enum';
  readonly name: string;
  readonly values: readonly EnumValueDef[];
}

export type TypeDef = ComplexTypeDef | EnumTypeDef;

/**
 * Parses the compact field notation used in types.ts: `name:type` followed by flags
 * `?` (minOccurs 0), `*` (maxOccurs unbounded, implies `?`), `~` (nillable), then optional
 * `@since` / `@..until` version bounds, e.g. `marketoGUID:string@3_1`, `skipActivityLog:boolean?~@..2_2`.
 */
export function field(spec: string): FieldDef {
  const m = /^([A-Za-z_][\w]*):([A-Za-z][A-Za-z0-9]*)([?*~]*)(?:@([0-9]+_[0-9]+)?(?:\.\.([0-9]+_[0-9]+))?)?$/.exec(
    spec,
  );
  if (!m) throw new Error(`bad field spec: ${spec}`);
  const flags = m[3];
  const def: FieldDef = {
    name: m[1],
    type: m[2],
    optional: flags.includes('?') || flags.includes('*'),
    many: flags.includes('*'),
    nillable: flags.includes('~'),
    ...(m[4] ? { since: m[4] as Version } : {}),
    ...(m[5] ? { until: m[5] as Version } : {}),
  };
  return def;
}

export function complex(
  name: string,
  fields: readonly string[],
  extra: { abstract?: boolean; base?: string; doc?: string } = {},
): ComplexTypeDef {
  return { kind: 'complex', name, fields: fields.map(field), ...extra };
}

/** `enumType('ListOperationType', 'ADDTOLIST ISMEMBEROFLIST CLEARLIST@..2_2')` */
export function enumType(name: string, values: string): EnumTypeDef {
  return {
    kind: 'enum',
    name,
    values: values
      .trim()
      .split(/\s+/)
      .map((v) => {
        const [value, range] = v.split('@');
        if (!range) return { value };
        const [since, until] = range.split('..');
        return {
          value,
          ...(since ? { since: since as Version } : {}),
          ...(until ? { until: until as Version } : {}),
        };
      }),
  };
}

/** Compares two version tokens (`2_6` < `3_1`). */
export function compareVersions(a: Version, b: Version): number {
  const [am, an] = a.split('_').map(Number);
  const [bm, bn] = b.split('_').map(Number);
  return am - bm || an - bn;
}

/** Whether an element or enum value bounded by since/until exists in `version`. */
export function inVersion(def: { since?: Version; until?: Version }, version: Version): boolean {
  if (def.since && compareVersions(version, def.since) < 0) return false;
  if (def.until && compareVersions(version, def.until) > 0) return false;
  return true;
}
