// A volatility circuit breaker: the governor goes risk-off when the mid falls fast — a given
// share below its rolling high — and stays risk-off until the market has been calm for a while.
// Risk-off means: flatten in slices, take no new risk. (Spread alone is not used: real calm books
// have spread spikes of 10x and more for a tick or two.) Fed by every market-data tick.

export interface StressOptions {
  /** Fall from the rolling high that counts as a crash, %. */
  dropPct: number;
  /** Rolling window of the high, ms. */
  windowMs: number;
  /** Calm time needed before risk-on again, ms. */
  cooldownMs: number;
}

export const DEFAULT_STRESS: StressOptions = { dropPct: 3, windowMs: 30_000, cooldownMs: 60_000 };

export class MarketStress {
  // A monotonic deque of (time, mid): the front is always the window's high.
  private readonly times: number[] = [];
  private readonly mids: number[] = [];
  private lastStressAt = Number.NEGATIVE_INFINITY;
  reason = "";

  constructor(private readonly options: StressOptions = DEFAULT_STRESS) {}

  observe(at: number, mid: number): void {
    while (this.mids.length > 0 && this.mids[this.mids.length - 1]! <= mid) {
      this.mids.pop();
      this.times.pop();
    }
    this.mids.push(mid);
    this.times.push(at);
    while (this.times.length > 1 && this.times[0]! < at - this.options.windowMs) {
      this.times.shift();
      this.mids.shift();
    }
    const high = this.mids[0]!;
    const dropPct = ((high - mid) / high) * 100;
    if (dropPct >= this.options.dropPct) {
      this.lastStressAt = at;
      this.reason = `mid ${dropPct.toFixed(1)}% below its ${this.options.windowMs / 1000}s high`;
    }
  }

  stressed(at = Date.now()): boolean {
    return at - this.lastStressAt < this.options.cooldownMs;
  }
}
