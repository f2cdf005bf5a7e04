// Turning a finished run into results.json, and handing it to the report writers the caller
// chose (as k6 treats its outputs: core knows the interface, not the writers).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordHistory, runEntry } from "../history/history-file.ts";
import type { AnalyzedFile } from "../analysis/k6-output-stream.ts";
import type { GateResult } from "../gates/gate.ts";
import type { GoNoGo, RunVerdict } from "../gates/verdict.ts";
import type { Evidence } from "../plugins/contracts.ts";
import type { Series } from "../samplers/series.ts";
import type { FaultRecord } from "../faults/fault-log.ts";
import type { K6Plan } from "../plugins/contracts.ts";
import { build } from "../provenance.ts";
import { RESULTS_SCHEMA_VERSION, ResultsSchema, type BaselineComparison, type Results, type ResultsSeries } from "../results/results-schema.ts";

/** Writes one file of a finished run's folder from its results (report.html, junit.xml, …). */
export interface Reporter {
  /** The file it writes in the run folder, for the message that lists them. */
  file: string;
  write(dir: string, results: Results): void;
}

const MAX_POINTS = 600;

/** Keep charts light: at most MAX_POINTS per series, evenly spaced. */
function downsample(series: { name: string; unit: string; t: number[]; v: number[] }, originMs: number): ResultsSeries {
  const step = Math.max(1, Math.ceil(series.t.length / MAX_POINTS));
  const t: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < series.t.length; i += step) {
    t.push(Math.round((series.t[i]! - originMs) / 10) / 100);
    v.push(series.v[i]!);
  }
  return { name: series.name, unit: series.unit, t, v };
}

const finite = (value: number) => (Number.isFinite(value) ? value : null);

export function buildResults(input: {
  runId: string;
  scenario: string;
  profile: string;
  target: { name: string; baseUrl: string };
  seededFaults: string[];
  faultTimeline: readonly FaultRecord[];
  startedAt: string;
  /** Ctrl-C (or SIGTERM) ended it: the gates judged what was measured; the verdict cannot be a pass. */
  interrupted?: boolean;
  verdict: RunVerdict;
  goNoGo: GoNoGo;
  exitCode: 0 | 1 | 2;
  error: { code: string; message: string; hint?: string } | undefined;
  gates: GateResult[];
  analyzed: AnalyzedFile | undefined;
  k6ExitCode: number;
  evidence: Evidence | undefined;
  /** Series a scenario's judgement returned (wall-clock ms). */
  scenarioSeries?: Series[];
  notes?: string[];
  tools: Record<string, string>;
  plan: K6Plan | undefined;
  extra?: Record<string, unknown>;
  /** The latency against a baseline run (`--baseline`). */
  baseline?: BaselineComparison;
}): Results {
  const digest = input.analyzed?.digest;
  const latency = digest?.latency.summary();
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: input.runId,
    gauntlet: build(),
    scenario: input.scenario,
    profile: input.profile,
    target: input.target,
    seededFaults: input.seededFaults,
    faultTimeline: input.faultTimeline.map((record) => ({ ...record, toxics: [...record.toxics] })),
    driveStartedAt: input.evidence?.driveStartMs,
    measuredStartedAt: digest && Number.isFinite(digest.firstMs) ? digest.firstMs : undefined,
    interrupted: input.interrupted ?? false,
    startedAt: input.startedAt,
    endedAt: new Date().toISOString(),
    verdict: input.verdict,
    goNoGo: input.goNoGo,
    exitCode: input.exitCode,
    error: input.error,
    gates: input.gates,
    notes: input.notes ?? [],
    // Without a single judged request there are no latency figures to report (NaN is not JSON).
    k6:
      digest && latency && input.analyzed && digest.requests > 0
        ? {
            exitCode: input.k6ExitCode,
            requests: digest.requests,
            failed: digest.failed,
            dropped: digest.dropped,
            checksFailed: digest.checksFailed,
            durationSeconds: digest.durationSeconds,
            latencyMs: latency,
            outputLines: input.analyzed.stats.lines,
            outputBytes: input.analyzed.stats.bytes,
          }
        : undefined,
    baseline: input.baseline,
    windows: (digest?.windowSummaries() ?? []).map((w) => ({ ...w, p50Ms: finite(w.p50Ms), p95Ms: finite(w.p95Ms), p99Ms: finite(w.p99Ms) })),
    series: input.evidence
      ? [...Object.values(input.evidence.series), ...(input.scenarioSeries ?? [])]
          .filter((series) => series !== undefined)
          .map((series) => downsample(series, input.evidence!.driveStartMs))
      : [],
    tools: input.tools,
    plan: input.plan as Record<string, unknown> | undefined,
    extra: input.extra ?? {},
  };
  return ResultsSchema.parse(results);
}

/** results.json, its line in the runs history, then every reporter's file. */
export function writeResults(dir: string, results: Results, reporters: readonly Reporter[]): void {
  writeFileSync(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  recordHistory(runEntry(results, dir));
  for (const reporter of reporters) reporter.write(dir, results);
}
