/** What each bridge operation declares beside its handler: the README's mapping table is made from it. */
import type { Handler, OperationName } from '../../operations/context.js';

export interface BridgeOperation<Op extends OperationName> {
  /** The REST calls it makes, in the order it makes them: `GET /rest/v1/leads.json?filterType=…`. */
  readonly rest: readonly string[];
  /** Where it answers otherwise than Marketo's SOAP API (and the emulator) did; empty when it does not. */
  readonly differences: readonly string[];
  readonly handler: Handler<Op>;
}
