// `gauntlet run --baseline`: the latency percentiles against an earlier run of the same scenario,
// judged as the baseline_regression gate and recorded in results.baseline — without a load run.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { baselineFromFlags } from "../../cli/run-options.ts";
import { isGauntletError } from "../../core/errors.ts";
import { goNoGo, verdictOf } from "../../core/gates/verdict.ts";
import { REPO_ROOT } from "../../core/paths.ts";
import { checkBaseline, judgeBaseline, type Baseline } from "../../core/results/baseline.ts";
import { readResults } from "../../core/results/read-results.ts";
import { ResultsSchema } from "../../core/results/results-schema.ts";

const FIXTURES = join(REPO_ROOT, "tests/fixtures/runs");
const A = join(FIXTURES, "20261201-123637-decision-flood-1f4f");
const baseline = (tolerancePct = 10): Baseline => ({ dir: A, results: readResults(A), tolerancePct });
// The baseline's own figures: P50 0.421, P95 2.709, P99 8.535 ms.
const latency = (p50Ms: number, p95Ms: number, p99Ms: number) => ({ count: 13_000, meanMs: 1, p50Ms, p95Ms, p99Ms, maxMs: 40 });

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

test("P99 20 % worse than the baseline: the gate fails, HIGH latency, measured the worst change", () => {
  const { gate, comparison } = judgeBaseline(baseline(), latency(0.43, 2.8, 10.242));
  assert.equal([gate.id, gate.category, gate.severity, gate.status, gate.measured, gate.unit, gate.comparator, gate.threshold], ["baseline_regression", "latency", "HIGH", "fail", 20, "%", "<=", 10]);
  assert.match(gate.detail, /P99 8\.54 → 10\.24 ms \(\+20 %\) against run 20261201-123637-decision-flood-1f4f/);
  assert.equal(comparison.deltas.map((d) => [d.percentile, d.worse]), [["p50", false], ["p95", false], ["p99", true]]);
  assert.equal([comparison.runId, comparison.dir, comparison.tolerancePct, comparison.minChangeMs, comparison.worstPct], ["20261201-123637-decision-flood-1f4f", A, 10, 0.5, 20]);
});

test("within the tolerance, or worse by less than 0.5 ms: the gate passes", () => {
  const within = judgeBaseline(baseline(), latency(0.421, 2.709, 9.3));
  assert.equal([within.gate.status, within.gate.measured], ["pass", 8.96]);
  // P50 0.421 → 0.8 ms is +90 %, but 0.38 ms: noise on a shared machine, counted as 0.
  const tiny = judgeBaseline(baseline(), latency(0.8, 2.709, 8.535));
  assert.equal([tiny.gate.status, tiny.gate.measured, tiny.comparison.deltas[0]!.deltaPct], ["pass", 0, 90.02]);
  const better = judgeBaseline(baseline(), latency(0.3, 1.5, 4));
  assert.equal([better.gate.status, better.gate.measured], ["pass", 0], "improvements under 0.5 ms count 0; the worst change is P50's");
  assert.is(judgeBaseline(baseline(25), latency(0.43, 2.8, 10.242)).gate.status, "pass", "--baseline-tolerance 25");
});

test("no latency measured in this run: no data, never a pass", () => {
  const { gate, comparison } = judgeBaseline(baseline(), undefined);
  assert.equal([gate.status, gate.measured, comparison.worstPct, comparison.deltas], ["no-data", null, null, []]);
});

test("the gate counts in the verdict and results.baseline is part of results.json's schema", () => {
  const results = readResults(A);
  const { gate, comparison } = judgeBaseline(baseline(), latency(0.43, 2.8, 10.242));
  const gates = [...results.gates, gate];
  assert.equal([verdictOf(gates), goNoGo(gates)], ["fail", "GO WITH CONDITIONS"]);
  const written = ResultsSchema.parse(JSON.parse(JSON.stringify({ ...results, gates, baseline: comparison })));
  assert.equal(written.baseline, comparison);
  assert.not.ok(ResultsSchema.safeParse({ ...results, baseline: { ...comparison, worstPct: "high" } }).success);
});

test("a baseline of another scenario, or one without latency figures, is refused before anything starts", () => {
  fails(() => checkBaseline(baseline(), "order-burst"), "GAUNTLET_USAGE", [`--baseline ${A} is a decision-flood run and this run is order-burst`]);
  const { k6: _k6, ...unmeasured } = readResults(A);
  fails(() => checkBaseline({ dir: A, results: { ...unmeasured, verdict: "could-not-judge" }, tolerancePct: 10 }, "decision-flood"), "GAUNTLET_USAGE", [`--baseline ${A} has no latency figures`, "could-not-judge"]);
  checkBaseline(baseline(), "decision-flood");
});

test("the --baseline flag: resolved, read and checked (a missing run names the path; another scenario names both)", () => {
  assert.is(baselineFromFlags("decision-flood", {}), undefined);
  const found = baselineFromFlags("decision-flood", { baseline: A, baselineTolerance: 15 })!;
  assert.equal([found.dir, found.results.runId, found.tolerancePct], [A, "20261201-123637-decision-flood-1f4f", 15]);
  assert.is(baselineFromFlags("decision-flood", { baseline: A })!.tolerancePct, 10);
  fails(() => baselineFromFlags("decision-flood", { baseline: join(FIXTURES, "absent") }), "GAUNTLET_USAGE", [join(FIXTURES, "absent")]);
  fails(() => baselineFromFlags("order-burst", { baseline: A }), "GAUNTLET_USAGE", ["decision-flood run", "this run is order-burst"]);
  fails(() => baselineFromFlags("order-burst", { baseline: join(FIXTURES, "bad-gate.fails") }), "GAUNTLET_CONFIG_INVALID", ["bad-gate.fails/results.json: gates.0.status"]);
});

test.run();
