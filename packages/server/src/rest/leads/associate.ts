/**
 * `POST /rest/v1/leads/{leadId}/associate.json?cookie=…`: ties a Munchkin cookie to a lead, so that
 * filterType=cookies and the SOAP COOKIE key find it. A cookie already tied to another lead moves
 * (the store keeps one lead per cookie); the web activity already recorded stays where it is.
 */
import { RestError, restMessage } from '@mktows/protocol';
import type { Store } from '../../store/store.js';

/** The `_mkto_trk` value: `id:<munchkin id>&token:_mch-<domain>-<time>-<random>`. */
const MUNCHKIN_COOKIE = /^id:[0-9A-Za-z]{3}-[0-9A-Za-z]{3}-[0-9A-Za-z]{3}&token:_mch-[^\s&]+$/;

export function leadIdParam(text: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new RestError(1001, restMessage(1001, text, 'Integer'));
  return Number(text);
}

export async function associateCookie(store: Store, leadId: number, query: URLSearchParams): Promise<void> {
  const cookie = query.get('cookie');
  if (cookie === null || cookie.trim() === '') throw new RestError(1002, restMessage(1002, 'cookie'));
  if (!MUNCHKIN_COOKIE.test(cookie)) throw new RestError(1012, restMessage(1012, cookie));
  await store.transaction(async (tx) => {
    const [lead] = await tx.getLeads([leadId]);
    if (!lead) throw new RestError(1004);
    await tx.setCookie(cookie, leadId);
  });
}
