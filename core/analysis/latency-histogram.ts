// Latency percentiles from an HDR histogram (hdr-histogram-js), so memory stays constant however
// long the run: values are recorded in microseconds with 3 significant digits, i.e. any reported
// percentile is within 0.1% of a value that was actually recorded at that rank. k6's own summary
// keeps every sample and interpolates between the two nearest ranks; the difference between the
// two is bounded by that 0.1% plus the gap between neighbouring samples (tested in
// tests/unit/latency-histogram.test.ts against exact percentiles).
import * as hdr from "hdr-histogram-js";

/** The histogram's stated relative resolution (3 significant digits). */
export const HISTOGRAM_RELATIVE_ERROR = 0.001;

const HIGHEST_US = 3_600_000_000; // one hour, in microseconds: anything slower is clamped

export class LatencyHistogram {
  private readonly histogram: hdr.Histogram;
  private sumMs = 0;
  private clamped = 0;

  constructor() {
    this.histogram = hdr.build({
      bitBucketSize: 32,
      lowestDiscernibleValue: 1,
      highestTrackableValue: HIGHEST_US,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    });
  }

  /** Record one latency, in milliseconds (k6's unit for http_req_duration). */
  record(ms: number): void {
    this.sumMs += ms;
    let us = Math.round(ms * 1000);
    if (us < 1) us = 1;
    if (us > HIGHEST_US) {
      us = HIGHEST_US;
      this.clamped++;
    }
    this.histogram.recordValue(us);
  }

  add(other: LatencyHistogram): void {
    this.histogram.add(other.histogram);
    this.sumMs += other.sumMs;
    this.clamped += other.clamped;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Exact mean (kept as a running sum, not derived from buckets). */
  get meanMs(): number {
    return this.count === 0 ? Number.NaN : this.sumMs / this.count;
  }

  get maxMs(): number {
    return this.count === 0 ? Number.NaN : this.histogram.maxValue / 1000;
  }

  /** percentile in 0..100, result in milliseconds. */
  percentileMs(percentile: number): number {
    return this.count === 0 ? Number.NaN : this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  summary(): { count: number; meanMs: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number } {
    return {
      count: this.count,
      meanMs: this.meanMs,
      p50Ms: this.percentileMs(50),
      p95Ms: this.percentileMs(95),
      p99Ms: this.percentileMs(99),
      maxMs: this.maxMs,
    };
  }
}
