// The governor's watch on its own links, ten times a second:
// - a double fault (broker link down AND market data slower than `staleMs`) raises the critical
//   pause flag — in memory and in Redis — at once; it is lowered when the broker is back and the
//   data has been fresh for `resumeAfterMs`. A manual pause (the emergency stop) is never lowered
//   here.
// - market data slower than `staleMs` for longer than `flattenAfterMs` means the governor no longer
//   sees the market it holds a position in: it flattens as soon as orders may go out again.

export interface SafetyOptions {
  staleMs: number;
  flattenAfterMs: number;
  resumeAfterMs: number;
  /** Seeded fault late-pause: the double fault must last this long before the flag goes up. */
  pauseDelayMs: number;
  /** Seeded fault never-flattens. */
  neverFlatten: boolean;
}

export const DEFAULT_SAFETY: SafetyOptions = { staleMs: 120, flattenAfterMs: 5000, resumeAfterMs: 1000, pauseDelayMs: 0, neverFlatten: false };

export interface SafetyInputs {
  brokerConnected(): boolean;
  dataAgeMs(): number;
  autoPaused(): boolean;
  setAutoPause(paused: boolean, reason: string): void;
  /** Place (or continue) flattening; returns true once the position is flat. */
  flattenStep(): boolean;
}

export class SafetyMonitor {
  private faultSince: number | undefined;
  private staleSince: number | undefined;
  private freshSince: number | undefined;
  flattenPending = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly inputs: SafetyInputs,
    private readonly options: SafetyOptions = DEFAULT_SAFETY,
  ) {
    this.timer = setInterval(() => this.tick(Date.now()), 100);
    this.timer.unref();
  }

  tick(now: number): void {
    const age = this.inputs.dataAgeMs();
    const stale = age > this.options.staleMs;
    const broker = this.inputs.brokerConnected();

    this.staleSince = stale ? (this.staleSince ?? now) : undefined;
    this.freshSince = stale ? undefined : (this.freshSince ?? now);
    if (!this.options.neverFlatten && this.staleSince !== undefined && now - this.staleSince > this.options.flattenAfterMs) {
      this.flattenPending = true;
    }

    const doubleFault = !broker && stale;
    this.faultSince = doubleFault ? (this.faultSince ?? now) : undefined;
    if (doubleFault && !this.inputs.autoPaused() && now - this.faultSince! >= this.options.pauseDelayMs) {
      this.inputs.setAutoPause(true, `critical: broker link down and market data ${Math.round(age)} ms old`);
    }
    const recovered = broker && this.freshSince !== undefined && now - this.freshSince >= this.options.resumeAfterMs;
    if (this.inputs.autoPaused() && recovered) this.inputs.setAutoPause(false, "links recovered");

    if (this.flattenPending && broker && !this.inputs.autoPaused() && !stale) {
      if (this.inputs.flattenStep()) this.flattenPending = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
