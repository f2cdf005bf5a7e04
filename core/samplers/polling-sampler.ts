// Samples one number on a fixed interval into a Series, on the run's clock. A sample that takes
// longer than the interval is not overlapped by the next one (no pile-up against a slow target).
import { emptySeries, type Series } from "./series.ts";

export type ReadValue = () => Promise<number | undefined>;

export class PollingSampler {
  readonly series: Series;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private onSample: ((value: number, atMs: number) => void) | undefined;

  constructor(
    name: string,
    unit: string,
    private readonly intervalMs: number,
    private readonly read: ReadValue,
  ) {
    this.series = emptySeries(name, unit);
  }

  /** Also report each sample as it is taken (live metrics, abort conditions). */
  listen(onSample: (value: number, atMs: number) => void): this {
    this.onSample = onSample;
    return this;
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const askedAt = Date.now();
      const value = await this.read();
      const at = Date.now();
      if (value === undefined || Number.isNaN(value)) this.series.misses++;
      else {
        this.series.t.push(at);
        this.series.v.push(value);
        (this.series.askedAt ??= []).push(askedAt);
        this.onSample?.(value, at);
      }
    } catch {
      this.series.misses++;
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
