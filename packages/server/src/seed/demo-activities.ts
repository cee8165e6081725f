/**
 * The demo's lived-in history: a few hundred web and e-mail activities (Send Email, Email
 * Delivered, Open Email, Click Email, Visit Webpage, Click Link, Fill Out Form) spread over the 30
 * days before seeding. Deterministic apart from the seeding time, so that tests can rely on who
 * did what: every fifth demo lead (Ada first) has a journey, longer for the first leads.
 */
import type { ActivitySeed } from './activities-seed.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const PAGES: [id: number, name: string, path: string][] = [
  [1001, 'Home', '/index.html'],
  [1002, 'Pricing', '/pricing.html'],
  [1003, 'Product Tour', '/tour.html'],
  [1004, 'Webinar Registration', '/webinar.html'],
  [1005, 'Blog: Stream Positions Explained', '/blog/stream-positions.html'],
];
const EMAILS: [id: number, name: string][] = [
  [2001, 'Demo Program.Welcome Email'],
  [2002, 'Demo Program.Webinar Invitation'],
  [2003, 'Spring Roadshow.Save the Date'],
];
const AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const FORM = 'Contact Us Form';

/** Leads with a journey: every fifth demo lead, identified by its e-mail. */
export const DEMO_ACTIVE_EVERY = 5;

function ip(n: number): string {
  return `198.51.100.${(n % 250) + 1}`;
}

export function demoActivities(emails: readonly string[], now: number): ActivitySeed[] {
  const out: ActivitySeed[] = [];
  const iso = (t: number) => new Date(t).toISOString();
  for (let i = 0; i < emails.length; i += DEMO_ACTIVE_EVERY) {
    const lead = emails[i];
    const k = i / DEMO_ACTIVE_EVERY;
    // The journey starts between 29 and 2 days ago; the first leads are the busiest.
    let t = now - (2 * DAY + ((k * 7919) % (27 * DAY)));
    t -= t % MINUTE;
    const step = (minutes: number) => {
      t = Math.min(t + minutes * MINUTE, now - MINUTE);
      return iso(t);
    };
    const [mailingId, emailName] = EMAILS[k % EMAILS.length];
    const campaign = 'Demo Program.Welcome';
    const mail = { 'Mailing ID': mailingId, 'Step ID': 101 + (k % 3), 'Choice Number': 0 };
    out.push({ lead, type: 'Send Email', at: step(0), asset: emailName, campaign, attributes: mail });
    out.push({ lead, type: 'Email Delivered', at: step(1), asset: emailName, campaign, attributes: mail });
    const engaged = k % 4 !== 3;
    if (!engaged) continue;
    out.push({
      lead,
      type: 'Open Email',
      at: step(35 + (k % 90)),
      asset: emailName,
      campaign,
      attributes: { 'Mailing ID': mailingId, Platform: 'Linux', Device: 'Computer', 'User Agent': AGENT },
    });
    if (k % 2 === 1) continue;
    const [pageId, pageName, path] = PAGES[k % PAGES.length];
    const url = `https://www.demo.example${path}`;
    out.push({
      lead,
      type: 'Click Email',
      at: step(2),
      asset: emailName,
      campaign,
      attributes: { 'Mailing ID': mailingId, Link: url, Platform: 'Linux', Device: 'Computer', 'User Agent': AGENT },
    });
    const visits = 1 + (k < 10 ? 3 : k % 3);
    for (let v = 0; v < visits; v++) {
      const [id, name, p] = PAGES[(k + v) % PAGES.length];
      out.push({
        lead,
        type: 'Visit Webpage',
        at: step(v === 0 ? 1 : 3 + ((k + v) % 40)),
        asset: name,
        attributes: {
          'Webpage ID': id,
          'Webpage URL': p,
          'Query Parameters': v === 0 ? `mkt_tok=demo${mailingId}` : '',
          'Referrer URL': v === 0 ? '' : `https://www.demo.example${PAGES[(k + v - 1) % PAGES.length][2]}`,
          'Client IP Address': ip(k),
          'User Agent': AGENT,
        },
      });
    }
    if (k % 3 === 0) {
      out.push({
        lead,
        type: 'Click Link',
        at: step(2),
        asset: `https://www.demo.example${PAGES[(k + 2) % PAGES.length][2]}`,
        attributes: { 'Webpage ID': pageId, 'Client IP Address': ip(k), 'User Agent': AGENT },
      });
    }
    if (k % 6 === 0) {
      out.push({
        lead,
        type: 'Fill Out Form',
        at: step(4),
        asset: FORM,
        attributes: {
          'Webform ID': 3001,
          'Form Fields': JSON.stringify({ Email: lead, Comments: `Interested in ${pageName}` }),
          'Webpage ID': pageId,
          'Query Parameters': '',
          'Referrer URL': url,
          'Client IP Address': ip(k),
          'User Agent': AGENT,
        },
      });
    }
  }
  return out;
}
