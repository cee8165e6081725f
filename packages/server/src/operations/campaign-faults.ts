/** A campaign refusal (domain/campaign-runs.ts) as SOAP words it: 20113 for the wrong campaign, else 20110. */
import { FAULT, MktowsFault } from '@mktows/protocol';
import { CampaignRefusal } from '../domain/campaign-runs.js';

function asFault(e: unknown): unknown {
  if (!(e instanceof CampaignRefusal)) return e;
  const code =
    e.kind === 'not-requestable' || e.kind === 'not-batch' || e.kind === 'campaign-gone'
      ? FAULT.CAMPAIGN_NOT_FOUND
      : FAULT.BAD_PARAMETER;
  return new MktowsFault(code, e.message);
}

/** Runs `run`, turning a campaign refusal into its SOAP fault. */
export async function soapRefusals<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw asFault(e);
  }
}
