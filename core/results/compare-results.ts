// Two runs of one scenario side by side (`gauntlet compare`): per gate, each run's status and
// measure and the change between them — a regression when a gate that passed now fails, or when a
// latency percentile got worse by more than the tolerance — and the differences of plan that may
// explain a change (profile, rate, target, seeded faults, the Gauntlet build).
import { GauntletError } from "../errors.ts";
import { formatNumber as n, type Comparator, type GateCategory, type GateStatus, type Severity } from "../gates/gate.ts";
import { describeBuild, type Build } from "../provenance.ts";
import type { Results } from "./results-schema.ts";

export const DEFAULT_TOLERANCE_PCT = 10;
/** A latency change smaller than this is noise on a shared machine, whatever its percentage (the degradation gate's rule). */
export const MIN_LATENCY_CHANGE_MS = 0.5;

export interface LatencyChange {
  deltaMs: number;
  /** null when the earlier figure is 0. */
  deltaPct: number | null;
  /** The change as it counts: 0 when under MIN_LATENCY_CHANGE_MS. */
  countedPct: number;
  /** Worse by more than the tolerance (and by at least MIN_LATENCY_CHANGE_MS). */
  worse: boolean;
}

/** The one rule for "this latency got worse", shared by `compare` and `run --baseline`. */
export function latencyChange(beforeMs: number, afterMs: number, tolerancePct: number): LatencyChange {
  const deltaMs = afterMs - beforeMs;
  const deltaPct = beforeMs > 0 ? (deltaMs / beforeMs) * 100 : null;
  const countedPct = deltaPct === null || Math.abs(deltaMs) < MIN_LATENCY_CHANGE_MS ? 0 : deltaPct;
  return { deltaMs: round(deltaMs, 3), deltaPct: deltaPct === null ? null : round(deltaPct, 2), countedPct: round(countedPct, 2), worse: countedPct > tolerancePct };
}

export interface ComparedRun {
  runId: string;
  dir: string;
  profile: string;
  verdict: Results["verdict"];
  goNoGo: Results["goNoGo"];
  exitCode: number;
  gauntlet: Build;
}

export interface GateSide {
  status: GateStatus;
  measured: number | null;
  /** "∞" and the like, when measured is null for a reason. */
  measuredText?: string;
  comparator: Comparator;
  threshold: number;
}

export interface GateDelta {
  id: string;
  title: string;
  category: GateCategory;
  severity: Severity;
  unit: string;
  /** null: the gate is not in that run. */
  a: GateSide | null;
  b: GateSide | null;
  delta: number | null;
  deltaPct: number | null;
  regression: boolean;
  /** What changed, in words: "pass → fail", "worse by 264 %", "fixed", "only in B", "threshold 15 → 20". */
  flags: string[];
}

export interface PercentileDelta {
  percentile: "p50" | "p95" | "p99";
  aMs: number;
  bMs: number;
  deltaMs: number;
  deltaPct: number | null;
  regression: boolean;
}

export interface PlanDifference {
  field: string;
  a: string;
  b: string;
}

export interface Comparison {
  scenario: string;
  a: ComparedRun;
  b: ComparedRun;
  tolerancePct: number;
  minChangeMs: number;
  /** Only what differs. */
  plan: PlanDifference[];
  gates: GateDelta[];
  /** k6's latency over every judged request, when both runs measured one. */
  latency: PercentileDelta[];
  /** One line per regression, for the summary and for CI. */
  regressions: string[];
}

export interface LoadedRun {
  dir: string;
  results: Results;
}

const PERCENTILES = ["p50", "p95", "p99"] as const;
/** A gate measuring a latency percentile: latency_p99, latency_p99_crash, pipeline_latency_p99… */
export const isPercentileGate = (gate: { id: string; unit: string }) => gate.unit === "ms" && /(^|_)p\d{2,3}(_|$)/.test(gate.id);

export function compareResults(a: LoadedRun, b: LoadedRun, tolerancePct = DEFAULT_TOLERANCE_PCT): Comparison {
  if (a.results.scenario !== b.results.scenario) {
    throw new GauntletError("GAUNTLET_USAGE", `${a.dir} is a run of ${a.results.scenario} and ${b.dir} a run of ${b.results.scenario}: compare two runs of one scenario`, {
      hint: "Name two runs of the same scenario (results.json's scenario field).",
    });
  }
  const gates = gateDeltas(a.results, b.results, tolerancePct);
  const latency = percentileDeltas(a.results, b.results, tolerancePct);
  const unit = (u: string) => (u ? ` ${u}` : "");
  const regressions = [
    ...gates
      .filter((gate) => gate.regression)
      .map((gate) => `${gate.id}: ${gate.flags.filter((flag) => flag === "pass → fail" || flag.startsWith("worse")).join(", ")} (${show(gate.a)} → ${show(gate.b)}${unit(gate.unit)})`),
    ...latency.filter((row) => row.regression).map((row) => `k6 ${row.percentile.toUpperCase()}: worse by ${n(row.deltaPct ?? 0)} % (${n(row.aMs)} → ${n(row.bMs)} ms)`),
  ];
  return {
    scenario: a.results.scenario,
    a: side(a),
    b: side(b),
    tolerancePct,
    minChangeMs: MIN_LATENCY_CHANGE_MS,
    plan: planDifferences(a.results, b.results),
    gates,
    latency,
    regressions,
  };
}

function side({ dir, results }: LoadedRun): ComparedRun {
  return { runId: results.runId, dir, profile: results.profile, verdict: results.verdict, goNoGo: results.goNoGo, exitCode: results.exitCode, gauntlet: results.gauntlet };
}

const show = (gate: GateSide | null) => (gate === null ? "—" : gate.measured === null ? (gate.measuredText ?? "—") : n(gate.measured));

function gateDeltas(a: Results, b: Results, tolerancePct: number): GateDelta[] {
  const ids = [...new Set([...a.gates.map((gate) => gate.id), ...b.gates.map((gate) => gate.id)])];
  return ids.map((id) => {
    const ga = a.gates.find((gate) => gate.id === id);
    const gb = b.gates.find((gate) => gate.id === id);
    const spec = (gb ?? ga)!;
    const sideOf = (gate: typeof ga): GateSide | null =>
      gate ? { status: gate.status, measured: gate.measured, ...(gate.measuredText ? { measuredText: gate.measuredText } : {}), comparator: gate.comparator, threshold: gate.threshold } : null;
    const flags: string[] = [];
    let regression = false;
    let delta: number | null = null;
    let deltaPct: number | null = null;
    if (!ga) flags.push("only in B");
    if (!gb) flags.push("only in A");
    if (ga && gb) {
      if (ga.status === "pass" && gb.status === "fail") {
        flags.push("pass → fail");
        regression = true;
      } else if (ga.status === "fail" && gb.status === "pass") flags.push("fixed");
      if (ga.threshold !== gb.threshold) flags.push(`threshold ${ga.threshold} → ${gb.threshold}`);
      if (ga.measured !== null && gb.measured !== null) {
        delta = round(gb.measured - ga.measured, 6);
        deltaPct = ga.measured !== 0 ? round(((gb.measured - ga.measured) / Math.abs(ga.measured)) * 100, 2) : null;
        if (isPercentileGate(spec)) {
          const change = latencyChange(ga.measured, gb.measured, tolerancePct);
          if (change.worse) {
            flags.push(`worse by ${n(change.deltaPct ?? 0)} %`);
            regression = true;
          }
        }
      }
    }
    return { id, title: spec.title, category: spec.category, severity: spec.severity, unit: spec.unit, a: sideOf(ga), b: sideOf(gb), delta, deltaPct, regression, flags };
  });
}

function percentileDeltas(a: Results, b: Results, tolerancePct: number): PercentileDelta[] {
  if (!a.k6 || !b.k6) return [];
  const [la, lb] = [a.k6.latencyMs, b.k6.latencyMs];
  return PERCENTILES.map((percentile) => {
    const key = `${percentile}Ms` as const;
    const change = latencyChange(la[key], lb[key], tolerancePct);
    return { percentile, aMs: la[key], bMs: lb[key], deltaMs: change.deltaMs, deltaPct: change.deltaPct, regression: change.worse };
  });
}

/** Plan fields that differ in every run without meaning anything (ids, ports). */
const VOLATILE = /(^|\.)(runId|scenario|[A-Za-z]*Urls?)$/;

function planFacts(results: Results): Map<string, string> {
  const facts = new Map<string, string>([
    ["profile", results.profile],
    ["target", results.target.name],
    ["seeded faults", results.seededFaults.join(", ") || "none"],
    ["gauntlet build", describeBuild(results.gauntlet)],
  ]);
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    } else if (!VOLATILE.test(path)) {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      facts.set(`plan.${path}`, text.length > 48 ? `${text.slice(0, 47)}…` : text);
    }
  };
  walk(results.plan ?? {}, "");
  return facts;
}

function planDifferences(a: Results, b: Results): PlanDifference[] {
  const [fa, fb] = [planFacts(a), planFacts(b)];
  const fields = [...new Set([...fa.keys(), ...fb.keys()])];
  return fields.filter((field) => fa.get(field) !== fb.get(field)).map((field) => ({ field, a: fa.get(field) ?? "—", b: fb.get(field) ?? "—" }));
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
