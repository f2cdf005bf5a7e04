import { test } from "uvu";
import * as assert from "uvu/assert";
import type { K6Point } from "../../core/analysis/k6-output.ts";
import { RunDigest } from "../../core/analysis/run-digest.ts";

const T0 = 1_795_608_149_000;
const SCENARIO = "decision-flood";

function point(metric: string, atS: number, value: number, extra: Partial<K6Point> = {}): K6Point {
  return { metric, timeMs: T0 + atS * 1000, value, scenario: SCENARIO, status: "200", decisionId: "", orderId: "", ...extra };
}

/** One answered decision: its duration, its failure flag and a failed answer check's sample, as k6 writes them. */
function decision(digest: RunDigest, atS: number, ms: number, id: number | string, ok = true): void {
  const decisionId = String(id);
  digest.add(point("http_req_duration", atS, ms, { decisionId }));
  digest.add(point("http_req_failed", atS, ok ? 0 : 1, { decisionId }));
  if (!ok) digest.add(point("gauntlet_answer_check_failed", atS, 1, { decisionId }));
}

test("only the judged scenario counts: setup, warm-up and untagged samples do not", () => {
  const digest = new RunDigest(SCENARIO);
  digest.add(point("http_req_duration", 0, 50, { scenario: "" }));
  digest.add(point("http_req_failed", 0, 1, { scenario: "" }));
  digest.add(point("gauntlet_answer_check_failed", 0, 1, { scenario: "" }));
  digest.add(point("http_req_duration", 0, 50, { scenario: "warmup", decisionId: "1" }));
  digest.add(point("dropped_iterations", 0, 5, { scenario: "warmup" }));
  assert.is(digest.requests, 0);
  assert.is(digest.failed, 0);
  assert.is(digest.checksFailed, 0);
  assert.is(digest.dropped, 0);
  assert.is(digest.latency.count, 0);
  assert.not.ok(digest.hasDecision(1));
  assert.ok(Number.isNaN(digest.firstMs), "no window was opened");
  assert.is(digest.durationSeconds, 0);
});

test("requests, failures, checks and dropped iterations are counted per run and per window", () => {
  const digest = new RunDigest(SCENARIO);
  decision(digest, 0, 1, 1);
  decision(digest, 0.5, 2, 2, false);
  decision(digest, 1.2, 3, 3);
  digest.add(point("dropped_iterations", 1.5, 2));
  digest.add(point("dropped_iterations", 2.1, 1, { scenario: "" })); // untagged drops count
  digest.add(point("vus", 2.2, 10));
  assert.is(digest.requests, 3);
  assert.is(digest.failed, 1);
  assert.is(digest.checksFailed, 1);
  assert.is(digest.dropped, 3);
  assert.is(digest.durationSeconds, 2.1);
  const windows = digest.windowSummaries();
  assert.equal(
    windows.map(({ t, seconds, requests, failed, dropped }) => ({ t, seconds, requests, failed, dropped })),
    [
      { t: 0, seconds: 1, requests: 2, failed: 1, dropped: 0 },
      { t: 1, seconds: 1, requests: 1, failed: 0, dropped: 2 },
      { t: 2, seconds: 1, requests: 0, failed: 0, dropped: 1 },
    ],
  );
  assert.ok(Number.isNaN(windows[2]!.p99Ms), "a window without requests has no latency");
  assert.ok(Math.abs(windows[1]!.p50Ms - 3) <= 0.03, "window histograms are 1% (2 significant digits)");
});

test("live listeners hear latencies, failures and drops of the scenario only", () => {
  const digest = new RunDigest(SCENARIO);
  const heard: string[] = [];
  digest.onLatency = (ms) => heard.push(`latency ${ms}`);
  digest.onFailure = () => heard.push("failure");
  digest.onDropped = (count) => heard.push(`dropped ${count}`);
  decision(digest, 0, 4, 1, false);
  digest.add(point("http_req_duration", 0, 9, { scenario: "setup" }));
  digest.add(point("dropped_iterations", 0, 2));
  assert.equal(heard, ["latency 4", "failure", "dropped 2"]);
});

test("more than 128 windows: neighbours merge and the width doubles, so memory stays bounded", () => {
  const digest = new RunDigest(SCENARIO);
  for (let s = 0; s < 600; s++) decision(digest, s + 0.5, 1 + (s % 5), s);
  assert.ok(digest.windows.length <= 128, `${digest.windows.length} windows`);
  assert.is(digest.windowMs, 8000, "1 s → 2 s → 4 s → 8 s");
  assert.is(digest.windows.length, 75, "600 s / 8 s");
  assert.is(digest.windows.reduce((sum, w) => sum + w.requests, 0), 600, "no request is lost in a merge");
  assert.is(digest.windows.reduce((sum, w) => sum + w.histogram.totalCount, 0), 600);
  digest.windows.forEach((w, i) => assert.is(w.startMs, T0 + 500 + i * 8000, `window ${i} start`));
  assert.ok(digest.windowSummaries().every((w) => w.seconds === 8));
});

test("histogramBetween merges the windows wholly inside [from, to)", () => {
  const digest = new RunDigest(SCENARIO);
  for (let s = 0; s < 10; s++) for (let k = 0; k < 10; k++) decision(digest, s + k / 10, s < 5 ? 1 : 5, s * 10 + k);
  const first = digest.histogramBetween(0, 5);
  assert.is(first.totalCount, 50);
  assert.ok(Math.abs(first.getValueAtPercentile(99) / 1000 - 1) <= 0.01);
  const last = digest.histogramBetween(5, 10);
  assert.is(last.totalCount, 50);
  assert.ok(Math.abs(last.getValueAtPercentile(50) / 1000 - 5) <= 0.05);
  assert.is(digest.histogramBetween(2, 4).totalCount, 20);
  assert.is(digest.histogramBetween(2.5, 4).totalCount, 10, "a window that starts before `from` is left out");
});

test("recentP99Ms reads only the windows of the last seconds", () => {
  const digest = new RunDigest(SCENARIO);
  for (let s = 0; s < 20; s++) for (let k = 0; k < 10; k++) decision(digest, s + k / 10, s < 15 ? 1 : 20, s * 10 + k);
  assert.ok(Math.abs(digest.recentP99Ms(3) - 20) <= 0.2, String(digest.recentP99Ms(3)));
  assert.ok(Math.abs(digest.latency.percentileMs(50) - 1) <= 0.001, "the overall histogram keeps everything");
  assert.ok(Number.isNaN(new RunDigest(SCENARIO).recentP99Ms(3)));
});

test("decision ids: a growing bitset per prefix; ids that do not end in a number are counted, not stored", () => {
  const digest = new RunDigest(SCENARIO);
  const ids = ["0", "7", "42", "42", "200000", "17.3", "17.250000", "2-17.3", "w5", "abc", "17.", "17.007", "1.99999999999"];
  for (const id of ids) decision(digest, 0, 1, id);
  decision(digest, 0, 1, ""); // no metadata: neither stored nor counted
  assert.ok(["0", "7", "42", "200000", "17.3", "17.250000", "2-17.3", "w5"].every((id) => digest.hasDecision(id)));
  assert.not.ok(digest.hasDecision(1));
  assert.not.ok(digest.hasDecision(41));
  assert.not.ok(digest.hasDecision(199_999));
  assert.not.ok(digest.hasDecision(200_001), "beyond the largest id seen");
  assert.not.ok(digest.hasDecision("17.4") || digest.hasDecision("3-17.3") || digest.hasDecision("17.03"), "another VU, instance or spelling is another id");
  assert.is(digest.decisionIdsSeen(), 8, "42 twice is one decision");
  assert.is(digest.scenarioIds.duplicates, 1);
  assert.is(digest.scenarioIds.unshaped, 4, "abc, 17. (no number), 17.007 (would spell back as 17.7), an 11-digit number");
  assert.equal([...digest.scenarioIds.ids()].sort(), ["0", "17.250000", "17.3", "2-17.3", "200000", "42", "7", "w5"], "every stored id spells back as it was sent");
  assert.is(digest.requests, 14, "every request counts for latency, whatever its id");
});

test("decision ids are only taken from answered requests (http_req_duration)", () => {
  const digest = new RunDigest(SCENARIO);
  digest.add(point("gauntlet_answer_check_failed", 0, 1, { decisionId: "5" }));
  digest.add(point("http_req_failed", 0, 0, { decisionId: "6" }));
  assert.is(digest.decisionIdsSeen(), 0);
});

test("the order ids a governor answered with are kept, from gauntlet_orders_answered's metadata, with their decision and time", () => {
  const digest = new RunDigest(SCENARIO);
  decision(digest, 1, 2, 7);
  digest.add(point("gauntlet_orders_answered", 1.5, 1, { decisionId: "8", orderId: "O17" }));
  digest.add(point("gauntlet_orders_answered", 2, 1, { decisionId: "w3", orderId: "O18", scenario: "warmup" }));
  assert.equal([...digest.orders.keys()], ["O17", "O18"], "every scenario's orders: the integrity join needs them all");
  assert.equal(digest.orders.get("O17"), { decisionId: "8", atMs: T0 + 1500 });
});

test.run();
