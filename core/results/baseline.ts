// `gauntlet run --baseline <run>`: this run's latency percentiles (P50, P95, P99 of every judged
// request, results.k6.latencyMs) against an earlier run of the same scenario. The worst worsening
// becomes one more gate, baseline_regression, so it shows in every report and in the verdict; the
// figures go to results.baseline.
import { GauntletError } from "../errors.ts";
import { formatNumber as n, gateSpec, judge, type GateResult } from "../gates/gate.ts";
import { latencyChange, MIN_LATENCY_CHANGE_MS } from "./compare-results.ts";
import type { BaselineComparison, Results } from "./results-schema.ts";

export interface Baseline {
  /** The baseline's run folder. */
  dir: string;
  results: Results;
  /** How much worse (%) a percentile may get before the gate fails. */
  tolerancePct: number;
}

type LatencySummary = NonNullable<Results["k6"]>["latencyMs"];

const PERCENTILES = ["p50", "p95", "p99"] as const;

/** Before anything starts: the baseline is a run of this scenario, and it measured a latency. */
export function checkBaseline(baseline: Baseline, scenario: string): void {
  const { results, dir } = baseline;
  if (results.scenario !== scenario) {
    throw new GauntletError("GAUNTLET_USAGE", `--baseline ${dir} is a ${results.scenario} run and this run is ${scenario}: a baseline must be a run of the same scenario`, {
      hint: `Pass a ${scenario} run (a run folder, its id, latest or latest~N), or run ${results.scenario}.`,
    });
  }
  if (!results.k6) {
    throw new GauntletError("GAUNTLET_USAGE", `--baseline ${dir} has no latency figures (that run ended ${results.verdict}${results.error ? `, ${results.error.code}` : ""})`, {
      hint: "Pass a run that measured its load (results.json has k6.latencyMs).",
    });
  }
}

/** The baseline_regression gate and what results.baseline records. */
export function judgeBaseline(baseline: Baseline, current: LatencySummary | undefined): { gate: GateResult; comparison: BaselineComparison } {
  const { results, tolerancePct } = baseline;
  const spec = gateSpec("baseline_regression", "Latency percentiles vs the baseline run", "latency", "HIGH", "%", "<=", tolerancePct);
  const before = results.k6?.latencyMs;
  const deltas =
    before && current
      ? PERCENTILES.map((percentile) => {
          const key = `${percentile}Ms` as const;
          const change = latencyChange(before[key], current[key], tolerancePct);
          return { percentile, baselineMs: before[key], measuredMs: current[key], deltaMs: change.deltaMs, deltaPct: change.deltaPct, countedPct: change.countedPct, worse: change.worse };
        })
      : [];
  const worstPct = deltas.length ? Math.max(...deltas.map((delta) => delta.countedPct)) : null;
  const comparison: BaselineComparison = {
    runId: results.runId,
    dir: baseline.dir,
    tolerancePct,
    minChangeMs: MIN_LATENCY_CHANGE_MS,
    worstPct,
    deltas: deltas.map(({ countedPct: _counted, ...delta }) => delta),
  };
  const figures = deltas.map((d) => `${d.percentile.toUpperCase()} ${n(d.baselineMs)} → ${n(d.measuredMs)} ms (${d.deltaPct === null ? "—" : `${d.deltaPct > 0 ? "+" : ""}${n(d.deltaPct)} %`})`);
  const detail = deltas.length
    ? `${figures.join(", ")} against run ${results.runId}; the worst change counts, changes under ${MIN_LATENCY_CHANGE_MS} ms count as 0`
    : "no latency measured in this run to compare with the baseline";
  return { gate: judge(spec, worstPct ?? undefined, detail), comparison };
}
