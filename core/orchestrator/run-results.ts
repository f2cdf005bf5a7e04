// Turning a finished run into results.json and the reports next to it.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AnalyzedFile } from "../analysis/k6-output-stream.ts";
import type { GateResult } from "../gates/gate.ts";
import type { GoNoGo, RunVerdict } from "../gates/verdict.ts";
import type { Evidence } from "../plugins/contracts.ts";
import type { Series } from "../samplers/series.ts";
import { ResultsSchema, type Results, type ResultsSeries } from "../results/results-schema.ts";
import { writeHtmlReport } from "../../reports/html-report.ts";
import { junitReport } from "../../reports/junit-report.ts";
import { markdownSummary } from "../../reports/markdown-summary.ts";

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
  faults: string[];
  startedAt: string;
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
  plan: Record<string, unknown> | undefined;
  extra?: Record<string, unknown>;
}): Results {
  const digest = input.analyzed?.digest;
  const latency = digest?.latency.summary();
  const results: Results = {
    schemaVersion: 1,
    runId: input.runId,
    scenario: input.scenario,
    profile: input.profile,
    target: input.target,
    faults: input.faults,
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
    windows: (digest?.windowSummaries() ?? []).map((w) => ({ ...w, p50Ms: finite(w.p50Ms), p95Ms: finite(w.p95Ms), p99Ms: finite(w.p99Ms) })),
    series: input.evidence
      ? [...Object.values(input.evidence.series), ...(input.scenarioSeries ?? [])]
          .filter((series) => series !== undefined)
          .map((series) => downsample(series, input.evidence!.driveStartMs))
      : [],
    tools: input.tools,
    plan: input.plan,
    extra: input.extra ?? {},
  };
  return ResultsSchema.parse(results);
}

export function writeReports(dir: string, results: Results): void {
  writeFileSync(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "junit.xml"), junitReport(results));
  writeFileSync(join(dir, "summary.md"), markdownSummary(results));
  writeHtmlReport(join(dir, "report.html"), results);
}
