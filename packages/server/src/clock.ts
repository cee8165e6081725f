/** The server's clock: wall time plus an offset that tests move through POST /_mktows/clock. */
export class Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}
