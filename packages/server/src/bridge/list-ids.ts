/** A static list that must exist: its id by SOAP name (static-lists.ts), or 20111. */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { BridgeCall } from './bridge.js';
import { staticListId as findStaticListId } from './static-lists.js';

/** The id of the static list of that SOAP name; 20111 when there is none. */
export async function staticListId(call: BridgeCall, name: string): Promise<number> {
  const id = await findStaticListId(call, name);
  if (id === undefined) throw new MktowsFault(FAULT.LIST_NOT_FOUND, `No static list found with name "${echo(name)}"`);
  return id;
}
