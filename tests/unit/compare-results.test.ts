// Comparing two runs: per-gate deltas, regressions (pass → fail, a latency percentile worse than
// the tolerance and by at least 0.5 ms), plan differences, and results.json read with its errors.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isGauntletError } from "../../core/errors.ts";
import { REPO_ROOT } from "../../core/paths.ts";
import { compareResults, latencyChange } from "../../core/results/compare-results.ts";
import { readResults } from "../../core/results/read-results.ts";
import type { Results } from "../../core/results/results-schema.ts";
import { compareText } from "../../reports/compare-table.ts";
import { tempDir } from "../support/cli.ts";

const FIXTURES = join(REPO_ROOT, "tests/fixtures/runs");
const A = join(FIXTURES, "20261201-123637-decision-flood-1f4f");
const B = join(FIXTURES, "20261201-123503-decision-flood-0956");
const BURST = join(FIXTURES, "20261201-123811-order-burst-5f0f");
const load = (dir: string) => ({ dir, results: readResults(dir) });

function fails(fn: () => unknown, code: string, parts: string[]): void {
  try {
    fn();
  } catch (error) {
    if (!isGauntletError(error)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return;
  }
  assert.unreachable("accepted");
}

test("latencyChange: worse beyond the tolerance and by at least 0.5 ms", () => {
  assert.equal(latencyChange(10, 11.2, 10), { deltaMs: 1.2, deltaPct: 12, countedPct: 12, worse: true });
  assert.is(latencyChange(10, 10.9, 10).worse, false, "9 % is within 10 %");
  assert.equal(latencyChange(0.4, 0.8, 10), { deltaMs: 0.4, deltaPct: 100, countedPct: 0, worse: false }, "+100 % but 0.4 ms: noise");
  assert.is(latencyChange(8, 4, 10).worse, false, "better is never worse");
  assert.is(latencyChange(0, 3, 10).deltaPct, null);
});

test("a seeded bug against a clean run: pass → fail and worse percentiles are regressions", () => {
  const comparison = compareResults(load(A), load(B));
  const p99 = comparison.gates.find((gate) => gate.id === "latency_p99")!;
  assert.equal(p99.a, { status: "pass", measured: 8.535, comparator: "<=", threshold: 15 });
  assert.equal(p99.b, { status: "fail", measured: 31.087, comparator: "<=", threshold: 15 });
  assert.is(p99.delta, 22.552);
  assert.is(p99.deltaPct, 264.23);
  assert.ok(p99.regression);
  assert.equal(p99.flags, ["pass → fail", "worse by 264.2 %"]);
  const mean = comparison.gates.find((gate) => gate.id === "latency_mean")!;
  assert.equal(mean.flags, ["pass → fail"], "a mean is not a percentile: only its status counts");
  const backlog = comparison.gates.find((gate) => gate.id === "redis_backlog_max")!;
  assert.equal([backlog.regression, backlog.delta, backlog.deltaPct], [false, -4, -33.33]);
  assert.equal(comparison.latency.map((row) => [row.percentile, row.regression]), [["p50", true], ["p95", true], ["p99", true]]);
  assert.equal(comparison.plan, [
    { field: "seeded faults", a: "none", b: "memory-leak" },
    { field: "gauntlet build", a: "0.1.0 (34308b4cd05a)", b: "0.1.0 (704cdf007cc3, modified)" },
  ]);
  assert.is(comparison.regressions.length, 9);
  assert.ok(comparison.regressions.includes("latency_p99: pass → fail, worse by 264.2 % (8.54 → 31.09 ms)"), comparison.regressions.join("\n"));
  assert.ok(comparison.regressions.includes("memory_growth: pass → fail (-12.47 → 85.03 MB)"));
});

test("the same run twice: no difference, no regression; B → A: the failures are fixed", () => {
  const same = compareResults(load(A), load(A));
  assert.equal([same.plan, same.regressions], [[], []]);
  assert.ok(same.gates.every((gate) => gate.delta === 0 && gate.flags.length === 0));
  const back = compareResults(load(B), load(A));
  assert.equal(back.regressions, []);
  assert.equal(back.gates.find((gate) => gate.id === "latency_p99")!.flags, ["fixed"]);
});

test("plan fields, thresholds and gates present in one run only are named", () => {
  const a = load(A);
  const results: Results = structuredClone(a.results);
  results.profile = "quick";
  results.plan = { ...results.plan, rate: 2000, targetUrl: "http://127.0.0.1:1", runId: "other" };
  results.gates = results.gates.filter((gate) => gate.id !== "memory_growth").map((gate) => (gate.id === "latency_p99" ? { ...gate, threshold: 20 } : gate));
  results.gates.push({ ...results.gates[0]!, id: "latency_p99_crash" });
  const comparison = compareResults(a, { dir: "/b", results });
  assert.equal(comparison.plan, [
    { field: "profile", a: "smoke", b: "quick" },
    { field: "plan.rate", a: "1000", b: "2000" },
  ], "the target URL and the run id differ in every run: not differences");
  const gate = (id: string) => comparison.gates.find((g) => g.id === id)!;
  assert.equal(gate("latency_p99").flags, ["threshold 15 → 20"]);
  assert.equal([gate("memory_growth").flags, gate("memory_growth").b], [["only in A"], null]);
  assert.equal(gate("latency_p99_crash").flags, ["only in B"]);
  assert.not.ok(gate("latency_p99_crash").regression);
});

test("two scenarios: GAUNTLET_USAGE naming both", () => {
  fails(() => compareResults(load(A), load(BURST)), "GAUNTLET_USAGE", [`${A} is a run of decision-flood`, `${BURST} a run of order-burst`]);
});

test("a tolerance of 1000 % leaves only the pass → fail regressions", () => {
  const comparison = compareResults(load(A), load(B), 1000);
  assert.is(comparison.latency.filter((row) => row.regression).length, 1, "P50: +1,035 %");
  assert.equal(comparison.gates.find((gate) => gate.id === "latency_p99")!.flags, ["pass → fail"]);
});

test("the text table: both runs, the plan, one row per gate, the regressions", () => {
  const text = compareText(compareResults(load(A), load(B)));
  assert.match(text, /^decision-flood: A → B\n {2}A {2}20261201-123637-decision-flood-1f4f {2}PASS · GO · smoke · 0\.1\.0 \(34308b4cd05a\)/);
  assert.match(text, /seeded faults {3}none → memory-leak/);
  assert.match(text, /latency_p99 +PASS → FAIL +8\.54 → 31\.09 ms +\+22\.55 ms \(\+264\.2 %\) +REGRESSION: pass → fail, worse by 264\.2 %/);
  assert.match(text, /redis_backlog_max +PASS → PASS +12 → 8 events +-4 events \(-33\.33 %\)\n/);
  assert.match(text, /P50 +0\.421 → 4\.78 ms/);
  assert.match(text, /9 regression\(s\)/);
  assert.match(compareText(compareResults(load(A), load(A))), /no regression \(a gate that passed now fails, or a latency percentile worse by more than 10 % and 0\.5 ms\)\n$/);
});

test("reading results.json: a missing folder, no results.json, bad JSON, a bad field — each named", () => {
  const empty = tempDir();
  fails(() => readResults(join(empty, "absent")), "GAUNTLET_USAGE", [`no run folder at ${join(empty, "absent")}`]);
  fails(() => readResults(empty), "GAUNTLET_USAGE", [`${empty} has no results.json`]);
  const notJson = join(FIXTURES, "not-json.fails");
  fails(() => readResults(notJson), "GAUNTLET_CONFIG_INVALID", [`${join(notJson, "results.json")}: not valid JSON`]);
  const badGate = join(FIXTURES, "bad-gate.fails");
  fails(() => readResults(badGate), "GAUNTLET_CONFIG_INVALID", [`${join(badGate, "results.json")}: gates.0.status:`]);
});

test.run();
