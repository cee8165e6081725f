/** The bridge's REST access for a call: every bridge handler starts here. */
import type { OpContext } from '../../operations/context.js';
import type { BridgeCall } from '../bridge.js';

export function bridgeOf(ctx: OpContext): BridgeCall {
  if (!ctx.bridge) throw new Error('a bridge operation ran on a server without a bridge');
  return ctx.bridge;
}
