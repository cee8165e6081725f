/** Admission through the limits backend: 20015 → 20023 → 20024, or a lease to release. */
import { MktowsFault } from '@mktows/protocol';
import type { UserConfig } from '../config.js';
import { type Lease, LimitsUnavailableError } from '../limits/limits.js';
import type { Runtime } from '../runtime.js';
import { userLimits } from '../state/users.js';

export async function admit(rt: Runtime, user: UserConfig): Promise<Lease> {
  let admission: Awaited<ReturnType<typeof rt.limits.admit>>;
  try {
    admission = await rt.limits.admit(user.userId, rt.clock.now(), userLimits(rt.config, user));
  } catch (e) {
    throw new LimitsUnavailableError('the limits backend failed', { cause: e });
  }
  if (!admission.ok) throw new MktowsFault(admission.code, admission.detail);
  return admission.lease;
}
