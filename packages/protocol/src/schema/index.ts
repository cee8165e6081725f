import { type ComplexTypeDef, type EnumTypeDef, type TypeDef, type Version, XSD_TYPES } from './model.js';
import { OPERATIONS } from './operations.js';
import { ALL_TYPES } from './types.js';

export type * from './generated.js';
export * from './model.js';
export * from './operations.js';
export { ALL_TYPES, COMPLEX_TYPES, ENUMS } from './types.js';

/** Every version token an endpoint path may carry, oldest first. */
export const VERSIONS: readonly Version[] = [
  '1_0',
  '1_1',
  '1_2',
  '1_3',
  '1_4',
  '1_5',
  '1_6',
  '1_7',
  '1_8',
  '1_9',
  '2_0',
  '2_1',
  '2_2',
  '2_3',
  '2_4',
  '2_5',
  '2_6',
  '2_7',
  '2_8',
  '2_9',
  '3_0',
  '3_1',
];
export const LATEST_VERSION: Version = '3_1';

export function isVersion(s: string): s is Version {
  return (VERSIONS as readonly string[]).includes(s);
}

/** The `Success<Op>` wrapper types, derived from the operation list. */
const SUCCESS_TYPES: ComplexTypeDef[] = OPERATIONS.map((o) => ({
  kind: 'complex',
  name: o.successType,
  fields: [{ name: o.resultElement, type: o.resultType, optional: false, many: false, nillable: false }],
}));

const TYPES = new Map<string, TypeDef>([...ALL_TYPES, ...SUCCESS_TYPES].map((t) => [t.name, t]));

export function getType(name: string): TypeDef | undefined {
  return TYPES.get(name);
}
export function complexType(name: string): ComplexTypeDef {
  const t = TYPES.get(name);
  if (t?.kind !== 'complex') throw new Error(`no complex type ${name}`);
  return t;
}
export function enumTypeDef(name: string): EnumTypeDef | undefined {
  const t = TYPES.get(name);
  return t && t.kind === 'enum' ? t : undefined;
}
export function allTypes(): readonly TypeDef[] {
  return [...TYPES.values()];
}
/** The concrete subtypes of an abstract type (LeadSelector). */
export function subtypesOf(name: string): ComplexTypeDef[] {
  return [...TYPES.values()].filter((t): t is ComplexTypeDef => t.kind === 'complex' && t.base === name);
}

// Fail fast at load if a type references something undefined: the schema is hand-written data.
for (const t of TYPES.values()) {
  if (t.kind !== 'complex') continue;
  for (const f of t.fields) {
    if (!XSD_TYPES.has(f.type) && !TYPES.has(f.type)) throw new Error(`${t.name}.${f.name}: unknown type ${f.type}`);
  }
}
