/** Admission through the limits backend: 20015 → 20023 → 20024, or a lease to release. */
import { MktowsFault } from '@mktows/protocol';
import type { UserConfig } from '../config.js';
import { type Lease, LimitsUnavailableError, type UserLimits } from '../limits/limits.js';
import type { Runtime } from '../runtime.js';

/** The user's limits: server flags, overridden per user. */
export function userLimits(rt: Runtime, user: UserConfig): UserLimits {
  return {
    quotaPerDay: user.quotaPerDay ?? rt.config.quotaPerDay,
    ratePerWindow: user.ratePerWindow ?? rt.config.ratePerWindow,
    windowMs: rt.config.windowMs,
    concurrency: user.concurrency ?? rt.config.concurrency,
  };
}

export async function admit(rt: Runtime, user: UserConfig): Promise<Lease> {
  let admission: Awaited<ReturnType<typeof rt.limits.admit>>;
  try {
    admission = await rt.limits.admit(user.userId, rt.clock.now(), userLimits(rt, user));
  } catch (e) {
    throw new LimitsUnavailableError('the limits backend failed', { cause: e });
  }
  if (!admission.ok) throw new MktowsFault(admission.code, admission.detail);
  return admission.lease;
}
