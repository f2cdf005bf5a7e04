import { test } from "uvu";
import * as assert from "uvu/assert";
import type { K6Point } from "../../core/analysis/k6-output.ts";
import { FaultLog } from "../../core/faults/fault-log.ts";
import type { Capabilities } from "../../core/target/capabilities.ts";
import { LatencyHistogram } from "../../core/analysis/latency-histogram.ts";
import { RunDigest } from "../../core/analysis/run-digest.ts";
import { formatMeasured, formatThreshold, judge, noData, type GateResult, type GateSpec } from "../../core/gates/gate.ts";
import { colourOf, exitCodeOf, goNoGo, verdictOf } from "../../core/gates/verdict.ts";
import type { Evidence } from "../../core/plugins/contracts.ts";
import type { HistogramSnapshot } from "../../core/samplers/prometheus-histogram.ts";
import { emptySeries, type Series } from "../../core/samplers/series.ts";
import { FloodConfigSchema } from "../../plugins/decision-flood/plan.ts";
import { backlogGates, degradationGate, latencyGates, loadGates, memoryGate, pipelineGate } from "../../plugins/decision-flood/gates.ts";

const spec = (comparator: GateSpec["comparator"], threshold: number): GateSpec => ({
  id: "g",
  title: "a gate",
  category: "latency",
  severity: "HIGH",
  unit: "ms",
  comparator,
  threshold,
});

test("judge: every comparator, on and either side of the threshold", () => {
  const cases: Array<[GateSpec["comparator"], number, "pass" | "fail"]> = [
    ["<=", 9, "pass"], ["<=", 10, "pass"], ["<=", 11, "fail"],
    ["<", 9, "pass"], ["<", 10, "fail"], ["<", 11, "fail"],
    [">=", 9, "fail"], [">=", 10, "pass"], [">=", 11, "pass"],
    [">", 9, "fail"], [">", 10, "fail"], [">", 11, "pass"],
    ["==", 9, "fail"], ["==", 10, "pass"], ["==", 11, "fail"],
  ];
  for (const [comparator, measured, status] of cases) {
    const result = judge(spec(comparator, 10), measured, "how");
    assert.is(result.status, status, `${measured} ${comparator} 10`);
    assert.is(result.measured, measured);
    assert.is(result.detail, "how");
    assert.is(result.id, "g");
  }
});

test("judge: undefined or NaN is no-data, never a pass", () => {
  for (const measured of [undefined, Number.NaN]) {
    const result = judge(spec("<=", 10), measured, "nothing measured");
    assert.is(result.status, "no-data");
    assert.is(result.measured, null);
    assert.is(formatMeasured(result), "—");
  }
});

test("judge: ±Infinity is judged, carried as measuredText (JSON has no ∞)", () => {
  const late = judge(spec("<", 20), Number.POSITIVE_INFINITY, "never visible");
  assert.is(late.status, "fail");
  assert.is(late.measured, null);
  assert.is(late.measuredText, "∞");
  assert.is(formatMeasured(late), "∞ ms");
  assert.is(JSON.parse(JSON.stringify(late)).measuredText, "∞");
  const low = judge(spec(">=", 0), Number.NEGATIVE_INFINITY, "");
  assert.is(low.status, "fail");
  assert.is(low.measuredText, "−∞");
  assert.is(judge(spec(">", 0), Number.POSITIVE_INFINITY, "").status, "pass");
});

test("formatThreshold / formatMeasured", () => {
  assert.is(formatThreshold(spec("<=", 15)), "≤ 15 ms");
  assert.is(formatThreshold({ comparator: "==", threshold: 0, unit: "" }), "= 0");
  assert.is(formatMeasured({ measured: 12345.678, unit: "ms" }), "12,345.7 ms");
  assert.is(formatMeasured({ measured: 0.12345, unit: "%" }), "0.123 %");
  assert.is(formatMeasured(noData(spec("<", 1), "")), "—");
});

const gate = (status: GateResult["status"], severity: GateResult["severity"] = "HIGH"): GateResult => ({
  ...spec("<=", 1),
  severity,
  status,
  measured: status === "no-data" ? null : 1,
  detail: "",
});

test("verdictOf / exitCodeOf: any fail → 1; else any no-data (or no gates) → 2; else 0", () => {
  assert.is(verdictOf([gate("pass"), gate("pass")]), "pass");
  assert.is(verdictOf([gate("pass"), gate("no-data"), gate("fail")]), "fail");
  assert.is(verdictOf([gate("pass"), gate("no-data")]), "could-not-judge");
  assert.is(verdictOf([]), "could-not-judge");
  assert.is(exitCodeOf("pass"), 0);
  assert.is(exitCodeOf("fail"), 1);
  assert.is(exitCodeOf("could-not-judge"), 2);
});

test("goNoGo: a failed CRITICAL gate is NO-GO even without data elsewhere; a failed HIGH gate is GO WITH CONDITIONS", () => {
  assert.is(goNoGo([gate("pass", "CRITICAL"), gate("pass")]), "GO");
  assert.is(goNoGo([gate("pass", "CRITICAL"), gate("fail", "HIGH"), gate("fail", "MEDIUM")]), "GO WITH CONDITIONS");
  assert.is(goNoGo([gate("fail", "CRITICAL"), gate("no-data")]), "NO-GO");
  assert.is(goNoGo([gate("fail", "HIGH"), gate("no-data")]), "NOT JUDGED");
  assert.is(goNoGo([]), "NOT JUDGED");
});

test("colourOf: green pass, red failed CRITICAL, amber otherwise", () => {
  assert.is(colourOf(gate("pass", "CRITICAL")), "green");
  assert.is(colourOf(gate("fail", "CRITICAL")), "red");
  assert.is(colourOf(gate("fail", "HIGH")), "amber");
  assert.is(colourOf(gate("no-data", "CRITICAL")), "amber");
});

// ---- decision-flood's gates, on hand-built evidence ----

const T0 = 1_795_608_149_000;
const SCENARIO = "decision-flood";
const CONFIG = FloodConfigSchema.parse({});
/** A target that declares every capability (the sandbox's shape). */
const FULL: Capabilities = {
  processMetrics: { url: "http://127.0.0.1:1/metrics", rssMetric: "rss" },
  metricsPipeline: { url: "http://127.0.0.1:2/metrics", latencyMetric: "lat", arrivalMetric: "arr", backlog: { redisUrl: "redis://127.0.0.1:3", key: "events" } },
};

function point(metric: string, atS: number, value: number, decisionId = ""): K6Point {
  return { metric, timeMs: T0 + atS * 1000, value, scenario: SCENARIO, status: "200", decisionId, orderId: "" };
}

/** `perSecond` decisions a second for `seconds`; latency(s) gives each one's ms; every `failEvery`th fails. */
function flood(seconds: number, perSecond: number, latency: (atS: number) => number, failEvery = 0): RunDigest {
  const digest = new RunDigest(SCENARIO);
  let id = 0;
  for (let s = 0; s < seconds; s++) {
    for (let k = 0; k < perSecond; k++) {
      const at = s + k / perSecond;
      const failed = failEvery > 0 && id % failEvery === 0;
      digest.add(point("http_req_duration", at, latency(at), String(id)));
      digest.add(point("http_req_failed", at, failed ? 1 : 0, String(id)));
      if (failed) digest.add(point("gauntlet_answer_check_failed", at, 1, String(id)));
      id++;
    }
  }
  return digest;
}

function evidence(digest: RunDigest, series: Evidence["series"] = {}, after: Evidence["after"] = {}): Evidence {
  return {
    k6: { digest, stats: { lines: 0, bytes: 0, partialLastLine: "" }, points: 0 },
    k6ExitCode: 0,
    k6Summary: {},
    series,
    pipelineLag: new LatencyHistogram(),
    driveStartMs: digest.firstMs,
    driveEndMs: digest.lastMs,
    after,
    faults: new FaultLog(),
  };
}

function sampled(name: string, unit: string, fromMs: number, toMs: number, stepMs: number, value: (tMs: number) => number): Series {
  const series = emptySeries(name, unit);
  for (let t = fromMs; t <= toMs; t += stepMs) {
    series.t.push(t);
    series.v.push(value(t));
  }
  return series;
}

const byId = (gates: GateResult[]) => Object.fromEntries(gates.map((g) => [g.id, g]));

test("latency gates: fewer samples than minSamples → every latency gate no-data, sample count shown", () => {
  const gates = byId(latencyGates(flood(10, 100, () => 1), CONFIG)); // 1,000 < 10,000
  assert.equal(Object.keys(gates), ["latency_p99", "latency_p95", "latency_mean"]);
  for (const g of Object.values(gates)) {
    assert.is(g.status, "no-data", g.id);
    assert.ok(g.detail.includes("only 1,000 decisions were measured"), g.detail);
  }
});

test("latency gates: P99, P95 and mean judged against the thresholds", () => {
  // 97% at 2 ms, 3% at 12 ms: P95 = 2 (pass ≤ 10), P99 = 12 (pass ≤ 15), mean 2.3 (pass ≤ 5)
  const good = byId(latencyGates(flood(20, 600, (at) => (Math.round(at * 600) % 100 < 3 ? 12 : 2)), CONFIG));
  assert.match(good.latency_p99!.detail, /all 12,000 decisions/);
  assert.is(good.latency_p99!.status, "pass");
  assert.ok(Math.abs(good.latency_p99!.measured! - 12) <= 0.012);
  assert.is(good.latency_p95!.status, "pass");
  assert.ok(Math.abs(good.latency_mean!.measured! - 2.3) < 1e-6);
  // a 2% slow tail fails P99 alone; a 10% slow path fails P99 and P95 (the self-test's slow-path)
  const tail = latencyGates(flood(20, 600, (at) => (Math.round(at * 600) % 50 === 0 ? 20 : 2)), CONFIG);
  assert.equal(tail.filter((g) => g.status === "fail").map((g) => g.id), ["latency_p99"]);
  const slow = latencyGates(flood(20, 600, (at) => (Math.round(at * 600) % 10 === 0 ? 20 : 2)), CONFIG);
  assert.equal(slow.filter((g) => g.status === "fail").map((g) => g.id), ["latency_p99", "latency_p95"]);
  const slower = latencyGates(flood(20, 600, (at) => (Math.round(at * 600) % 10 < 6 ? 20 : 2)), CONFIG);
  assert.equal(slower.filter((g) => g.status === "fail").map((g) => g.id), ["latency_p99", "latency_p95", "latency_mean"]);
});

test("load gates: error rate counts HTTP failures and failed checks; dropped iterations against all scheduled", () => {
  const digest = flood(10, 100, () => 1, 50); // 2% fail
  digest.add(point("dropped_iterations", 5, 3));
  const gates = byId(loadGates(digest, CONFIG));
  assert.is(gates.error_rate!.status, "fail");
  assert.ok(Math.abs(gates.error_rate!.measured! - 2) < 1e-9);
  assert.is(gates.dropped_iterations!.status, "fail");
  assert.ok(Math.abs(gates.dropped_iterations!.measured! - (3 / 1003) * 100) < 1e-9);
  const clean = byId(loadGates(flood(10, 100, () => 1), CONFIG));
  assert.is(clean.error_rate!.status, "pass");
  assert.is(clean.error_rate!.measured, 0);
  assert.is(clean.dropped_iterations!.status, "pass");
  const empty = byId(loadGates(new RunDigest(SCENARIO), CONFIG));
  assert.is(empty.error_rate!.status, "no-data");
  assert.is(empty.dropped_iterations!.status, "no-data");
});

test("degradation: P95 of the first minute vs the last; below the floor counts as 0", () => {
  const steady = degradationGate(flood(250, 50, (at) => (at < 125 ? 4 : 4.6)), CONFIG);
  assert.is(steady.status, "pass");
  assert.ok(steady.measured! > 10 && steady.measured! < 20, `${steady.measured} ${steady.detail}`); // ~15%, above the 0.5 ms floor
  assert.ok(steady.detail.includes("first 60 s"), steady.detail);
  // +22% but only +0.45 ms: noise on a shared machine, not degradation
  const floor = degradationGate(flood(250, 50, (at) => (at < 125 ? 2 : 2.45)), CONFIG);
  assert.is(floor.status, "pass");
  assert.is(floor.measured, 0);
  const worse = degradationGate(flood(250, 50, (at) => 2 + at / 60), CONFIG);
  assert.is(worse.id, "latency_degradation");
  assert.is(worse.status, "fail");
  const faster = degradationGate(flood(250, 50, (at) => (at < 125 ? 5 : 2)), CONFIG);
  assert.is(faster.measured, 0, "getting faster is not degradation");
});

test("degradation: windows under a minute (smoke) have a wider noise floor", () => {
  const pause = degradationGate(flood(40, 50, (at) => (at < 20 ? 2 : 4.5)), CONFIG); // +2.5 ms
  assert.is(pause.status, "pass");
  assert.is(pause.measured, 0);
  assert.ok(pause.detail.includes("changes under 3 ms count as 0 (windows under a minute)"), pause.detail);
  const worse = degradationGate(flood(40, 50, (at) => 2 + at / 5), CONFIG); // +6 ms
  assert.is(worse.status, "fail");
});

test("degradation: whole windows only — one straggler a few ms past the last second does not shift the last window", () => {
  const digest = flood(13, 100, () => 2);
  digest.add(point("http_req_duration", 13.003, 2, "straggler"));
  const gate = degradationGate(digest, CONFIG);
  assert.ok(gate.detail.includes("in the last 3 s (300)"), gate.detail);
});

test("degradation: a short run or thin windows cannot be judged", () => {
  assert.is(degradationGate(flood(10, 50, () => 2), CONFIG).status, "no-data");
  const thin = degradationGate(flood(40, 10, () => 2), CONFIG);
  assert.is(thin.status, "no-data");
  assert.ok(thin.detail.includes("too few samples"), thin.detail);
});

test("memory: least-squares growth over the measured flood, from a series with a known slope", () => {
  const digest = flood(60, 10, () => 1);
  const from = digest.firstMs;
  const to = digest.lastMs;
  const rss = (bytesPerMs: number) => sampled("target-rss", "bytes", from - 10_000, to + 10_000, 1000, (t) => 80e6 + bytesPerMs * (t - from) + ((t / 1000) % 2 === 0 ? 50_000 : -50_000));
  // 100 B/ms over 59.9 s ≈ 6 MB: below the 10 MB line
  const flat = memoryGate(evidence(digest, { "target-rss": rss(100) }), digest, CONFIG, FULL);
  assert.is(flat.status, "pass");
  assert.ok(Math.abs(flat.measured! - (100 * (to - from)) / 1e6) < 0.2, String(flat.measured));
  const leak = memoryGate(evidence(digest, { "target-rss": rss(500) }), digest, CONFIG, FULL);
  assert.is(leak.id, "memory_growth");
  assert.is(leak.status, "fail");
  assert.ok(Math.abs(leak.measured! - (500 * (to - from)) / 1e6) < 0.2, String(leak.measured));
  assert.is(memoryGate(evidence(digest), digest, CONFIG, FULL).status, "no-data");
  const few = memoryGate(evidence(digest, { "target-rss": sampled("target-rss", "bytes", from, from + 5000, 1000, () => 1) }), digest, CONFIG, FULL);
  assert.is(few.status, "no-data");
  assert.ok(few.detail.includes("only 6 RSS samples"), few.detail);
});

test("backlog: max during the drive and the value after it drained", () => {
  const digest = flood(10, 10, () => 1);
  const backlog = (peak: number) => sampled("redis-backlog", "events", digest.firstMs, digest.lastMs, 100, (t) => (t - digest.firstMs < 5000 ? peak : 0));
  const ok = byId(backlogGates(evidence(digest, { "redis-backlog": backlog(200) }, { redisBacklogEnd: 0 }), CONFIG, FULL));
  assert.is(ok.redis_backlog_max!.status, "pass");
  assert.is(ok.redis_backlog_max!.measured, 200);
  assert.is(ok.redis_backlog_end!.status, "pass");
  const stalled = byId(backlogGates(evidence(digest, { "redis-backlog": backlog(5000) }, { redisBacklogEnd: 4000 }), CONFIG, FULL));
  assert.is(stalled.redis_backlog_max!.status, "fail");
  assert.is(stalled.redis_backlog_end!.status, "fail");
  assert.is(stalled.redis_backlog_end!.measured, 4000);
  const noEnd = byId(backlogGates(evidence(digest, { "redis-backlog": backlog(1) }), CONFIG, FULL));
  assert.is(noEnd.redis_backlog_end!.status, "no-data");
  const none = backlogGates(evidence(digest), CONFIG, FULL);
  assert.ok(none.every((g) => g.status === "no-data" && g.detail.includes("no Redis event list")));
  const few = backlogGates(evidence(digest, { "redis-backlog": sampled("redis-backlog", "events", digest.firstMs, digest.firstMs + 500, 100, () => 0) }), CONFIG, FULL);
  assert.ok(few.every((g) => g.status === "no-data" && g.detail.includes("only 6 backlog samples")), few[0]!.detail);
});

const LE = [0.001, 0.005, 0.01, 0.02, 0.05, Number.POSITIVE_INFINITY];
const snapshot = (cumulative: number[]): HistogramSnapshot => ({ le: LE, cumulative, count: cumulative.at(-1)!, sum: 0 });

test("pipeline: P99 from the exporter's histogram over the flood, unapplied decisions infinitely late", () => {
  const digest = flood(10, 100, () => 1, 100); // 1,000 requests, 10 failed → 990 answered
  const before = snapshot([50, 100, 100, 100, 100, 100]);
  // 990 applied, all within 10 ms
  const fast = pipelineGate(evidence(digest), digest, CONFIG, { before, after: snapshot([550, 900, 1090, 1090, 1090, 1090]) }, FULL);
  assert.is(fast.status, "pass");
  assert.ok(fast.measured! > 5 && fast.measured! <= 10, String(fast.measured));
  assert.ok(fast.detail.includes("0 of 990 answered decisions never became visible"), fast.detail);
  // the exporter stalled: only 500 of 990 applied → the rank lies past every bucket → ∞, fail
  const stalled = pipelineGate(evidence(digest), digest, CONFIG, { before, after: snapshot([350, 600, 600, 600, 600, 600]) }, FULL);
  assert.is(stalled.id, "pipeline_latency_p99");
  assert.is(stalled.status, "fail");
  assert.is(stalled.measured, null);
  assert.is(stalled.measuredText, "∞");
  assert.ok(stalled.detail.includes("490 of 990 answered decisions never became visible"), stalled.detail);
  // all applied but slow: 5% between 20 and 50 ms → P99 inside (20, 50] → fail
  const slow = pipelineGate(evidence(digest), digest, CONFIG, { before, after: snapshot([500, 900, 1000, 1040, 1090, 1090]) }, FULL);
  assert.is(slow.status, "fail");
  assert.ok(slow.measured! > 20 && slow.measured! <= 50, String(slow.measured));
});

test("pipeline: no histogram or no baseline cannot be judged", () => {
  const digest = flood(10, 100, () => 1);
  const after = snapshot([1000, 1000, 1000, 1000, 1000, 1000]);
  assert.is(pipelineGate(evidence(digest), digest, CONFIG, { before: after, after: undefined }, FULL).status, "no-data");
  const noBaseline = pipelineGate(evidence(digest), digest, CONFIG, { before: undefined, after }, FULL);
  assert.is(noBaseline.status, "no-data");
  assert.ok(noBaseline.detail.includes("could not be scraped"), noBaseline.detail);
});

test("pipeline: the staleness probe is reported beside the histogram", () => {
  const digest = flood(10, 100, () => 1);
  const lag = sampled("pipeline-lag", "ms", digest.firstMs, digest.lastMs, 50, () => 7);
  const result = pipelineGate(evidence(digest, { "pipeline-lag": lag }), digest, CONFIG, {
    before: snapshot([0, 0, 0, 0, 0, 0]),
    after: snapshot([0, 1000, 1000, 1000, 1000, 1000]),
  }, FULL);
  assert.ok(result.detail.includes("staleness probe (") && result.detail.includes("median 7 ms"), result.detail);
});

test("a gate whose capability the target does not declare is not applicable — never a pass, never no-data", () => {
  const digest = flood(20, 100, () => 1);
  const none: Capabilities = {};
  assert.is(memoryGate(evidence(digest), digest, CONFIG, none).status, "not-applicable");
  assert.match(memoryGate(evidence(digest), digest, CONFIG, none).detail, /capabilities\.processMetrics/);
  assert.equal(backlogGates(evidence(digest), CONFIG, none).map((g) => g.status), ["not-applicable", "not-applicable"]);
  assert.is(pipelineGate(evidence(digest), digest, CONFIG, { before: undefined, after: undefined }, none).status, "not-applicable");
});

test("verdicts with gates that do not apply: they never make a pass, and a run of nothing but them is not applicable", () => {
  const na = { ...gate("pass", "HIGH"), status: "not-applicable" as const };
  assert.is(verdictOf([gate("pass", "CRITICAL"), na]), "pass");
  assert.is(goNoGo([gate("pass", "CRITICAL"), na]), "GO");
  assert.is(verdictOf([na, na]), "not-applicable");
  assert.is(goNoGo([na]), "NOT APPLICABLE");
  assert.is(exitCodeOf("not-applicable"), 2);
  assert.is(colourOf(na), "grey");
});

test.run();
