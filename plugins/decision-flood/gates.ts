// decision-flood's gates, each computed from this run's measurements: k6's samples (latency,
// errors, drops, windows) and the samplers (Redis backlog, governor RSS, pipeline staleness).
import {
  formatNumber,
  fractionAtOrBelow,
  histogramDelta,
  histogramQuantile,
  judge,
  LatencyHistogram,
  linearFit,
  noData,
  notApplicable,
  type Capabilities,
  type Evidence,
  type GateResult,
  type GateSpec,
  type HistogramSnapshot,
  type RunDigest,
  type Series,
} from "../../core/index.ts";
import type { FloodConfig } from "./plan.ts";

const n = formatNumber;

export function latencyGates(digest: RunDigest, config: FloodConfig): GateResult[] {
  const t = config.thresholds;
  const specs: Array<[GateSpec, (h: LatencyHistogram) => number]> = [
    [{ id: "latency_p99", title: "Decision latency P99", category: "latency", severity: "CRITICAL", unit: "ms", comparator: "<=", threshold: t.p99Ms }, (h) => h.percentileMs(99)],
    [{ id: "latency_p95", title: "Decision latency P95 under normal load", category: "latency", severity: "HIGH", unit: "ms", comparator: "<=", threshold: t.p95Ms }, (h) => h.percentileMs(95)],
    [{ id: "latency_mean", title: "Decision latency mean under normal load", category: "latency", severity: "HIGH", unit: "ms", comparator: "<=", threshold: t.meanMs }, (h) => h.meanMs],
  ];
  const count = digest.latency.count;
  // Not a gate of its own (it could never fail): too few samples means no latency gate is judged.
  if (count < t.minSamples) {
    const why = `only ${n(count)} decisions were measured (at least ${n(t.minSamples)} are needed to judge)`;
    return specs.map(([spec]) => noData(spec, why));
  }
  const how = `k6 http_req_duration over all ${n(count)} decisions of the measured flood (≥ ${n(t.minSamples)} required), HDR histogram (±0.1%)`;
  return specs.map(([spec, measure]) => judge(spec, measure(digest.latency), how));
}

export function loadGates(digest: RunDigest, config: FloodConfig): GateResult[] {
  const t = config.thresholds;
  // Every request's answer is checked; only the failures leave a sample.
  const httpRate = digest.requests ? digest.failed / digest.requests : Number.NaN;
  const checkRate = digest.requests ? digest.checksFailed / digest.requests : 0;
  const errorRate = Math.max(httpRate, checkRate) * 100;
  const planned = digest.requests + digest.dropped;
  const droppedPct = planned ? (digest.dropped / planned) * 100 : Number.NaN;
  return [
    judge(
      { id: "error_rate", title: "Error rate", category: "load", severity: "HIGH", unit: "%", comparator: "<", threshold: t.maxErrorRate * 100 },
      digest.requests ? errorRate : undefined,
      `${n(digest.failed)} HTTP failures of ${n(digest.requests)} requests; ${n(digest.checksFailed)} answers failed the check (status 200 and the same id)`,
    ),
    judge(
      { id: "dropped_iterations", title: "Dropped iterations (open model)", category: "load", severity: "HIGH", unit: "%", comparator: "<=", threshold: t.maxDroppedRatio * 100 },
      planned ? droppedPct : undefined,
      `${n(digest.dropped)} of ${n(planned)} scheduled decisions could not start on time (k6 dropped_iterations)`,
    ),
  ];
}

/** P95 of the first window of the measured flood vs the last; small absolute changes are noise. */
export function degradationGate(digest: RunDigest, config: FloodConfig): GateResult {
  const t = config.thresholds;
  const spec: GateSpec = { id: "latency_degradation", title: "Latency degradation, first vs last window", category: "stability", severity: "HIGH", unit: "%", comparator: "<=", threshold: t.maxDegradationPct };
  const duration = digest.durationSeconds;
  const window = Math.min(60, Math.floor(duration / 4));
  if (window < 3) return noData(spec, `the run (${n(duration)} s) is too short to compare windows`);
  // Whole windows only: the flood's last request can land a few ms past its last full second, and a
  // window counted from it would hold that one straggler and lose a full second (1,994 samples, not
  // 3,000, were compared once on smoke).
  const whole = Math.floor(duration);
  const first = digest.histogramBetween(0, window);
  const last = digest.histogramBetween(whole - window, whole);
  if (first.totalCount < 100 || last.totalCount < 100) return noData(spec, "too few samples in the first or last window");
  const p95First = first.getValueAtPercentile(95) / 1000;
  const p95Last = last.getValueAtPercentile(95) / 1000;
  const change = p95Last - p95First;
  const floorMs = window < 60 ? t.shortWindowFloorMs : t.degradationFloorMs;
  const pct = Math.abs(change) < floorMs ? 0 : (change / p95First) * 100;
  return judge(
    spec,
    Math.max(0, pct),
    `P95 ${n(p95First)} ms in the first ${window} s (${n(first.totalCount)} samples) vs ${n(p95Last)} ms in the last ${window} s (${n(last.totalCount)}); changes under ${floorMs} ms count as 0${window < 60 ? " (windows under a minute)" : ""}`,
  );
}

function within(series: Series | undefined, fromMs: number, toMs: number): number[] {
  if (!series) return [];
  return series.v.filter((_, i) => series.t[i]! >= fromMs && series.t[i]! <= toMs);
}

export function backlogGates(evidence: Evidence, config: FloodConfig, capabilities: Capabilities): GateResult[] {
  const series = evidence.series["redis-backlog"];
  const maxSpec: GateSpec = { id: "redis_backlog_max", title: "Redis metrics backlog during the run", category: "pipeline", severity: "HIGH", unit: "events", comparator: "<=", threshold: config.thresholds.maxBacklog };
  const endSpec: GateSpec = { id: "redis_backlog_end", title: "Redis metrics backlog at the end", category: "pipeline", severity: "HIGH", unit: "events", comparator: "==", threshold: 0 };
  if (!capabilities.metricsPipeline?.backlog) {
    const why = "the target declares no metrics pipeline with a Redis backlog (capabilities.metricsPipeline.backlog)";
    return [notApplicable(maxSpec, why), notApplicable(endSpec, why)];
  }
  const values = within(series, evidence.driveStartMs, evidence.driveEndMs);
  if (!series || values.length < 10) {
    const why = series ? `only ${values.length} backlog samples` : "the target exposes no Redis event list to sample";
    return [noData(maxSpec, why), noData(endSpec, why)];
  }
  const max = Math.max(...values);
  return [
    judge(maxSpec, max, `LLEN of the event list sampled ${n(values.length)} times at 10 Hz during the drive; ${series.misses} misses`),
    judge(endSpec, evidence.after.redisBacklogEnd, "LLEN after the load stopped, once the exporter had up to 5 s to drain it"),
  ];
}

export function memoryGate(evidence: Evidence, digest: RunDigest, config: FloodConfig, capabilities: Capabilities): GateResult {
  const spec: GateSpec = { id: "memory_growth", title: "Governor memory growth over the steady state", category: "stability", severity: "HIGH", unit: "MB", comparator: "<=", threshold: config.thresholds.maxMemoryGrowthMb };
  if (!capabilities.processMetrics) return notApplicable(spec, "the target declares no process metrics (capabilities.processMetrics)");
  const series = evidence.series["target-rss"];
  if (!series) return noData(spec, "the declared process metrics were not sampled");
  // The steady state: the measured flood, after k6's warm-up ramp.
  const from = digest.firstMs;
  const to = digest.lastMs;
  const fit = linearFit(series, from, to);
  if (fit.n < 10 || Number.isNaN(fit.slope)) return noData(spec, `only ${fit.n} RSS samples in the steady state`);
  const growthMb = (fit.slope * (to - from)) / 1e6;
  return judge(
    spec,
    growthMb,
    `least-squares fit of ${fit.n} RSS samples (1 Hz) over the measured flood, after the warm-up: ${n((fit.slope * 60_000) / 1e6)} MB/min over ${n((to - from) / 1000)} s (50 MB is the red line)`,
  );
}

/**
 * Per decision, arrival → visible in a scrape, from the exporter's own latency histogram over the
 * measured flood (PromQL's histogram_quantile on the difference of two scrapes). Decisions k6 saw
 * answered that never reached the histogram count as infinitely late, so a stalled exporter fails
 * however good its histogram looks. Gauntlet's own staleness probe (the age of the newest visible
 * decision at each scrape, an upper bound) is reported beside it as a cross-check.
 */
export function pipelineGate(
  evidence: Evidence,
  digest: RunDigest,
  config: FloodConfig,
  window: { before: HistogramSnapshot | undefined; after: HistogramSnapshot | undefined },
  capabilities: Capabilities,
): GateResult {
  const spec: GateSpec = { id: "pipeline_latency_p99", title: "Pipeline latency P99, decision arrival → visible in a scrape", category: "pipeline", severity: "HIGH", unit: "ms", comparator: "<", threshold: config.thresholds.pipelineP99Ms };
  if (!capabilities.metricsPipeline) return notApplicable(spec, "the target declares no metrics pipeline (capabilities.metricsPipeline)");
  if (!window.after) return noData(spec, "the declared pipeline's latency histogram could not be scraped");
  if (!window.before) return noData(spec, "the exporter could not be scraped when the measured flood began");
  const delta = histogramDelta(window.before, window.after);
  // Only answered decisions produce a metrics event; failed requests are the error gate's business.
  const answered = digest.requests - digest.failed;
  const missing = Math.max(0, answered - delta.count);
  const p99 = histogramQuantile(0.99, delta, missing) * 1000;
  const staleness = within(evidence.series["pipeline-lag"], digest.firstMs + 1000, digest.lastMs - 250);
  let cross = "no staleness probe";
  if (staleness.length > 0) {
    const probe = new LatencyHistogram();
    for (const value of staleness) probe.record(value);
    cross = `staleness probe (${n(staleness.length)} scrapes at 20 Hz, age of the newest visible decision): median ${n(probe.percentileMs(50))} ms, P99 ${n(probe.percentileMs(99))} ms`;
  }
  return judge(
    spec,
    p99,
    `exporter histogram over the measured flood: ${n(delta.count)} decisions applied, ${n(missing)} of ${n(answered)} answered decisions never became visible (counted as infinitely late); ${n((fractionAtOrBelow(config.thresholds.pipelineP99Ms / 1000, delta, missing) || 0) * 100)}% within ${config.thresholds.pipelineP99Ms} ms; ${cross}`,
  );
}
