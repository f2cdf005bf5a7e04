// The public surface of core: everything a plugin (a scenario, a target, a check) may use. Plugins
// import from here and nowhere else in core (tools/check-architecture.ts holds them to it), so the
// files behind this list can move without touching a plugin.

// Defining plugins and what they provide.
export { definePlugin, type Plugin, type PluginContext } from "./plugins/registry.ts";
export type {
  CheckContext,
  CheckDefinition,
  Evidence,
  GateCoverage,
  Judgement,
  K6Plan,
  LiveView,
  PlanInput,
  PlanTarget,
  ProvisionedTarget,
  RunFaults,
  SamplerName,
  SamplerRequest,
  ScenarioContext,
  ScenarioDefinition,
  SelftestRow,
  SharedServices,
  SharedServicesContext,
  TargetDefinition,
  TargetHandle,
  TargetProvisionContext,
} from "./plugins/contracts.ts";

// What a target offers, and the market Gauntlet provisions for it.
export { CAPABILITY_HELP, CapabilitiesSchema, type Capabilities, type CapabilityName, type LedgerQueries } from "./target/capabilities.ts";
export type { Market, MarketPorts } from "./market/market.ts";
export { resetTarget } from "./orchestrator/target-safety.ts";

// Gates: one measurement, one threshold, one verdict.
export { formatNumber, gateSpec, judge, noData, notApplicable, type Comparator, type GateCategory, type GateResult, type GateSpec, type Severity } from "./gates/gate.ts";

// What k6 measured, and the time series the samplers took.
export { DecisionIdSet } from "./analysis/decision-ids.ts";
export { LatencyHistogram } from "./analysis/latency-histogram.ts";
export type { RunDigest } from "./analysis/run-digest.ts";
export { emptySeries, linearFit, seriesMax, type Series } from "./samplers/series.ts";
export { fractionAtOrBelow, histogramDelta, histogramQuantile, parseHistogram, type HistogramSnapshot } from "./samplers/prometheus-histogram.ts";
export { metricValue, scrape } from "./samplers/prometheus-scrape.ts";

// Faults: the run's one record of them, and Toxiproxy.
export { outageWindows, type FaultRecord } from "./faults/fault-log.ts";
export { isCutMarker, isGauntletToxic, profileSpan } from "./faults/fault-plan.ts";
export { loadProfile, resolveProfile } from "./faults/profile-files.ts";
export { ToxiproxyApi } from "./faults/toxiproxy-api.ts";
export { VenueFaultApi } from "./faults/venue-fault-api.ts";

// Starting the services a target needs (the sandbox's launcher uses these).
export { sleepUnlessAborted, startProcess, waitUntilReady, type ManagedProcess } from "./process/child-process.ts";
export { freePort } from "./process/ports.ts";
export { startPostgres, type PostgresInstance } from "./services/postgres-server.ts";
export { startRedis, type RedisInstance } from "./services/redis-server.ts";
export { startToxiproxy } from "./services/toxiproxy-server.ts";

// Configuration, errors, logging, paths.
export { CommandTargetSchema, UrlTargetSchema, type CommandTarget, type UrlTarget } from "./config/gauntlet-config.ts";
export { describeFetchError, GauntletError } from "./errors.ts";
export { log } from "./log.ts";
export { nodeEntryArgs, REPO_ROOT, repoPath } from "./paths.ts";
