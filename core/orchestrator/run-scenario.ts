// One run, as data flows through it (DESIGN.md):
//   preflight → provision → reset → drive → snapshot → analyze → report
// Whatever happens — a failed gate, an unjudgeable run, an error, Ctrl-C — the target's services
// are stopped, faults are removed and the run folder says what happened.
import { availableParallelism } from "node:os";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { K6OutputFollower, type AnalyzedFile } from "../analysis/k6-output-stream.ts";
import { asGauntletError, GauntletError } from "../errors.ts";
import { formatNumber, type GateResult } from "../gates/gate.ts";
import { exitCodeOf, goNoGo, verdictOf, type RunVerdict } from "../gates/verdict.ts";
import { log, setLogFile } from "../log.ts";
import { withRunScope, type RunScope } from "../run-scope.ts";
import type { Evidence, K6Plan, LiveView, RunFaults, ScenarioContext, TargetHandle } from "../plugins/contracts.ts";
import { RunDigest } from "../analysis/run-digest.ts";
import type { Series } from "../samplers/series.ts";
import type { Registry } from "../plugins/registry.ts";
import type { Results } from "../results/results-schema.ts";
import { startSamplers, type RunningSamplers } from "../samplers/target-samplers.ts";
import { sleep } from "../process/child-process.ts";
import { cleanLeftovers, clearActiveRun, recordActiveRun } from "../services/leftovers.ts";
import { ensureReaper } from "../services/reaper.ts";
import { k6OutputKind, requireTool } from "../tools/tools.ts";
import { watchHostLoad } from "../process/host-load.ts";
import { DriveProgress } from "./drive-progress.ts";
import { EventLog } from "../events/event-log.ts";
import { fleetExitCode, K6_JUDGEABLE_EXIT_CODES, k6ExitError, startK6Fleet, type K6Fleet } from "./k6-runner.ts";
import { mergeInstances } from "../distributed/merge-instances.ts";
import { requireSplittable } from "../distributed/splittable.ts";
import { LiveMetrics } from "../events/live-metrics.ts";
import { preflightChecks, requirePreflight } from "./preflight.ts";
import { buildResults, writeResults, type Reporter } from "./run-results.ts";
import { createRunFolder } from "./run-folder.ts";
import { requireAllowedHost, requireShadow, requireVenueConnection, resetTarget, urlsIn } from "./target-safety.ts";
import { VenueFaultApi } from "../faults/venue-fault-api.ts";
import { ToxiproxyApi } from "../faults/toxiproxy-api.ts";
import { clearGauntletFaults } from "../faults/clear-faults.ts";
import { FaultLog } from "../faults/fault-log.ts";
import { startMarket, VENUE_PROXIES, type Market } from "../market/market.ts";
import type { RunSession } from "./run-session.ts";
import { FAULT_PROXIES } from "../faults/profile-schema.ts";
import { LimitsSchema } from "../../protocol/limits.ts";
import { FaultTimeline } from "../faults/fault-timeline.ts";
import { checkBaseline, judgeBaseline, type Baseline } from "../results/baseline.ts";
import type { BaselineComparison } from "../results/results-schema.ts";
import { loadProfile, resolveProfile } from "../faults/profile-files.ts";
import type { FaultProfile } from "../faults/profile-schema.ts";

export interface RunOptions {
  registry: Registry;
  scenario: string;
  profile?: string;
  /** "sandbox" or a registered target name. */
  target: string;
  targetOptions?: Record<string, unknown>;
  allowHosts?: string[];
  /** Seeded governor bugs to switch on (the sandbox has them; see sandbox/governor/faults.ts). */
  seededFaults?: string[];
  /** 0 turns the live endpoint off. */
  metricsPort: number;
  /** Services started once for many runs (a self-test, a certification); the run then starts only the governor and k6. */
  session?: RunSession;
  /** Where the bundled k6 scripts are (default dist/k6/): a plugin living outside the repo bundles its own. */
  scriptsDir?: string;
  /** Writers of the reports beside results.json (HTML, JUnit, Markdown…), chosen by the caller. */
  reporters?: readonly Reporter[];
  /** An earlier run of the same scenario: its latency percentiles become the baseline_regression gate. */
  baseline?: Baseline;
  /**
   * k6 processes splitting the load by execution segment (default 1). Each writes its own output
   * (instances/<i>/); the gates are judged once over all of them, merged exactly.
   */
  instances?: number;
}

export interface RunOutcome {
  results: Results;
  runDir: string;
  exitCode: 0 | 1 | 2;
}

const DRAIN_TIMEOUT_MS = 5000;

/** One run, in a scope of its own (core/run-scope.ts): its log file and its processes are its own. */
export function runScenario(options: RunOptions): Promise<RunOutcome> {
  return withRunScope((scope) => runInScope(options, scope));
}

async function runInScope(options: RunOptions, scope: RunScope): Promise<RunOutcome> {
  const { scenario, config } = options.registry.scenario(options.scenario);
  const profile = options.profile ?? scenario.defaultProfile;
  if (!scenario.profiles.includes(profile)) {
    throw new GauntletError("GAUNTLET_USAGE", `--profile must be one of ${scenario.profiles.join(", ")} for ${scenario.name} (got "${profile}")`);
  }
  if (options.baseline) checkBaseline(options.baseline, scenario.name);
  const instances = options.instances ?? 1;
  if (!Number.isInteger(instances) || instances < 1) throw new GauntletError("GAUNTLET_USAGE", `--instances must be a whole number ≥ 1 (got ${options.instances})`);
  if (instances > 1) requireSplittable(options.registry, scenario.name);
  // Every fault profile the scenario names is found and validated before anything starts, against
  // the proxies this target will have: the venue's, and the target's own paths.
  const targetDefinition = options.registry.target(options.target);
  const targetProxies = [...VENUE_PROXIES, ...(targetDefinition.proxyNames?.(options.targetOptions ?? {}) ?? [])];
  const nameable = [...new Set([...FAULT_PROXIES, ...targetProxies])] as [string, ...string[]];
  const profiles = new Map<string, FaultProfile>((scenario.faultProfiles?.(profile) ?? []).map((name) => [name, loadProfile(resolveProfile(name), nameable)]));
  const missingProxies = [...new Set([...profiles.values()].flatMap((p) => p.steps.flatMap((step) => (step.proxy ? [step.proxy] : []))))].filter((proxy) => !targetProxies.includes(proxy));
  const folder = createRunFolder(scenario.name);
  setLogFile(join(folder.dir, "gauntlet.log"));
  const events = new EventLog(join(folder.dir, "events.ndjson"));
  const startedAt = new Date().toISOString();
  const seededFaults = options.seededFaults ?? [];
  events.emit("run.start", { runId: folder.id, scenario: scenario.name, profile, target: options.target, seededFaults, faultProfiles: [...profiles.keys()] });
  log.info(`${scenario.name} (${profile})  →  ${folder.dir}`);
  if (missingProxies.length > 0) {
    // Nothing to fault on this target: the scenario does not apply, and says so — it is not a pass.
    const reason = `${scenario.name} faults the ${missingProxies.join(" and ")} path(s), which the ${options.target} target does not have (its proxies: ${targetProxies.join(", ")}); declare them in target.proxies to cover it`;
    return notApplicableRun({ folder, events, scenario: scenario.name, profile, target: options.target, seededFaults, startedAt, reason, reporters: options.reporters ?? [] });
  }

  const live = new LiveMetrics();
  const faultLog = new FaultLog(live);
  const interrupted = new AbortController();
  const onSignal = (signal: string) => {
    log.warn(`${signal}: stopping k6, removing faults, stopping services…`);
    events.emit("run.interrupted", { signal });
    interrupted.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let target: TargetHandle | undefined;
  let market: Market | undefined;
  let samplers: RunningSamplers | undefined;
  let k6: K6Fleet | undefined;
  let followers: K6OutputFollower[] = [];
  let progress: DriveProgress | undefined;
  let analyzed: AnalyzedFile | undefined;
  let k6ExitCode = -1;
  let gates: GateResult[] = [];
  let failure: GauntletError | undefined;
  let plan: K6Plan | undefined;
  let evidence: Evidence | undefined;
  let loadStopped: string | undefined;
  let hostLoad: ReturnType<typeof watchHostLoad> | undefined;
  const extra: Record<string, unknown> = {};
  const scenarioSeries: Series[] = [];
  const notes: string[] = [];
  const tools: Record<string, string> = { node: process.versions.node };
  // Ctrl-C before the load: stop there. During the load: k6 stops, and what was measured is still
  // judged and reported — marked interrupted, never a pass.
  let interruptedDuringLoad: { atS: number; plannedS: number | undefined } | undefined;
  const phase = (name: string) => {
    events.emit("phase", { phase: name });
    log.info(`— ${name}`);
    if (interrupted.signal.aborted && !interruptedDuringLoad) throw new GauntletError("GAUNTLET_INTERRUPTED", `interrupted before ${name}`);
  };

  try {
    phase("preflight");
    requirePreflight(await preflightChecks({ metricsPort: options.metricsPort || undefined, scripts: [scenario.script], scriptsDir: options.scriptsDir }));
    const k6Tool = await requireTool("k6");
    const toxiproxyTool = await requireTool("toxiproxy");
    tools.k6 = k6Tool.version;
    notes.push(
      k6OutputKind(k6Tool) === "gauntlet"
        ? "k6 wrote its samples with Gauntlet's output extension: k6's CSV format, only the metrics the gates read (http_req_duration, http_req_failed, dropped_iterations, gauntlet_answer_check_failed, gauntlet_orders_answered)."
        : `k6 wrote its samples with its own CSV output (${k6Tool.path} has no Gauntlet output extension: \`gauntlet setup\` builds a k6 with it).`,
    );
    tools.toxiproxy = toxiproxyTool.version;
    ensureReaper();
    for (const line of await cleanLeftovers((url) => clearGauntletFaults(new ToxiproxyApi(url)).then(() => undefined))) {
      log.warn(`cleaned up after an earlier run that was killed: ${line}`);
      events.emit("leftover.cleaned", { what: line });
    }
    if (options.metricsPort) await live.listen(options.metricsPort);
    live.runInfo.set({ run_id: folder.id, scenario: scenario.name, profile }, 1);

    phase("provision");
    const targetOptions = options.targetOptions ?? {};
    // Hosts are checked before anything starts: a target elsewhere needs an explicit allow.
    for (const url of urlsIn(targetOptions)) requireAllowedHost(url, options.allowHosts ?? []);
    // The market — Toxiproxy, the venue and the proxies in front of it — exists for every target:
    // the session's, or this run's own.
    if (options.session) {
      market = options.session.market;
      events.emit("session.services", { session: options.session.id, dir: options.session.dir });
    } else {
      market = await startMarket({ dir: folder.servicesDir, toxiproxyBinary: toxiproxyTool.path, ports: targetDefinition.marketPorts?.(targetOptions) });
      for (const managed of market.processes) events.emit("service.start", { name: managed.name, pid: managed.pid, log: managed.logFile });
      recordActiveRun(folder.id, { toxiproxyUrl: market.toxiproxyUrl });
    }
    const provisioned = await targetDefinition.provision({ runDir: folder.servicesDir, market, shared: options.session?.shared, seededFaults, events, options: targetOptions });
    target = {
      ...provisioned,
      venueAdminUrl: market.venueAdminUrl,
      venueJournal: market.journal,
      venueMarketLog: market.marketLog,
      toxiproxyUrl: market.toxiproxyUrl,
      proxies: market.proxyNames(),
    };
    recordActiveRun(folder.id, { toxiproxyUrl: market.toxiproxyUrl });
    events.emit("target.ready", { name: target.name, baseUrl: target.baseUrl, capabilities: target.capabilities, proxies: target.proxies });
    for (const url of [target.baseUrl, ...urlsIn(target.capabilities)]) requireAllowedHost(url, options.allowHosts ?? []);
    await requireShadow(target.baseUrl);

    phase("reset");
    // The venue first (journal emptied, market set for this scenario, connections closed), then the
    // governor: it forgets its books and its fill sequence, and takes the limits this scenario certifies.
    await market.reset(scenario.market?.(profile) ?? {});
    await resetTarget(target.baseUrl, { limits: LimitsSchema.parse(scenario.limits ?? {}) });
    // The run starts once the governor holds both connections and says it is ready (fresh data).
    await requireVenueConnection(market, target, events, target.connectTimeoutMs);

    phase("drive");
    // The live view is wired to k6's output and the samplers once they start (below).
    const wiring: { digest?: () => RunDigest; samplers?: RunningSamplers; stop?: (reason: string) => void; status: string } = { status: "" };
    const liveView: LiveView = {
      p99Ms: (seconds) => wiring.digest?.().recentP99Ms(seconds) ?? Number.NaN,
      errorRate: () => {
        const digest = wiring.digest?.();
        return digest && digest.requests ? digest.failed / digest.requests : 0;
      },
      requests: () => wiring.digest?.().requests ?? 0,
      latest: (name) => {
        const series = wiring.samplers?.series()[name];
        return series && series.v.length ? series.v[series.v.length - 1] : undefined;
      },
      setStatus: (text) => (wiring.status = text),
      stopLoad: (reason) => wiring.stop?.(reason),
      recovered: (seconds) => live.recoveryTime.set(seconds),
    };
    const running = target;
    const runFaults: RunFaults = {
      log: faultLog,
      play: (name, signal) => {
        const loaded = profiles.get(name);
        if (!loaded) throw new GauntletError("GAUNTLET_INTERNAL", `scenario ${scenario.name} plays fault profile "${name}" without declaring it in faultProfiles()`);
        if (!running.toxiproxyUrl) {
          throw new GauntletError("GAUNTLET_CONFIG_INVALID", `the target exposes no Toxiproxy API, so fault profile "${name}" cannot be played`);
        }
        const venue = running.venueAdminUrl ? new VenueFaultApi(running.venueAdminUrl) : undefined;
        return new FaultTimeline(loaded, { api: new ToxiproxyApi(running.toxiproxyUrl), ...(venue ? { venue } : {}), events, faults: faultLog, signal }).play();
      },
    };
    plan = scenario.plan({ runId: folder.id, profile, config, target: { baseUrl: target.baseUrl, venueAdminUrl: target.venueAdminUrl } });
    const ctx: ScenarioContext<unknown> = { runId: folder.id, runDir: folder.dir, profile, target, config, events, plan, live: liveView, faults: runFaults };
    samplers = startSamplers(target, scenario.samplers ?? []);
    wireLive(samplers, live);
    const driveStartMs = Date.now();
    hostLoad = watchHostLoad();
    k6 = await startK6Fleet({ k6: k6Tool, script: scenario.script, scriptsDir: options.scriptsDir, runDir: folder.dir, plan }, instances);
    recordActiveRun(folder.id, { toxiproxyUrl: target.toxiproxyUrl });
    const expectedSeconds = scenario.expectedSeconds?.(plan);
    events.emit("k6.start", { pid: k6.runs[0]!.process.pid, pids: k6.runs.map((run) => run.process.pid), instances, script: scenario.script, expectedSeconds });
    const fleet = k6;
    // One live digest fed by every instance's output (the verdict's digest is rebuilt exactly below).
    const liveDigest = new RunDigest(scenario.k6Scenario);
    followers = fleet.runs.map((run) => new K6OutputFollower(run.outputPath, scenario.k6Scenario, liveDigest));
    const output = { digest: liveDigest };
    output.digest.onLatency = (ms) => {
      live.decisionLatency.observe(ms / 1000);
      live.decisions.inc();
    };
    output.digest.onFailure = () => live.errors.inc();
    output.digest.onDropped = (count) => live.dropped.inc(count);
    for (const follower of followers) follower.start();
    wiring.digest = () => output.digest;
    wiring.samplers = samplers;
    wiring.stop = (reason) => {
      if (loadStopped) return;
      loadStopped = reason;
      events.emit("load.stopped", { reason });
      log.warn(`stopping the load: ${reason}`);
      void fleet.stop(10_000);
    };
    progress = new DriveProgress(() => output.digest, samplers.samplers, expectedSeconds, live, events, () => wiring.status);
    progress.start();
    const driveAbort = new AbortController();
    const during = scenario.during?.(ctx, driveAbort.signal).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    interrupted.signal.addEventListener("abort", () => void fleet.stop(10000));
    const exit = fleetExitCode(await fleet.exited);
    k6ExitCode = typeof exit === "number" ? exit : -1;
    const driveEndMs = Date.now();
    const host = hostLoad.stop();
    if (host) {
      extra.host = host;
      notes.push(
        `The machine while the load was driven (${host.seconds} s, all ${availableParallelism()} cores, everything on it — the load generator and the services included): ${host.busyMeanPct} % busy on average${host.seconds >= 2 ? `, ${host.busyMaxPct} % in its busiest second` : ""}, ${host.stealPct} % taken by the hypervisor. Latency is measured on this machine as it was.`,
      );
    }
    progress.stop();
    driveAbort.abort();
    const duringOutcome = await during;
    events.emit("k6.exit", { code: exit });
    if (interrupted.signal.aborted) {
      interruptedDuringLoad = { atS: Math.round((driveEndMs - driveStartMs) / 100) / 10, plannedS: expectedSeconds };
      log.warn(`judging the ${interruptedDuringLoad.atS} s measured before the interrupt (the run cannot pass)…`);
    }
    if (duringOutcome && "error" in duringOutcome) throw duringOutcome.error;

    phase("snapshot");
    const after = await drainAfterLoad(samplers, target);

    phase("analyze");
    // k6's own exit first: a script it refused leaves an empty output, and "refused" is the news.
    // A load the scenario stopped on purpose (an abort condition) ends with k6's 105: still judged.
    if (!K6_JUDGEABLE_EXIT_CODES.has(k6ExitCode) && !((loadStopped || interruptedDuringLoad) && k6ExitCode === 105)) throw k6ExitError(exit, k6.runs[0]!.logPath);
    analyzed = await finishOutputs(followers, k6, scenario.k6Scenario, extra, notes);
    evidence = {
      k6: analyzed,
      k6ExitCode,
      k6Summary: readJson(k6.runs[0]!.summaryPath),
      series: samplers.series(),
      pipelineLag: samplers.pipelineLag,
      driveStartMs,
      driveEndMs,
      after,
      faults: faultLog,
    };
    await samplers.stop();
    samplers = undefined;
    const judgement = await scenario.judge(evidence, ctx, duringOutcome && "value" in duringOutcome ? duringOutcome.value : undefined);
    gates = Array.isArray(judgement) ? judgement : judgement.gates;
    if (!Array.isArray(judgement)) {
      scenarioSeries.push(...(judgement.series ?? []));
      if (judgement.facts) extra[scenario.name] = judgement.facts;
      notes.push(...(judgement.notes ?? []));
    }

    // Checks run after every scenario, against the same still-running target.
    for (const check of options.registry.checks.values()) {
      phaseQuiet(events, `check:${check.name}`);
      const outcome = await check.judge({ runId: folder.id, runDir: folder.dir, scenario: scenario.name, target, evidence, events });
      gates.push(...outcome.gates);
      extra[check.name] = outcome.facts;
    }
  } catch (error) {
    failure = asGauntletError(error) ?? new GauntletError("GAUNTLET_INTERNAL", (error as Error).stack ?? String(error));
    events.emit("run.error", { code: failure.code, message: failure.message });
  } finally {
    if (interruptedDuringLoad && !failure) {
      const { atS, plannedS } = interruptedDuringLoad;
      failure = new GauntletError("GAUNTLET_INTERRUPTED", `interrupted after ${atS} s of the load${plannedS ? ` (of ${plannedS} s planned)` : ""}; the gates below are judged on what was measured, and an interrupted run cannot pass`, {
        hint: "Rerun the scenario to completion for a verdict; results.json and the report keep what this run measured.",
      });
    }
    // A run that ends early (interrupted, k6 died) must not leave a timer keeping the process alive.
    for (const follower of followers) follower.stop();
    progress?.stop();
    hostLoad?.stop();
    await samplers?.stop();
    if (k6) await k6.stop(5000);
    if (target) {
      events.emit("target.stop", {});
      await target.stop().catch((error: Error) => log.warn(`stopping the target: ${error.message}`));
    }
    if (!options.session) await market?.stop();
    // The safety net: whatever this run started and is still running — never a session's services,
    // nor another run's beside it in the self-test.
    for (const managed of [...scope.processes].reverse()) await managed.stop().catch(() => undefined);
    clearActiveRun(folder.id);
    if (!options.session) removeServiceData(folder.servicesDir);
    await live.close();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }

  phaseQuiet(events, "report");
  // --baseline: the latency against the baseline run is one more gate, judged with the others.
  let baseline: BaselineComparison | undefined;
  if (options.baseline && analyzed) {
    const judged = judgeBaseline(options.baseline, analyzed.digest.requests > 0 ? analyzed.digest.latency.summary() : undefined);
    gates.push(judged.gate);
    baseline = judged.comparison;
  }
  const verdict: RunVerdict = failure ? (failure.exitCode === 1 ? "fail" : "could-not-judge") : verdictOf(gates);
  const results = buildResults({
    runId: folder.id,
    scenario: scenario.name,
    profile,
    target: target ? { name: target.name, baseUrl: target.baseUrl } : { name: options.target, baseUrl: "" },
    seededFaults,
    faultTimeline: faultLog.records,
    startedAt,
    interrupted: interrupted.signal.aborted,
    verdict,
    goNoGo: failure ? "NOT JUDGED" : goNoGo(gates),
    exitCode: failure ? failure.exitCode : exitCodeOf(verdict),
    error: failure ? { code: failure.code, message: failure.message, hint: failure.hint } : undefined,
    gates,
    analyzed,
    k6ExitCode,
    evidence,
    scenarioSeries,
    notes,
    tools,
    plan,
    extra,
    baseline,
  });
  writeResults(folder.dir, results, options.reporters ?? []);
  events.emit("run.end", { verdict: results.verdict, exitCode: results.exitCode });
  setLogFile(undefined);
  return { results, runDir: folder.dir, exitCode: results.exitCode };
}

/**
 * k6's outputs once it has exited. One instance: the follower's digest. Several: each output must
 * have ended cleanly and hold what its own summary counted, then one digest is built from all of
 * them (exact percentiles over every sample), with the per-instance breakdown in results.json.
 */
async function finishOutputs(followers: K6OutputFollower[], fleet: K6Fleet, scenario: string, extra: Record<string, unknown>, notes: string[]): Promise<AnalyzedFile> {
  if (followers.length === 1) return followers[0]!.finish();
  const finished = followers.map((follower) => follower.finish());
  const merged = await mergeInstances(fleet.runs.map((run) => dirname(run.outputPath)), scenario);
  extra.instances = {
    count: fleet.runs.length,
    merged: "one histogram of every instance's samples (HDR, 3 significant digits)",
    breakdown: merged.instances.map(({ instance, requests, failed, dropped, latency, k6 }) => ({ instance, requests, failed, dropped, latencyMs: latency, k6 })),
    k6Combined: merged.k6Combined,
  };
  const each = merged.instances.map((entry) => `instance ${entry.instance} ${formatNumber(entry.requests)} decisions, P99 ${entry.latency ? formatNumber(entry.latency.p99Ms) : "—"} ms (k6's own summary: ${entry.k6 ? formatNumber(entry.k6.p99Ms) : "—"} ms)`);
  notes.push(`The load ran on ${fleet.runs.length} k6 instances, each on its execution segment and started together; the gates are judged over one histogram of every instance's samples: ${each.join("; ")}.`);
  if (merged.problems.length > 0) {
    throw new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", `the ${fleet.runs.length} k6 instances cannot be judged as one run: ${merged.problems.join("; ")}`);
  }
  return {
    digest: merged.digest,
    stats: { lines: finished.reduce((sum, file) => sum + file.stats.lines, 0), bytes: finished.reduce((sum, file) => sum + file.stats.bytes, 0), partialLastLine: "" },
    points: finished.reduce((sum, file) => sum + file.points, 0),
  };
}

function phaseQuiet(events: EventLog, name: string): void {
  events.emit("phase", { phase: name });
}

function wireLive(samplers: RunningSamplers, live: LiveMetrics): void {
  samplers.samplers.get("redis-backlog")?.listen((value) => live.redisBacklog.set(value));
  samplers.samplers.get("target-rss")?.listen((value) => live.targetRss.set(value));
  samplers.onPipelineSample((value) => live.pipelineLatency.observe(value / 1000));
}

/** After the load stops: let the target's metrics backlog drain, and record where it ended. */
async function drainAfterLoad(samplers: RunningSamplers, target: TargetHandle): Promise<Record<string, number>> {
  const after: Record<string, number> = {};
  const key = target.capabilities.metricsPipeline?.backlog?.key;
  const redis = samplers.backlogRedis;
  if (redis && key) {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    let backlog = await redis.llen(key).catch(() => Number.NaN);
    while (backlog > 0 && Date.now() < deadline) {
      await sleep(100);
      backlog = await redis.llen(key).catch(() => Number.NaN);
    }
    after.redisBacklogEnd = backlog;
  }
  return after;
}

/** Service data (PostgreSQL's cluster, ~40 MB) is only useful while the run lasts; logs stay. */
function removeServiceData(servicesDir: string): void {
  rmSync(join(servicesDir, "postgres", "data"), { recursive: true, force: true });
}

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** A scenario that does not apply to this target: results and reports say so, and nothing is driven. */
function notApplicableRun(input: {
  folder: { id: string; dir: string };
  events: EventLog;
  scenario: string;
  profile: string;
  target: string;
  seededFaults: string[];
  startedAt: string;
  reason: string;
  reporters: readonly Reporter[];
}): RunOutcome {
  log.warn(`not applicable: ${input.reason}`);
  input.events.emit("run.not-applicable", { reason: input.reason });
  const results = buildResults({
    runId: input.folder.id,
    scenario: input.scenario,
    profile: input.profile,
    target: { name: input.target, baseUrl: "" },
    seededFaults: input.seededFaults,
    faultTimeline: [],
    startedAt: input.startedAt,
    verdict: "not-applicable",
    goNoGo: "NOT APPLICABLE",
    exitCode: exitCodeOf("not-applicable"),
    error: undefined,
    gates: [],
    analyzed: undefined,
    k6ExitCode: -1,
    evidence: undefined,
    notes: [`Not applicable: ${input.reason}.`],
    tools: { node: process.versions.node },
    plan: undefined,
  });
  writeResults(input.folder.dir, results, input.reporters);
  input.events.emit("run.end", { verdict: results.verdict, exitCode: results.exitCode });
  setLogFile(undefined);
  return { results, runDir: input.folder.dir, exitCode: results.exitCode };
}
