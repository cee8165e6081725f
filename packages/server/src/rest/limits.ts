/**
 * REST limits are per instance: all REST clients together share one quota, window and concurrency
 * (Marketo's rule), admitted through the same Limits backend as SOAP users, so that Redis makes
 * them exact across replicas. They are kept under a reserved id that no SOAP user can have: the
 * admin API and the options refuse user ids with control characters.
 */
import type { RestErrorCode } from '@mktows/protocol';
import type { ServerConfig } from '../config.js';
import type { LimitCode, UserLimits } from '../limits/limits.js';

export const REST_LIMITS_ID = '\u0000rest-instance';

export function restLimits(
  config: Pick<ServerConfig, 'restQuotaPerDay' | 'restRatePerWindow' | 'restWindowMs' | 'restConcurrency'>,
): UserLimits {
  return {
    quotaPerDay: config.restQuotaPerDay,
    ratePerWindow: config.restRatePerWindow,
    windowMs: config.restWindowMs,
    concurrency: config.restConcurrency,
  };
}

/** The REST code of a rejected admission: quota 607, window 606, concurrency 615. */
export const REST_LIMIT_CODE: Record<LimitCode, RestErrorCode> = { 20015: 607, 20023: 606, 20024: 615 };
