/**
 * marketoGUID, the REST id of opportunities, roles and custom object records. Decision: the GUID
 * is made from the store's integer id (the one SOAP answers) and the object kind, so it needs no
 * column of its own, is the same on every replica, and reads back to the id: `0000000k-0000-4000-
 * 8000-<id in 12 hex digits>`, a well-formed version 4 UUID as Marketo's look.
 */
export type GuidKind = 'opportunity' | 'role' | 'customObject';

const KIND: Record<GuidKind, string> = { opportunity: '1', role: '2', customObject: '3' };

export function marketoGuid(kind: GuidKind, id: number): string {
  return `0000000${KIND[kind]}-0000-4000-8000-${id.toString(16).padStart(12, '0')}`;
}

/** The store id a GUID of this kind names; undefined for any other text. */
export function idOfGuid(kind: GuidKind, guid: string): number | undefined {
  const m = /^0000000([1-3])-0000-4000-8000-([0-9a-f]{12})$/i.exec(guid.trim());
  if (!m || m[1] !== KIND[kind]) return undefined;
  return Number.parseInt(m[2], 16);
}
