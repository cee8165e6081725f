/** Structured logs: one JSON object per line on stderr, request signatures masked. */
import { maskSignatureElements } from './signature-mask.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /**
   * An access-log line at info level (access-log.ts): the fields are built by the caller from
   * values that never hold request text, so they are written without the masking pass.
   * `enabled` lets the caller skip building them at all.
   */
  access(fields: Record<string, unknown>): void;
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

/**
 * The fields with every requestSignature element masked in their string values. Callers mask what
 * they log already (and the decoded signature too, which only they know); this catches a caller
 * that quotes request text without knowing it, e.g. in an error message.
 */
function masked(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const key in fields) {
    const v = fields[key];
    if (typeof v !== 'string') continue;
    const m = maskSignatureElements(v);
    if (m !== v) {
      out ??= { ...fields };
      out[key] = m;
    }
  }
  return out ?? fields;
}

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = ORDER[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    write(
      `${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: maskSignatureElements(msg), ...masked(fields) })}\n`,
    );
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    access: (f) => {
      if (ORDER.info >= min)
        write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'call', ...f })}\n`);
    },
    enabled: (lvl) => ORDER[lvl] >= min,
  };
}
