import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  fractionAtOrBelow,
  histogramDelta,
  histogramQuantile,
  parseHistogram,
  type HistogramSnapshot,
} from "../../core/samplers/prometheus-histogram.ts";
import { metricValue } from "../../core/samplers/prometheus-scrape.ts";
import { emptySeries, linearFit, seriesMax } from "../../core/samplers/series.ts";

const EXPOSITION = [
  "# HELP process_resident_memory_bytes Resident memory size in bytes.",
  "# TYPE process_resident_memory_bytes gauge",
  "process_resident_memory_bytes 52428800",
  "# HELP process_resident_memory_bytes_peak Peak resident memory.",
  "process_resident_memory_bytes_peak 99",
  "# HELP governor_decisions_total Decisions by verdict.",
  "# TYPE governor_decisions_total counter",
  'governor_decisions_total{verdict="approved"} 120',
  'governor_decisions_total{verdict="blocked",reason="a b}c"} 7',
  "governor_queue_depth 3 1732539749000",
  "governor_broken NaN",
  "",
].join("\n");

test("metricValue: HELP/TYPE lines and longer names are not the metric", () => {
  assert.is(metricValue(EXPOSITION, "process_resident_memory_bytes"), 52428800);
  assert.is(metricValue(EXPOSITION, "process_resident_memory_bytes_peak"), 99);
  assert.is(metricValue("# HELP x_total counts\n# TYPE x_total counter\n", "x_total"), undefined);
  assert.is(metricValue(EXPOSITION, "resident_memory_bytes"), undefined, "a name must start its line");
});

test("metricValue: labels are skipped (first series wins); a timestamp after the value is ignored", () => {
  assert.is(metricValue(EXPOSITION, "governor_decisions_total"), 120);
  assert.is(metricValue(EXPOSITION, "governor_queue_depth"), 3);
});

test("metricValue: absent or non-finite values are undefined", () => {
  assert.is(metricValue(EXPOSITION, "governor_missing"), undefined);
  assert.is(metricValue(EXPOSITION, "governor_broken"), undefined);
  assert.is(metricValue("", "x"), undefined);
  assert.is(metricValue("x 1", "x"), 1, "no trailing newline");
});

function exposition(name: string, buckets: Array<[string, number]>, count: number, sum: number, timestamp = ""): string {
  return [
    `# HELP ${name} Arrival to visible in a scrape.`,
    `# TYPE ${name} histogram`,
    ...buckets.map(([le, c]) => `${name}_bucket{le="${le}"} ${c}${timestamp}`),
    `${name}_sum ${sum}${timestamp}`,
    `${name}_count ${count}${timestamp}`,
  ].join("\n");
}

const NAME = "governor_pipeline_latency_seconds";

test("parseHistogram: bounds ascending with +Inf last, cumulative counts, count and sum", () => {
  const text = exposition(NAME, [["0.005", 10], ["0.01", 30], ["0.02", 38], ["+Inf", 40]], 40, 0.4);
  assert.equal(parseHistogram(`${text}\nother_bucket{le="1"} 5\n`, NAME), {
    le: [0.005, 0.01, 0.02, Number.POSITIVE_INFINITY],
    cumulative: [10, 30, 38, 40],
    count: 40,
    sum: 0.4,
  });
  assert.is(parseHistogram(text, "absent_metric"), undefined);
  assert.is(parseHistogram(`${NAME}_bucket{le="1"} 2\n`, NAME), undefined, "no _count: not a histogram");
});

test("parseHistogram: samples with a timestamp keep their value", () => {
  const text = exposition(NAME, [["0.005", 10], ["+Inf", 40]], 40, 0.4, " 1732539749000");
  assert.equal(parseHistogram(text, NAME), { le: [0.005, Number.POSITIVE_INFINITY], cumulative: [10, 40], count: 40, sum: 0.4 });
});

const before: HistogramSnapshot = { le: [0.005, 0.01, 0.02, Number.POSITIVE_INFINITY], cumulative: [100, 150, 160, 160], count: 160, sum: 1 };
const after: HistogramSnapshot = { le: [0.005, 0.01, 0.02, Number.POSITIVE_INFINITY], cumulative: [150, 250, 290, 300], count: 300, sum: 3 };

test("histogramDelta: the observations between two scrapes", () => {
  assert.equal(histogramDelta(before, after), { le: after.le, cumulative: [50, 100, 130, 140], count: 140, sum: 2 });
  assert.is(histogramDelta(undefined, after), after, "no baseline: everything since the start");
});

test("histogramQuantile: PromQL's linear interpolation inside the bucket holding the rank", () => {
  const delta = histogramDelta(before, after); // [50, 100, 130, 140] over 0.005, 0.01, 0.02, +Inf
  // rank 0.5·140 = 70: bucket (0.005, 0.01] holds 50..100 → 0.005 + 0.005·(20/50)
  assert.ok(Math.abs(histogramQuantile(0.5, delta) - 0.007) < 1e-12);
  // rank 0.25·140 = 35: first bucket starts at 0 → 0.005·35/50
  assert.ok(Math.abs(histogramQuantile(0.25, delta) - 0.0035) < 1e-12);
  // rank exactly on a boundary: that bucket's upper bound
  assert.ok(Math.abs(histogramQuantile(100 / 140, delta) - 0.01) < 1e-12);
  // rank 0.99·140 = 138.6 lies in the +Inf bucket: Prometheus answers the last finite bound
  assert.is(histogramQuantile(0.99, delta), 0.02);
  assert.ok(Number.isNaN(histogramQuantile(0.5, { le: [1, Number.POSITIVE_INFINITY], cumulative: [0, 0], count: 0, sum: 0 })));
});

test("histogramQuantile: observations known to be infinitely late push the rank past every bucket", () => {
  const delta = histogramDelta(before, after); // 140 observed
  // 2 missing of 142: rank 0.99·142 = 140.58 > 140 observed → +∞
  assert.is(histogramQuantile(0.99, delta, 2), Number.POSITIVE_INFINITY);
  // 1 missing of 141: rank 139.59 ≤ 140 → still inside the +Inf bucket → last finite bound
  assert.is(histogramQuantile(0.99, delta, 1), 0.02);
  // the median moves up as the unobserved tail grows: rank 0.5·200 = 100 → 0.01
  assert.ok(Math.abs(histogramQuantile(0.5, delta, 60) - 0.01) < 1e-12);
  assert.is(histogramQuantile(0.5, { le: [1, Number.POSITIVE_INFINITY], cumulative: [0, 0], count: 0, sum: 0 }, 5), Number.POSITIVE_INFINITY);
});

test("fractionAtOrBelow: exact at a bucket boundary, counting the missing as above it", () => {
  const delta = histogramDelta(before, after);
  assert.is(fractionAtOrBelow(0.01, delta), 100 / 140);
  assert.is(fractionAtOrBelow(0.02, delta, 60), 130 / 200);
  assert.ok(Number.isNaN(fractionAtOrBelow(0.015, delta)), "not a boundary");
  assert.ok(Number.isNaN(fractionAtOrBelow(0.01, { le: [0.01], cumulative: [0], count: 0, sum: 0 })));
});

test("linearFit: slope per ms and intercept at `from`, over the points inside the range only", () => {
  const series = emptySeries("rss", "bytes");
  for (let s = 0; s <= 60; s++) {
    series.t.push(1_000_000 + s * 1000);
    series.v.push(50e6 + 2000 * s + (s % 2 === 0 ? 100 : -100)); // 2 bytes/ms with ±100 B of noise
  }
  series.t.push(5_000_000);
  series.v.push(1e12); // outside the range: ignored
  const fit = linearFit(series, 1_000_000, 1_060_000);
  assert.is(fit.n, 61);
  assert.ok(Math.abs(fit.slope - 2) < 0.01, String(fit.slope));
  assert.ok(Math.abs(fit.intercept - 50e6) < 200, String(fit.intercept));
  const part = linearFit(series, 1_010_000, 1_020_000);
  assert.is(part.n, 11);
  assert.is(seriesMax(series), 1e12);
});

test("linearFit: fewer than 3 points or no spread in time gives NaN", () => {
  const series = emptySeries("rss", "bytes");
  series.t.push(1, 2);
  series.v.push(1, 2);
  assert.ok(Number.isNaN(linearFit(series, 0, 10).slope));
  series.t.splice(0, 2, 5, 5, 5);
  series.v.splice(0, 2, 1, 2, 3);
  const flat = linearFit(series, 0, 10);
  assert.is(flat.n, 3);
  assert.ok(Number.isNaN(flat.slope));
  assert.ok(Number.isNaN(seriesMax(emptySeries("x", ""))));
});

test.run();
