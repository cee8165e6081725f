/** Everything a running server shares between the SOAP pipeline and the admin API. */

import type { Bridge } from './bridge/bridge.js';
import type { ServerConfig } from './config.js';
import type { ImportRunner } from './jobs/import-runner.js';
import type { Journal } from './journal.js';
import type { Limits } from './limits/limits.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { RestTokens } from './rest/tokens.js';
import type { Clock } from './state/clock.js';
import type { OperatorState } from './state/operator-state.js';
import type { Store } from './store/store.js';

export interface Runtime {
  readonly config: ServerConfig;
  /** The data (emulator), or, on a bridge, the bridge's own state: users, rules, journal, import batch ids. */
  readonly store: Store;
  /** Set when `--store marketo+https://…`: the SOAP operations are served from that instance's REST API. */
  readonly bridge?: Bridge;
  readonly limits: Limits;
  /** Wall time plus the operator state's clock offset. */
  readonly clock: Clock;
  /** Users, fault rules, clock offset, lead schema and stream secret: changed only through its methods. */
  readonly state: OperatorState;
  /** The calls served: this process's (SQLite), or those of every replica (PostgreSQL). */
  readonly journal: Journal;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** This process's name in the journal and the access log (`--replica-id`, default hostname:pid). */
  readonly replica: string;
  /** REST access tokens: issued and checked through the store, cached locally. */
  readonly restTokens: RestTokens;
  /** Background importToList jobs (jobs/import-runner.ts). */
  readonly imports: ImportRunner;
  /** Hides the signature of a request (signature-mask.ts) before its text goes anywhere but the wire. */
  mask(xml: string, signature?: string | null): string;
}

export { maskSecrets } from './signature-mask.js';
