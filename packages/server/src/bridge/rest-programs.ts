/**
 * Programs by name (`GET /rest/asset/v1/program/byName.json`), asked only where SOAP's answer
 * depends on whether the program exists: a campaign or list not found (the fault then says "no
 * program named …", as the emulator's does), and a cloneToProgramName that is already taken.
 */
import { echo } from '@mktows/protocol';
import type { BridgeCall } from './bridge.js';

export interface RestProgram {
  id: number;
  name: string;
}

/** The program named `name` (as the instance spells it), or undefined. */
export async function programByName(call: BridgeCall, name: string): Promise<RestProgram | undefined> {
  const body = await call.rest({ method: 'GET', path: '/rest/asset/v1/program/byName.json', query: { name } });
  const [found] = (body.result ?? []) as { id: number; name: string }[];
  return found ? { id: Number(found.id), name: String(found.name) } : undefined;
}

/**
 * The detail of a fault for campaign or list `name` not found in program `programName`: the
 * emulator's words, which say whether the program itself is missing.
 */
export async function notFoundInProgram(
  call: BridgeCall,
  kind: 'campaign' | 'list',
  name: string,
  programName: string,
): Promise<string> {
  const what = `No ${kind} "${echo(name)}" found`;
  return (await programByName(call, programName))
    ? `${what} in program "${echo(programName)}"`
    : `${what}: no program named "${echo(programName)}"`;
}
