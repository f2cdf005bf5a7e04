// What plugins provide. A scenario says which k6 script drives it, how to build its plan, what to
// sample while it runs and how to judge the evidence; a target provisions (or points at) the
// governor under test; a check judges state after any scenario. The orchestrator knows nothing
// about any particular one of them.
import type { AnalyzedFile } from "../analysis/k6-output-stream.ts";
import type { GateResult } from "../gates/gate.ts";
import type { Series } from "../samplers/series.ts";
import type { LatencyHistogram } from "../analysis/latency-histogram.ts";
import type { EventLog } from "../orchestrator/event-log.ts";

/** How Gauntlet reaches the governor under test and the state it keeps. */
export interface TargetHandle {
  name: string;
  /** The decision API (target contract: /v1/decisions, /v1/health, ...). */
  baseUrl: string;
  /** Prometheus endpoint with the governor's process metrics (RSS). */
  metricsUrl?: string;
  rssMetric?: string;
  /**
   * Prometheus endpoint at the far end of the metrics pipeline: its per-decision latency histogram
   * (arrival → visible) and its newest-arrival gauge (for the staleness probe).
   */
  pipelineMetricsUrl?: string;
  pipelineLatencyMetric?: string;
  pipelineArrivalMetric?: string;
  /** Direct Redis access (not through Toxiproxy) for sampling and snapshots. */
  redisUrl?: string;
  keys?: { state?: string; paused?: string; orderQueue?: string; events?: string };
  postgresUrl?: string;
  toxiproxyUrl?: string;
  /** Names of the Toxiproxy proxies on the target's paths. */
  proxies?: string[];
  venueAdminUrl?: string;
  venueJournal?: string;
  /** The venue's per-tick book state (mid, spread, depth), NDJSON. */
  venueMarketLog?: string;
  stop(): Promise<void>;
}

export interface TargetProvisionContext {
  runDir: string;
  toxiproxyBinary: string;
  /** Seeded faults (sandbox only). */
  faults: string[];
  events: EventLog;
  options: Record<string, unknown>;
}

export interface TargetDefinition {
  name: string;
  description: string;
  provision(ctx: TargetProvisionContext): Promise<TargetHandle>;
}

export interface ScenarioContext<C = unknown> {
  runId: string;
  runDir: string;
  profile: string;
  target: TargetHandle;
  config: C;
  events: EventLog;
  /** What the run sees right now (k6's samples, the samplers): for abort conditions. */
  live: LiveView;
}

export interface LiveView {
  /** P99 decision latency over the last `seconds`, ms (NaN before any sample). */
  p99Ms(seconds: number): number;
  /** Share of failed requests so far, 0..1. */
  errorRate(): number;
  requests(): number;
  /** The last value a sampler took (e.g. "pause-flag"), undefined before the first. */
  latest(sampler: SamplerRequest["name"]): number | undefined;
  /** A line shown in the progress output (phase, active faults…). */
  setStatus(text: string): void;
  /** End the load now (an abort condition held): k6 is stopped and the run is judged as it stands. */
  stopLoad(reason: string): void;
}

/** A sampler the scenario wants running during the drive phase. */
export interface SamplerRequest {
  name: "target-rss" | "redis-backlog" | "pipeline-lag" | "pause-flag";
  intervalMs: number;
}

export interface Evidence {
  k6: AnalyzedFile;
  k6ExitCode: number;
  /** k6's own end-of-test summary (--summary-export), for cross-checks. */
  k6Summary: unknown;
  series: Partial<Record<SamplerRequest["name"], Series>>;
  pipelineLag: LatencyHistogram;
  /** Wall-clock window of the drive phase. */
  driveStartMs: number;
  driveEndMs: number;
  /** Samples taken after k6 finished (e.g. the Redis backlog draining). */
  after: Partial<Record<string, number>>;
}

/** A scenario's verdict with what the report should show beside it. */
export interface Judgement {
  gates: GateResult[];
  /** Series on the run's wall clock (ms), e.g. mid, position, equity. */
  series?: Series[];
  facts?: Record<string, unknown>;
  /** Sentences every report shows above the gates (e.g. how the market data was replayed). */
  notes?: string[];
}

export interface PlannedRun {
  /** JSON handed to the k6 script (GAUNTLET_PLAN). */
  plan: { durationSeconds: number; rate: number; warmupSeconds?: number } & Record<string, unknown>;
  samplers: SamplerRequest[];
}

export interface ScenarioDefinition<C = unknown> {
  name: string;
  description: string;
  /** Bundled k6 script: dist/k6/<script>.js. */
  script: string;
  /** The k6 scenario (tag) whose samples are judged. */
  k6Scenario: string;
  profiles: readonly string[];
  defaultProfile: string;
  prepare(ctx: ScenarioContext<C>): PlannedRun;
  /** Optional work during the drive phase (fault timelines, probes). Must stop when `signal` aborts. */
  during?(ctx: ScenarioContext<C>, signal: AbortSignal): Promise<void>;
  judge(evidence: Evidence, ctx: ScenarioContext<C>): GateResult[] | Judgement | Promise<GateResult[] | Judgement>;
  /** What the bundled sandbox must be provisioned with for this scenario (replay, crash, limits). */
  sandboxOptions?(profile: string): Record<string, unknown>;
  /** Which seeded sandbox faults must make which gates fail (the self-test matrix). */
  selftest?: Array<{ fault: string; mustFail: string[] }>;
  /** The profile the self-test runs (default: the default profile). */
  selftestProfile?: string;
}

/** What a check sees: the finished scenario's evidence and the target, still running. */
export interface CheckContext {
  runId: string;
  runDir: string;
  scenario: string;
  target: TargetHandle;
  evidence: Evidence;
  events: EventLog;
}

/** A check judged after every scenario (e.g. portfolio integrity). */
export interface CheckDefinition {
  name: string;
  description: string;
  judge(ctx: CheckContext): Promise<{ gates: GateResult[]; facts: Record<string, unknown> }>;
}
