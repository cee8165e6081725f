/** A smart campaign as the lead database's campaigns endpoints write it (swagger-mapi `Campaign`). */
import type { Campaign } from '../../store/campaign-store.js';
import type { Program } from '../../store/mobject-store.js';
import { restTimestamp } from '../leads/lead-fields.js';

/**
 * A campaign keeps no times of its own: it shows its program's (the seed or a clone creates both
 * together). `active` is true for trigger campaigns, which this server runs whenever requested;
 * batch campaigns run only when scheduled.
 */
export function campaignJson(c: Campaign, program: Program | undefined): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    type: c.kind,
    programName: c.programName,
    programId: c.programId,
    workspaceName: program?.workspaceName ?? 'Default',
    createdAt: restTimestamp(program?.createdAt ?? 0),
    updatedAt: restTimestamp(program?.updatedAt ?? 0),
    active: c.kind === 'trigger',
  };
}
