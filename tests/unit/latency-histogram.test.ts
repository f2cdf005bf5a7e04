import { test } from "uvu";
import * as assert from "uvu/assert";
import { HISTOGRAM_RELATIVE_ERROR, LatencyHistogram } from "../../core/analysis/latency-histogram.ts";

/** mulberry32, so the sample set is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Lognormal latencies (ms) with the given median, plus a 1% slow tail — shaped like a loaded governor. */
function latencies(n: number, medianMs: number, seed: number): Float64Array {
  const next = random(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const normal = Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next());
    const slow = next() < 0.01 ? 4 : 1;
    out[i] = medianMs * slow * Math.exp(0.5 * normal);
  }
  return out;
}

/** k6's TrendSink.P: sort, index = p·(n−1), linear interpolation between floor and ceil. */
function k6Percentile(sorted: Float64Array, percentile: number): number {
  const i = (percentile / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(i)]!;
  const hi = sorted[Math.ceil(i)]!;
  return lo + (hi - lo) * (i - Math.floor(i));
}

/** 0-based index of the nearest-rank sample; 1e-9 absorbs float noise (99.9 / 100 · 200,000 is 199,800.00000000003). */
function rankIndex(length: number, percentile: number): number {
  return Math.max(1, Math.ceil((percentile / 100) * length - 1e-9)) - 1;
}

/** The nearest-rank percentile (what an HDR histogram reports, to its resolution). */
function nearestRank(sorted: Float64Array, percentile: number): number {
  return sorted[rankIndex(sorted.length, percentile)]!;
}

/** The spread of the samples around the rank: the most two percentile definitions can disagree by. */
function gapAt(sorted: Float64Array, percentile: number): number {
  const i = (percentile / 100) * (sorted.length - 1);
  const rank = rankIndex(sorted.length, percentile);
  return sorted[Math.max(Math.ceil(i), rank)]! - sorted[Math.min(Math.floor(i), rank)]!;
}

function record(values: Float64Array, from = 0, to = values.length): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (let i = from; i < to; i++) histogram.record(values[i]!);
  return histogram;
}

const SAMPLES = latencies(200_000, 2, 20_250_601);
const SORTED = Float64Array.from(SAMPLES).sort();
const WHOLE = record(SAMPLES);

test("P50/P95/P99 are within 0.1% of k6's interpolated percentile, plus the gap between neighbouring samples", () => {
  for (const p of [50, 95, 99, 99.9]) {
    const exact = k6Percentile(SORTED, p);
    const measured = WHOLE.percentileMs(p);
    const bound = HISTOGRAM_RELATIVE_ERROR * exact + gapAt(SORTED, p);
    assert.ok(Math.abs(measured - exact) <= bound, `P${p}: hdr ${measured} vs k6 ${exact} (bound ${bound})`);
  }
});

test("P50/P95/P99 are within 0.1% of the nearest-rank sample, and never below it", () => {
  for (const p of [50, 95, 99, 99.9]) {
    const exact = nearestRank(SORTED, p);
    const measured = WHOLE.percentileMs(p);
    assert.ok(measured >= exact - 0.0005, `P${p}: hdr ${measured} below the sample ${exact}`);
    assert.ok(Math.abs(measured - exact) <= HISTOGRAM_RELATIVE_ERROR * exact, `P${p}: hdr ${measured} vs nearest rank ${exact}`);
  }
});

test("below 1 ms the microsecond quantum (±0.5 µs) adds to the 0.1%", () => {
  const fast = latencies(50_000, 0.3, 7);
  const sorted = Float64Array.from(fast).sort();
  const histogram = record(fast);
  for (const p of [50, 95, 99]) {
    const exact = k6Percentile(sorted, p);
    const bound = HISTOGRAM_RELATIVE_ERROR * exact + 0.0005 + gapAt(sorted, p);
    assert.ok(Math.abs(histogram.percentileMs(p) - exact) <= bound, `P${p}: ${histogram.percentileMs(p)} vs ${exact}`);
  }
});

test("count and mean are exact; max is the largest sample to the microsecond", () => {
  assert.is(WHOLE.count, 200_000);
  let sum = 0;
  for (const value of SAMPLES) sum += value;
  assert.ok(Math.abs(WHOLE.meanMs - sum / SAMPLES.length) <= 1e-12 * (sum / SAMPLES.length), `${WHOLE.meanMs} vs ${sum / SAMPLES.length}`);
  assert.ok(Math.abs(WHOLE.maxMs - SORTED[SORTED.length - 1]!) <= 0.0005);
  const summary = WHOLE.summary();
  assert.is(summary.count, 200_000);
  assert.is(summary.p99Ms, WHOLE.percentileMs(99));
  assert.ok(summary.p50Ms < summary.p95Ms && summary.p95Ms < summary.p99Ms && summary.p99Ms <= summary.maxMs);
});

test("adding two histograms equals recording every sample in one", () => {
  const merged = record(SAMPLES, 0, 120_000);
  merged.add(record(SAMPLES, 120_000));
  assert.is(merged.count, WHOLE.count);
  for (const p of [50, 95, 99, 99.9]) assert.is(merged.percentileMs(p), WHOLE.percentileMs(p), `P${p}`);
  assert.is(merged.maxMs, WHOLE.maxMs);
  assert.ok(Math.abs(merged.meanMs - WHOLE.meanMs) < 1e-9);
});

test("values above one hour are clamped for percentiles but the mean keeps them; zero records as 1 ns", () => {
  const histogram = new LatencyHistogram();
  histogram.record(7_200_000); // two hours
  assert.is(histogram.count, 1);
  assert.is(histogram.maxMs, 3_600_000);
  assert.ok(Math.abs(histogram.percentileMs(99) - 3_600_000) <= HISTOGRAM_RELATIVE_ERROR * 3_600_000);
  assert.is(histogram.meanMs, 7_200_000);
  const zero = new LatencyHistogram();
  zero.record(0);
  assert.is(zero.percentileMs(50), 0.000001);
  assert.is(zero.meanMs, 0);
});

test("sub-millisecond values keep k6's nanoseconds: a 0.2573 ms median is within 0.1%, not rounded to 0.257 ms", () => {
  // Recorded in whole microseconds, this P50 read 0.2570 against k6's 0.2573 ms (0.12%, over the bound).
  const histogram = new LatencyHistogram();
  for (const ms of [0.2571, 0.2572, 0.2573, 0.2574, 0.2575]) histogram.record(ms);
  assert.ok(Math.abs(histogram.percentileMs(50) - 0.2573) <= HISTOGRAM_RELATIVE_ERROR * 0.2573, `P50 ${histogram.percentileMs(50)}`);
});

test("an empty histogram has no percentiles, mean or max", () => {
  const empty = new LatencyHistogram();
  assert.is(empty.count, 0);
  assert.ok(Number.isNaN(empty.percentileMs(99)));
  assert.ok(Number.isNaN(empty.meanMs));
  assert.ok(Number.isNaN(empty.maxMs));
});

test.run();
