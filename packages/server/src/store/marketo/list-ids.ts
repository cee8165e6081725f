/**
 * Static list name → id through `GET /rest/v1/lists.json?name=` (MAPPING.md B6), cached. SOAP
 * names a program's list `Program.List`; REST names it `List` with `programName: Program`.
 */
import { echo, FAULT, MktowsFault } from '@mktows/protocol';
import type { BridgeCall } from './bridge.js';

interface RestList {
  id: number;
  name: string;
  programName?: string;
}

/** The SOAP name of a REST list. */
function soapListName(l: RestList): string {
  return l.programName ? `${l.programName}.${l.name}` : l.name;
}

async function findListId(call: BridgeCall, name: string): Promise<number | undefined> {
  // The whole name first (a list outside programs), then each split into program and list.
  const tries: { name: string; programName?: string }[] = [{ name }];
  for (let i = name.indexOf('.'); i > 0; i = name.indexOf('.', i + 1))
    tries.push({ programName: name.slice(0, i), name: name.slice(i + 1) });
  for (const query of tries) {
    const body = await call.rest({ method: 'GET', path: '/rest/v1/lists.json', query });
    const hit = ((body.result ?? []) as RestList[]).find((l) => soapListName(l) === name);
    if (hit) return Number(hit.id);
  }
  return undefined;
}

/** The id of the static list of that SOAP name; 20111 when there is none. */
export async function staticListId(call: BridgeCall, name: string): Promise<number> {
  const cache = call.bridge.cache<number | undefined>('list-id');
  const id = await cache.get(name, () => findListId(call, name));
  if (id === undefined) {
    // A list made later must be found then: misses are not kept.
    cache.delete(name);
    throw new MktowsFault(FAULT.LIST_NOT_FOUND, `No static list found with name "${echo(name)}"`);
  }
  return id;
}
