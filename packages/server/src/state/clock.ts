/**
 * The server's clock: wall time plus an offset that tests move through POST /_mktows/clock. The
 * offset belongs to the operator state (state/operator-state.ts); the clock only reads it.
 */
export class Clock {
  constructor(private readonly offset: { readonly clockOffsetMs: number }) {}

  now(): number {
    return Date.now() + this.offset.clockOffsetMs;
  }
}
