// What plugins provide. A scenario says which k6 script drives it, how to build its plan, what to
// sample and which fault profiles it plays, and how to judge the evidence; a target provisions (or
// points at) the governor under test; a check judges state after any scenario. The orchestrator
// knows nothing about any particular one of them.
import type { AnalyzedFile } from "../analysis/k6-output-stream.ts";
import type { LatencyHistogram } from "../analysis/latency-histogram.ts";
import type { RunDigest } from "../analysis/run-digest.ts";
import type { EventLog } from "../events/event-log.ts";
import type { FaultLog } from "../faults/fault-log.ts";
import type { TimelineOutcome } from "../faults/fault-timeline.ts";
import type { GateResult } from "../gates/gate.ts";
import type { Series } from "../samplers/series.ts";
import type { SamplerName, SamplerRequest } from "../samplers/target-samplers.ts";
import type { Market, MarketPorts } from "../market/market.ts";
import type { CapabilityName } from "../target/capabilities.ts";
import type { TargetHandle } from "../target/target-handle.ts";
import type { Limits } from "../../protocol/limits.ts";
import type { MarketSettingsInput } from "../../protocol/market-settings.ts";
import type { K6Plan, PlanInput, PlanTarget } from "../../protocol/k6-plan.ts";

export type { K6Plan, PlanInput, PlanTarget, SamplerName, SamplerRequest, TargetHandle };

/** Services a target keeps across the runs of a session (a self-test, a certification), reset between runs. */
export interface SharedServices {
  stop(): Promise<void>;
  [service: string]: unknown;
}

export interface SharedServicesContext {
  dir: string;
  market: Market;
  events: EventLog;
  options: Record<string, unknown>;
}

/** What a target's provisioning gets: the market already up (venue, proxies, Toxiproxy) and its own options. */
export interface TargetProvisionContext {
  runDir: string;
  /** What openShared started for the session, when the run is part of one. */
  shared?: SharedServices;
  /** The venue and its proxies; `market.addProxy` puts the target's own paths (Redis, a database) on the same Toxiproxy. */
  market: Market;
  /** Seeded governor bugs to switch on (only a target that has them, the sandbox, accepts any). */
  seededFaults: string[];
  events: EventLog;
  /** The target's own options (a URL, a command, its capabilities…). */
  options: Record<string, unknown>;
}

/** The handle a target plugin returns; the orchestrator adds the venue's and Toxiproxy's addresses. */
export type ProvisionedTarget = Omit<TargetHandle, "toxiproxyUrl" | "proxies" | "venueAdminUrl" | "venueJournal" | "venueMarketLog">;

export interface TargetDefinition {
  name: string;
  description: string;
  /** The target's own proxied paths (besides the venue's broker and market_data), known before it starts. */
  proxyNames?(options: Record<string, unknown>): string[];
  /** Start what may last across the runs of a session (databases, their proxies); provision gets it back as `shared`. */
  openShared?(ctx: SharedServicesContext): Promise<SharedServices>;
  /** Fixed ports for the venue's proxies (a governor the user runs was told where to connect); free ports otherwise. */
  marketPorts?(options: Record<string, unknown>): MarketPorts;
  provision(ctx: TargetProvisionContext): Promise<ProvisionedTarget>;
}

export interface ScenarioContext<C = unknown> {
  runId: string;
  runDir: string;
  profile: string;
  target: TargetHandle;
  config: C;
  events: EventLog;
  /** The plan k6 was given. */
  plan: K6Plan;
  /** What the run sees right now (k6's samples, the samplers): for abort conditions. */
  live: LiveView;
  /** The fault profiles the scenario declared, ready to play, and the run's one record of faults. */
  faults: RunFaults;
}

export interface RunFaults {
  /** Play a profile the scenario declared (faultProfiles) from now; resolves once every fault it applied is removed. */
  play(profile: string, signal: AbortSignal): Promise<TimelineOutcome>;
  /** Every fault applied and removed so far, on the wall clock. */
  readonly log: FaultLog;
}

export interface LiveView {
  /** P99 decision latency over the last `seconds`, ms (NaN before any sample). */
  p99Ms(seconds: number): number;
  /** Share of failed requests so far, 0..1. */
  errorRate(): number;
  requests(): number;
  /** The last value a sampler took (e.g. "pause-flag"), undefined before the first. */
  latest(sampler: SamplerName): number | undefined;
  /** A line shown in the progress output (phase, active faults…). */
  setStatus(text: string): void;
  /** End the load now (an abort condition held): k6 is stopped and the run is judged as it stands. */
  stopLoad(reason: string): void;
  /** Publish a measured recovery (cut → first safe action) on gauntlet_recovery_time_seconds. */
  recovered(seconds: number): void;
}

export interface Evidence {
  k6: AnalyzedFile;
  k6ExitCode: number;
  /** k6's own end-of-test summary (--summary-export), for cross-checks. */
  k6Summary: unknown;
  series: Partial<Record<SamplerName, Series>>;
  pipelineLag: LatencyHistogram;
  /** Wall-clock window of the drive phase. */
  driveStartMs: number;
  driveEndMs: number;
  /** Samples taken after k6 finished (e.g. the Redis backlog draining). */
  after: Partial<Record<string, number>>;
  /** Every fault applied during the run. */
  faults: FaultLog;
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

/** A gate a scenario or check judges, and the capabilities it needs beyond the minimum contract (any one of them). */
export interface GateCoverage {
  id: string;
  requires?: readonly CapabilityName[];
}

/** One row of the self-test matrix: with this seeded fault on, these gates must fail. */
export interface SelftestRow {
  seededFault: string;
  mustFail: string[];
  /** A profile this row always runs on, whatever the self-test's (a fault that only shows over minutes). */
  profile?: string;
}

export interface ScenarioDefinition<C = unknown, P extends K6Plan = K6Plan, D = unknown> {
  name: string;
  description: string;
  /** The k6 script: scripts/<script>.ts, bundled to dist/k6/<script>.js. */
  script: string;
  /** The k6 scenario (tag) whose samples are judged. */
  k6Scenario: string;
  /** Every gate judge() returns, with what each needs: `gauntlet doctor`'s coverage table. */
  gates: readonly GateCoverage[];
  profiles: readonly string[];
  defaultProfile: string;
  /** The JSON handed to the k6 script (GAUNTLET_PLAN). Pure: a plain `k6 run` gets the default one. */
  plan(input: PlanInput<C>): P;
  /** How long the load lasts, for progress; absent when the scenario has no fixed duration. */
  expectedSeconds?(plan: P): number;
  /** Samplers to run during the drive phase. */
  samplers?: readonly SamplerRequest[];
  /** Fault profiles the scenario plays: resolved and validated before anything starts. */
  faultProfiles?(profile: string): string[];
  /** The venue's market for this scenario: the replay (source, crash, speed) and the broker's terms (fees, round trip). */
  market?(profile: string): MarketSettingsInput;
  /** The hard limits this scenario certifies: handed to the governor at reset, and every fill judged against them. */
  limits?: Limits;
  /** Work during the drive phase (fault timelines, probes); must stop when `signal` aborts. Its result reaches judge(). */
  during?(ctx: ScenarioContext<C>, signal: AbortSignal): Promise<D>;
  judge(evidence: Evidence, ctx: ScenarioContext<C>, during: D | undefined): GateResult[] | Judgement | Promise<GateResult[] | Judgement>;
  /** Which seeded sandbox faults must make which gates fail (the self-test matrix). */
  selftest?: readonly SelftestRow[];
  /** The profile the self-test runs (default: the default profile). */
  selftestProfile?: string;
  /**
   * The profile the self-test judges the correct governor on, when the matrix's (smoke, in CI) is
   * too short to judge every gate of a correct governor fairly (default: the matrix's).
   */
  correctGovernorProfile?: string;
  /**
   * Gates that measure milliseconds or throughput, whose verdict another run's CPU beside this one
   * could change. The self-test (`selftest --lanes`) runs with nothing beside it the correct
   * governor of a scenario that has any, and each seeded row that must fail one of them: a
   * seeded fault must be seen to trip such a gate on its own. Every other row shares the machine.
   */
  timingGates?: readonly string[];
  /**
   * Its load takes a core of its own (decision-flood's 1,000 decisions/s): the self-test runs every
   * row of it with nothing beside it, whatever its gates. A correct governor in a 50 decisions/s
   * drill beside two such floods was once starved into sending 20 orders through a broker outage.
   */
  runsAlone?: boolean;
  /**
   * The gates judged from k6's output alone. A scenario that has them is one whose load can be split
   * across k6 instances (a k6-operator TestRun, `gauntlet merge`): nothing is orchestrated next to
   * it (no faults, no replay to start), and these gates are judged once over the merged outputs.
   */
  judgeLoad?(digest: RunDigest): GateResult[];
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
  gates: readonly GateCoverage[];
  judge(ctx: CheckContext): Promise<{ gates: GateResult[]; facts: Record<string, unknown> }>;
}
