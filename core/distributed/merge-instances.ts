// One verdict over N k6 instances, exact: every instance's output is read into its own digest (the
// per-instance breakdown) and, once more, into one digest shared by all (the merged one), whose
// histograms hold every sample of every instance, so its percentiles are those of the concatenated
// raw samples (within the histogram's stated precision), never an average of percentiles. An
// instance whose output is missing, cut off, or holds fewer requests than its own k6 summary
// counted makes the whole "could not judge": a fleet's P99 without one of its parts is not its P99.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { analyzeK6File } from "../analysis/k6-output-stream.ts";
import { RunDigest } from "../analysis/run-digest.ts";
import type { LatencyHistogram } from "../analysis/latency-histogram.ts";
import { asGauntletError } from "../errors.ts";

/** k6's own figures for the judged scenario, from one instance's --summary-export. */
export interface K6SummaryFigures {
  requests: number;
  avgMs: number;
  medMs: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

type LatencySummary = ReturnType<LatencyHistogram["summary"]>;

export interface InstanceBreakdown {
  dir: string;
  /** The folder's name: a local instance's number, or a runner pod's name off a cluster. */
  instance: string;
  output?: string;
  requests: number;
  failed: number;
  dropped: number;
  latency?: LatencySummary;
  k6?: K6SummaryFigures;
  /** Why this instance cannot be counted (missing, truncated, fewer samples than k6 counted). */
  problem?: string;
}

export interface MergedInstances {
  digest: RunDigest;
  instances: InstanceBreakdown[];
  problems: string[];
  /** k6's own summaries combined where that is exact (counts, extremes, the weighted mean); percentiles cannot be. */
  k6Combined?: { requests: number; avgMs: number; maxMs: number; p99RangeMs: [number, number] };
}

const OUTPUT_NAMES = ["k6-output.csv", "k6-output.csv.gz", "k6-output.json", "k6-output.json.gz"];

function outputIn(dir: string): string | undefined {
  const named = OUTPUT_NAMES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (named) return named;
  // A runner folder off a cluster may hold one output under another name.
  const found = existsSync(dir) ? readdirSync(dir).filter((name) => /\.(csv|json)(\.gz)?$/.test(name) && name !== "k6-summary.json") : [];
  return found.length === 1 ? join(dir, found[0]!) : undefined;
}

export function readK6Summary(path: string, scenario: string): K6SummaryFigures | undefined {
  if (!existsSync(path)) return undefined;
  const metrics = (JSON.parse(readFileSync(path, "utf8")) as { metrics?: Record<string, Record<string, number>> }).metrics ?? {};
  const trend = metrics[`http_req_duration{scenario:${scenario}}`];
  if (!trend) return undefined;
  return { requests: trend.count ?? Number.NaN, avgMs: trend.avg!, medMs: trend.med!, p95Ms: trend["p(95)"]!, p99Ms: trend["p(99)"]!, maxMs: trend.max! };
}

export async function mergeInstances(dirs: readonly string[], scenario: string): Promise<MergedInstances> {
  const instances: InstanceBreakdown[] = [];
  /** Each instance's first sample: the merged digest's windows start at the earliest. */
  const firstSamples: number[] = [];
  for (const [index, dir] of dirs.entries()) {
    const output = outputIn(dir);
    const k6 = readK6Summary(join(dir, "k6-summary.json"), scenario);
    const entry: InstanceBreakdown = { dir, instance: basename(resolve(dir)) || String(index + 1), output, requests: 0, failed: 0, dropped: 0, k6 };
    instances.push(entry);
    if (!output) {
      entry.problem = `${dir}: no k6 output (expected one of ${OUTPUT_NAMES.join(", ")})`;
      continue;
    }
    try {
      const { digest } = await analyzeK6File(output, scenario);
      Object.assign(entry, { requests: digest.requests, failed: digest.failed, dropped: digest.dropped, latency: digest.requests ? digest.latency.summary() : undefined });
      if (Number.isFinite(digest.firstMs)) firstSamples.push(digest.firstMs);
      if (!k6) entry.problem = `${dir}: no k6 summary for scenario "${scenario}" (k6-summary.json): k6 did not finish, so its output may be incomplete`;
      else if (k6.requests !== digest.requests) entry.problem = `${output}: ${digest.requests} requests of "${scenario}" in the output, ${k6.requests} in k6's own summary: the output is incomplete`;
    } catch (error) {
      entry.problem = asGauntletError(error)?.message ?? String(error);
    }
  }
  const problems = instances.flatMap((entry) => (entry.problem ? [entry.problem] : []));
  const seen = new Set<string>();
  for (const entry of instances) {
    if (seen.has(resolve(entry.dir))) problems.push(`${entry.dir} is given twice: its samples would count double`);
    seen.add(resolve(entry.dir));
  }
  // The merged digest starts at the earliest first sample of all, so each sample keeps its own second.
  const digest = new RunDigest(scenario, firstSamples.length ? Math.min(...firstSamples) : Number.NaN);
  if (problems.length === 0) for (const entry of instances) await analyzeK6File(entry.output!, scenario, digest);
  const summaries = instances.map((entry) => entry.k6).filter((k6): k6 is K6SummaryFigures => k6 !== undefined);
  const requests = summaries.reduce((sum, k6) => sum + k6.requests, 0);
  const k6Combined = summaries.length === instances.length && requests > 0
    ? {
        requests,
        avgMs: summaries.reduce((sum, k6) => sum + k6.avgMs * k6.requests, 0) / requests,
        maxMs: Math.max(...summaries.map((k6) => k6.maxMs)),
        p99RangeMs: [Math.min(...summaries.map((k6) => k6.p99Ms)), Math.max(...summaries.map((k6) => k6.p99Ms))] as [number, number],
      }
    : undefined;
  return { digest, instances, problems, k6Combined };
}
