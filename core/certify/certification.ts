// A certification: the core suite — decision flood, flash crash, broker failure, hard kill, order
// burst, state faults, each followed by the integrity check — N times in a row against one target,
// reset between runs (one session of services for all of them, or one per lane when light
// scenarios run side by side). It stops at the first run that is not a pass unless told to keep
// going, and decides by the Go/No-Go matrix of REQUIREMENTS.md: a failed CRITICAL gate, a
// hard-limit breach or a run that could not be judged blocks; a failed HIGH gate proceeds with the
// named action; MEDIUM is advisory. Scenarios that do not apply to the target are listed as not
// covered.
import type { GateResult } from "../gates/gate.ts";
import { log } from "../log.ts";
import type { Reporter } from "../orchestrator/run-results.ts";
import { runScenario, type RunOutcome } from "../orchestrator/run-scenario.ts";
import { openRunSession, type RunSession } from "../orchestrator/run-session.ts";
import { GauntletError } from "../errors.ts";
import type { Registry } from "../plugins/registry.ts";
import { build } from "../provenance.ts";
import { withRunScope } from "../run-scope.ts";
import type { Certification, CertificationRun, GateDistribution } from "./certification-schema.ts";

/**
 * The core suite, in the order it runs. The order burst goes first: a few seconds that give a
 * fresh session's services their first use (PostgreSQL's catalog and relation files, the venue's
 * JIT) before any latency is measured — a decision flood first in a fresh session was seen at a
 * P99 of 19 ms where it measures 8–10 ms once the services have been used.
 */
export const CORE_SUITE = ["order-burst", "decision-flood", "flash-crash", "broker-failure", "hard-kill", "state-faults"] as const;

/** What a failed HIGH gate of each category asks of the committee before paper trading (REQUIREMENTS.md). */
export const CONDITION: Record<GateResult["category"], string> = {
  recovery: "proceed with monitoring of recovery times",
  integrity: "proceed with daily reconciliation",
  latency: "proceed with latency monitoring (P99 alert at 20 ms)",
  stability: "proceed with monitoring of memory and latency drift",
  pipeline: "proceed with monitoring of the metrics pipeline",
  load: "proceed with monitoring of errors and dropped decisions",
  safety: "proceed only after review of the safety finding",
};

export interface CertifyOptions {
  registry: Registry;
  target: string;
  targetOptions?: Record<string, unknown>;
  allowHosts?: string[];
  runs: number;
  profile: string;
  keepGoing: boolean;
  /** Seeded bugs of the sandbox, to see a certification fail. */
  seededFaults?: string[];
  metricsPort: number;
  reporters?: readonly Reporter[];
  scenarios?: readonly string[];
  /**
   * How many runs of a pass may run side by side, each on its own services and its own instance of
   * the target (1: one after the other). A scenario whose load takes a core still runs alone.
   */
  lanes?: number;
  /** One line per finished run (progress on long work). */
  onRun?(run: CertificationRun, index: number, total: number): void;
}

function runOf(outcome: RunOutcome, iteration: number): CertificationRun {
  const { results } = outcome;
  return {
    iteration,
    scenario: results.scenario,
    profile: results.profile,
    runId: results.runId,
    runDir: outcome.runDir,
    verdict: results.verdict,
    goNoGo: results.goNoGo,
    exitCode: results.exitCode,
    breaches: results.gates.filter((gate) => gate.id === "limit_breaches").reduce((sum, gate) => sum + (gate.measured ?? 0), 0),
    failed: results.gates.filter((gate) => gate.status === "fail").map((gate) => ({ id: gate.id, severity: gate.severity, category: gate.category })),
    notApplicable: results.gates.filter((gate) => gate.status === "not-applicable").map((gate) => gate.id),
    error: results.error?.code,
    ...hostOf(results.extra["host"]),
  };
}

/** A run's host load, kept so that a committee reading a failed latency gate sees the machine it ran on. */
function hostOf(host: unknown): Pick<CertificationRun, "host"> {
  const { busyMeanPct, stealPct } = (host ?? {}) as { busyMeanPct?: unknown; stealPct?: unknown };
  return typeof busyMeanPct === "number" && typeof stealPct === "number" ? { host: { busyMeanPct, stealPct } } : {};
}

/** A run counts toward the streak when nothing blocks: no CRITICAL failure, no breach, judged (or not applicable as a whole). */
function passes(run: CertificationRun): boolean {
  if (run.verdict === "not-applicable") return true;
  return run.verdict !== "could-not-judge" && run.breaches === 0 && !run.failed.some((gate) => gate.severity === "CRITICAL");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Per scenario and gate, across runs: min, median, max, and how far the worst run stayed from the threshold. */
export function distributions(gatesByRun: ReadonlyArray<{ scenario: string; gates: readonly GateResult[] }>): GateDistribution[] {
  const by = new Map<string, { scenario: string; gate: GateResult; values: number[]; statuses: Record<string, number> }>();
  for (const { scenario, gates } of gatesByRun) {
    for (const gate of gates) {
      const key = `${scenario}/${gate.id}`;
      const entry = by.get(key) ?? { scenario, gate, values: [], statuses: {} };
      if (gate.measured !== null) entry.values.push(gate.measured);
      entry.statuses[gate.status] = (entry.statuses[gate.status] ?? 0) + 1;
      by.set(key, entry);
    }
  }
  return [...by.values()].map(({ scenario, gate, values, statuses }) => {
    const lowerIsBetter = gate.comparator === "<=" || gate.comparator === "<" || gate.comparator === "==";
    const worst = values.length ? (lowerIsBetter ? Math.max(...values) : Math.min(...values)) : null;
    return {
      scenario,
      gate: gate.id,
      title: gate.title,
      severity: gate.severity,
      category: gate.category,
      unit: gate.unit,
      comparator: gate.comparator,
      threshold: gate.threshold,
      runs: values.length,
      statuses,
      min: values.length ? Math.min(...values) : null,
      median: values.length ? median(values) : null,
      max: values.length ? Math.max(...values) : null,
      // Positive: room left to the threshold in the worst run; negative: how far it was crossed.
      margin: worst === null ? null : lowerIsBetter ? gate.threshold - worst : worst - gate.threshold,
    };
  });
}

/**
 * One pass of the suite as batches run one after the other; the scenarios of a batch run side by
 * side. A scenario whose load takes a core (`runsAlone`) is a batch of its own, and the lighter ones
 * before it go first, in their order: the order burst still gives the first lane's services their
 * first use before the flood, and the lighter scenarios after it share batches of up to `lanes`.
 */
export function planPass(scenarios: readonly string[], lanes: number, runsAlone: (scenario: string) => boolean): string[][] {
  const batches: string[][] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) batches.push(pending);
    pending = [];
  };
  for (const scenario of scenarios) {
    if (lanes === 1 || runsAlone(scenario)) {
      flush();
      batches.push([scenario]);
      continue;
    }
    pending.push(scenario);
    if (pending.length === lanes) flush();
  }
  flush();
  return batches;
}

export async function certify(options: CertifyOptions): Promise<{ certification: Certification; runs: RunOutcome[] }> {
  const scenarios = options.scenarios ?? CORE_SUITE;
  const lanes = options.lanes ?? 1;
  if (lanes > 1 && (options.registry.target(options.target).marketPorts || options.targetOptions?.["port"] !== undefined)) {
    throw new GauntletError("GAUNTLET_USAGE", `--lanes ${lanes} needs a target Gauntlet starts for every run on free ports (the sandbox, or --target-cmd without a fixed port); a governor at a URL or on a fixed port is one instance`);
  }
  const batches = planPass(scenarios, lanes, (scenario) => options.registry.scenario(scenario).scenario.runsAlone === true);
  const startedAt = new Date().toISOString();
  const session = await openRunSession({ registry: options.registry, target: options.target, targetOptions: options.targetOptions, label: "certify" });
  // Lane k > 0 has services of its own, opened once and reset between runs like the first.
  const sessions: RunSession[] = [session];
  const outcomes: RunOutcome[] = [];
  const runs: CertificationRun[] = [];
  let streak = 0;
  let stoppedAt: CertificationRun | undefined;
  const total = options.runs * scenarios.length;
  let finished = 0;
  const runOne = async (scenario: string, iteration: number, lane: number): Promise<{ run: CertificationRun; outcome: RunOutcome }> => {
    const { scenario: definition } = options.registry.scenario(scenario);
    const outcome = await runScenario({
      registry: options.registry,
      scenario,
      profile: definition.profiles.includes(options.profile) ? options.profile : definition.defaultProfile,
      target: options.target,
      targetOptions: options.targetOptions,
      allowHosts: options.allowHosts,
      seededFaults: options.seededFaults,
      metricsPort: options.metricsPort === 0 ? 0 : options.metricsPort + lane,
      reporters: options.reporters,
      session: sessions[lane]!,
    });
    const run = runOf(outcome, iteration);
    options.onRun?.(run, ++finished, total);
    return { run, outcome };
  };
  try {
    for (let lane = 1; lane < Math.min(lanes, Math.max(...batches.map((batch) => batch.length))); lane++) {
      sessions.push(await openRunSession({ registry: options.registry, target: options.target, targetOptions: options.targetOptions, label: `certify-lane${lane + 1}` }));
    }
    suite: for (let iteration = 1; iteration <= options.runs; iteration++) {
      let iterationPasses = true;
      for (const batch of batches) {
        // Every run of a batch ends before an error is raised: none is left running.
        const settled = await Promise.allSettled(
          batch.map((scenario, lane) => (batch.length > 1 ? withRunScope(() => runOne(scenario, iteration, lane), { logPrefix: `[lane ${lane + 1}] ` }) : runOne(scenario, iteration, lane))),
        );
        // Recorded in the suite's order, whichever run of the batch ended first.
        const done = settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
        outcomes.push(...done.map(({ outcome }) => outcome));
        runs.push(...done.map(({ run }) => run));
        const thrown = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
        if (thrown) throw thrown.reason;
        const failed = done.flatMap(({ run }) => (passes(run) ? [] : [run]));
        if (failed.length) {
          iterationPasses = false;
          stoppedAt ??= failed[0];
          if (!options.keepGoing) break suite;
        }
      }
      if (iterationPasses && !stoppedAt) streak = iteration;
    }
  } finally {
    await Promise.all(sessions.map((open) => open.close()));
  }

  const breaches = runs.reduce((sum, run) => sum + run.breaches, 0);
  const blocked = runs.filter((run) => !passes(run));
  const conditions = [...new Set(runs.flatMap((run) => run.failed.filter((gate) => gate.severity === "HIGH").map((gate) => `${gate.id}: ${CONDITION[gate.category]}`)))];
  const advisories = [...new Set(runs.flatMap((run) => run.failed.filter((gate) => gate.severity === "MEDIUM").map((gate) => gate.id)))];
  const complete = streak === options.runs;
  const verdict = blocked.length > 0 || breaches > 0 || !complete ? "NOT CERTIFIED" : conditions.length > 0 ? "CERTIFIED WITH CONDITIONS" : "CERTIFIED";
  const notCovered = [...new Set(runs.flatMap((run) => (run.verdict === "not-applicable" ? [`${run.scenario} (the whole scenario)`] : run.notApplicable.map((id) => `${run.scenario}/${id}`))))];
  const certification: Certification = {
    schemaVersion: 1,
    id: session.id,
    gauntlet: build(),
    target: { name: options.target, options: options.targetOptions ?? {}, seededFaults: options.seededFaults ?? [] },
    profile: options.profile,
    requestedRuns: options.runs,
    suite: [...scenarios],
    lanes,
    startedAt,
    endedAt: new Date().toISOString(),
    verdict,
    exitCode: verdict === "NOT CERTIFIED" ? (blocked.some((run) => run.verdict === "could-not-judge") && !blocked.some((run) => run.verdict === "fail") ? 2 : 1) : 0,
    streak,
    breaches,
    stoppedAt: stoppedAt ? { iteration: stoppedAt.iteration, scenario: stoppedAt.scenario, runId: stoppedAt.runId, why: describeStop(stoppedAt) } : undefined,
    conditions,
    advisories,
    notCovered,
    runs,
    gates: distributions(outcomes.map((outcome) => ({ scenario: outcome.results.scenario, gates: outcome.results.gates }))),
    selftest: undefined,
  };
  log.debug(`certification ${certification.id}: ${verdict}`);
  return { certification, runs: outcomes };
}

/** Why a certification stopped at this run, in one line (certification.json's stoppedAt.why). */
export function describeStop(run: CertificationRun): string {
  if (run.verdict === "could-not-judge") return `could not be judged (${run.error ?? "not enough evidence"})`;
  const critical = run.failed.filter((gate) => gate.severity === "CRITICAL").map((gate) => gate.id);
  if (run.breaches > 0) return `${run.breaches} hard-limit breach(es)${critical.length ? `; CRITICAL gates failed: ${critical.join(", ")}` : ""}`;
  // A latency gate measures the machine too: say how busy it was.
  const machine = run.host && run.failed.some((gate) => gate.category === "latency") ? ` (the machine during its load: ${run.host.busyMeanPct} % busy, ${run.host.stealPct} % taken by the hypervisor)` : "";
  return `CRITICAL gates failed: ${critical.join(", ")}${machine}`;
}
