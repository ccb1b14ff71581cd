/**
 * How many requests may be in flight: starts at the configured concurrency, halves at every 429
 * and grows back by one after each run of successes (additive increase, multiplicative decrease),
 * so a rate-limited server sees fewer requests instead of a hammering.
 */
export class AdaptiveLimit {
  private inflight = 0;
  private successes = 0;
  private readonly waiters: Array<() => void> = [];
  limit: number;

  constructor(private readonly max: number) {
    this.limit = max;
  }

  /** Waits until a request may start, and counts it in flight. */
  async acquire(): Promise<void> {
    while (this.inflight >= this.limit) await new Promise<void>((resume) => this.waiters.push(resume));
    this.inflight++;
  }

  /** A request ended (however it ended): lets the next waiting one start. */
  release(): void {
    this.inflight--;
    this.waiters.shift()?.();
  }

  /** A 429: halve. Returns the new limit. */
  throttled(): number {
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
    return this.limit;
  }

  /** A request succeeded: after a run of `limit` successes, one more may be in flight. */
  succeeded(): void {
    if (this.limit >= this.max) return;
    if (++this.successes >= this.limit) {
      this.successes = 0;
      this.limit++;
      this.waiters.shift()?.();
    }
  }
}
