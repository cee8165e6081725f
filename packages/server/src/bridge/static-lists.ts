/**
 * Static lists named the SOAP way, found through REST (MAPPING.md B6). SOAP names a program's list
 * `Program.List`; REST's `lists.json` knows it as `name=List` with `programName=Program`, and a
 * list outside any program by its own name. A program name may hold dots itself, so every split
 * at a dot is a candidate: one `lists.json?name=<each candidate>` call finds them all, and the
 * list whose `programName.name` (or plain `name`) is the SOAP name exactly is the one. Found ids
 * are cached by name (`bridge.cache('list-id')`).
 */
import type { BridgeCall } from './bridge.js';

interface ListJson {
  id?: unknown;
  name?: unknown;
  programName?: unknown;
}

/** `lists.json` pages at most this many lists per call. */
const LIST_PAGE = 300;

/** The SOAP name of a REST list: `Program.List` inside a program, else its name. */
export function soapListName(list: ListJson): string {
  const name = String(list.name ?? '');
  return typeof list.programName === 'string' && list.programName !== '' ? `${list.programName}.${name}` : name;
}

/** The REST `name` values that may stand for a SOAP list name: itself and what follows each dot. */
function candidates(soapName: string): string[] {
  const out = new Set([soapName]);
  for (let i = soapName.indexOf('.'); i >= 0; i = soapName.indexOf('.', i + 1)) out.add(soapName.slice(i + 1));
  return [...out].filter((n) => n !== '');
}

/** The id of the static list with this SOAP name, or undefined when the instance has none. */
export async function staticListId(call: BridgeCall, soapName: string): Promise<number | undefined> {
  const cache = call.bridge.cache<number | undefined>('list-id');
  const id = await cache.get(soapName, async () => {
    const names = candidates(soapName);
    // REST splits `name` at commas and has no escape: a name holding one is looked for among all lists.
    const query: Record<string, string | number> = names.some((n) => n.includes(','))
      ? { batchSize: LIST_PAGE }
      : { name: names.join(','), batchSize: LIST_PAGE };
    let token: string | undefined;
    for (;;) {
      const body = await call.rest({
        method: 'GET',
        path: '/rest/v1/lists.json',
        query: { ...query, nextPageToken: token },
      });
      const hit = ((body.result ?? []) as ListJson[]).find((l) => soapListName(l) === soapName);
      if (hit) return Number(hit.id);
      token = body.moreResult && body.nextPageToken ? body.nextPageToken : undefined;
      if (!token) return undefined;
    }
  });
  // A miss is not kept: a list made a moment later must be found.
  if (id === undefined) cache.delete(soapName);
  return id;
}
