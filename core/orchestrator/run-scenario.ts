// One run, as data flows through it (DESIGN.md):
//   preflight → provision → reset → drive → snapshot → analyze → report
// Whatever happens — a failed gate, an unjudgeable run, an error, Ctrl-C — the target's services
// are stopped, faults are removed and the run folder says what happened.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { K6OutputFollower, type AnalyzedFile } from "../analysis/k6-output-stream.ts";
import { GauntletError, isGauntletError } from "../errors.ts";
import type { GateResult } from "../gates/gate.ts";
import { exitCodeOf, goNoGo, verdictOf, type RunVerdict } from "../gates/verdict.ts";
import { log, setLogFile } from "../log.ts";
import type { Evidence, LiveView, ScenarioContext, TargetHandle } from "../plugins/contracts.ts";
import type { RunDigest } from "../analysis/run-digest.ts";
import type { Series } from "../samplers/series.ts";
import type { Registry } from "../plugins/registry.ts";
import type { Results } from "../results/results-schema.ts";
import { startSamplers, type RunningSamplers } from "../samplers/target-samplers.ts";
import { sleep, stopAll } from "../services/child-process.ts";
import { cleanLeftovers, clearActiveRun, recordActiveRun } from "../services/leftovers.ts";
import { requireTool } from "../setup/tools.ts";
import { DriveProgress } from "./drive-progress.ts";
import { EventLog } from "./event-log.ts";
import { K6_JUDGEABLE_EXIT_CODES, k6ExitError, startK6, type K6Run } from "./k6-runner.ts";
import { LiveMetrics } from "./live-metrics.ts";
import { preflightChecks, requirePreflight } from "./preflight.ts";
import { buildResults, writeReports } from "./run-results.ts";
import { createRunFolder } from "./run-folder.ts";
import { requireAllowedHost, requireShadow, resetTarget } from "./target-safety.ts";
import { ToxiproxyApi } from "../faults/toxiproxy-api.ts";
import { clearGauntletFaults } from "../faults/clear-faults.ts";

export interface RunOptions {
  registry: Registry;
  scenario: string;
  profile?: string;
  /** "sandbox" or a registered target name. */
  target: string;
  targetOptions?: Record<string, unknown>;
  allowHosts?: string[];
  /** Seeded sandbox faults. */
  faults?: string[];
  /** 0 turns the live endpoint off. */
  metricsPort: number;
}

export interface RunOutcome {
  results: Results;
  runDir: string;
  exitCode: 0 | 1 | 2;
}

const DRAIN_TIMEOUT_MS = 5000;

export async function runScenario(options: RunOptions): Promise<RunOutcome> {
  const { scenario, config } = options.registry.scenario(options.scenario);
  const profile = options.profile ?? scenario.defaultProfile;
  if (!scenario.profiles.includes(profile)) {
    throw new GauntletError("GAUNTLET_USAGE", `--profile must be one of ${scenario.profiles.join(", ")} for ${scenario.name} (got "${profile}")`);
  }
  const folder = createRunFolder(scenario.name);
  setLogFile(join(folder.dir, "gauntlet.log"));
  const events = new EventLog(join(folder.dir, "events.ndjson"));
  const startedAt = new Date().toISOString();
  const faults = options.faults ?? [];
  events.emit("run.start", { runId: folder.id, scenario: scenario.name, profile, target: options.target, faults });
  log.info(`${scenario.name} (${profile})  →  ${folder.dir}`);

  const live = new LiveMetrics();
  const interrupted = new AbortController();
  const onSignal = (signal: string) => {
    log.warn(`${signal}: stopping k6, removing faults, stopping services…`);
    events.emit("run.interrupted", { signal });
    interrupted.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let target: TargetHandle | undefined;
  let samplers: RunningSamplers | undefined;
  let k6: K6Run | undefined;
  let follower: K6OutputFollower | undefined;
  let progress: DriveProgress | undefined;
  let analyzed: AnalyzedFile | undefined;
  let k6ExitCode = -1;
  let gates: GateResult[] = [];
  let failure: GauntletError | undefined;
  let plan: Record<string, unknown> | undefined;
  let evidence: Evidence | undefined;
  let loadStopped: string | undefined;
  const extra: Record<string, unknown> = {};
  const scenarioSeries: Series[] = [];
  const notes: string[] = [];
  const tools: Record<string, string> = { node: process.versions.node };
  const phase = (name: string) => {
    events.emit("phase", { phase: name });
    log.info(`— ${name}`);
    if (interrupted.signal.aborted) throw new GauntletError("GAUNTLET_INTERRUPTED", `interrupted before ${name}`);
  };

  try {
    phase("preflight");
    requirePreflight(await preflightChecks({ metricsPort: options.metricsPort || undefined, scripts: [scenario.script] }));
    const k6Tool = await requireTool("k6");
    const toxiproxyTool = await requireTool("toxiproxy");
    tools.k6 = k6Tool.version;
    tools.toxiproxy = toxiproxyTool.version;
    for (const line of await cleanLeftovers((url) => clearGauntletFaults(new ToxiproxyApi(url)).then(() => undefined))) {
      log.warn(`cleaned up after an earlier run that was killed: ${line}`);
      events.emit("leftover.cleaned", { what: line });
    }
    if (options.metricsPort) await live.listen(options.metricsPort);
    live.runInfo.set({ run_id: folder.id, scenario: scenario.name, profile }, 1);

    phase("provision");
    const targetDefinition = options.registry.target(options.target);
    target = await targetDefinition.provision({
      runDir: folder.servicesDir,
      toxiproxyBinary: toxiproxyTool.path,
      faults,
      events,
      options: { ...(options.targetOptions ?? {}), ...(options.target === "sandbox" ? scenario.sandboxOptions?.(profile) : {}) },
    });
    recordActiveRun(folder.id, { toxiproxyUrl: target.toxiproxyUrl });
    events.emit("target.ready", { name: target.name, baseUrl: target.baseUrl });
    for (const url of [target.baseUrl, target.metricsUrl, target.pipelineMetricsUrl].filter(Boolean) as string[]) {
      requireAllowedHost(url, options.allowHosts ?? []);
    }
    await requireShadow(target.baseUrl);

    phase("reset");
    await resetTarget(target.baseUrl);

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
    };
    const ctx: ScenarioContext<unknown> = { runId: folder.id, runDir: folder.dir, profile, target, config, events, live: liveView };
    const planned = scenario.prepare(ctx);
    plan = planned.plan;
    samplers = startSamplers(target, planned.samplers);
    wireLive(samplers, live);
    const driveStartMs = Date.now();
    k6 = startK6({ k6: k6Tool.path, script: scenario.script, runDir: folder.dir, plan: planned.plan });
    recordActiveRun(folder.id, { toxiproxyUrl: target.toxiproxyUrl });
    events.emit("k6.start", { pid: k6.process.pid, rate: planned.plan.rate, durationSeconds: planned.plan.durationSeconds });
    const k6Process = k6.process;
    const output = new K6OutputFollower(k6.outputPath, scenario.k6Scenario);
    follower = output; // also for `finally`, which stops it when the run ends early
    output.digest.onLatency = (ms) => {
      live.decisionLatency.observe(ms / 1000);
      live.decisions.inc();
    };
    output.digest.onFailure = () => live.errors.inc();
    output.digest.onDropped = (count) => live.dropped.inc(count);
    output.start();
    wiring.digest = () => output.digest;
    wiring.samplers = samplers;
    wiring.stop = (reason) => {
      if (loadStopped) return;
      loadStopped = reason;
      events.emit("load.stopped", { reason });
      log.warn(`stopping the load: ${reason}`);
      void k6Process.stop(10_000);
    };
    progress = new DriveProgress(() => output.digest, samplers.samplers, planned.plan.durationSeconds + (planned.plan.warmupSeconds ?? 0), live, events, () => wiring.status);
    progress.start();
    const driveAbort = new AbortController();
    const during = scenario.during?.(ctx, driveAbort.signal).catch((error: unknown) => error);
    interrupted.signal.addEventListener("abort", () => void k6Process.stop(10000));
    const exit = await k6.process.exited;
    k6ExitCode = typeof exit === "number" ? exit : -1;
    const driveEndMs = Date.now();
    progress.stop();
    driveAbort.abort();
    const duringError = await during;
    events.emit("k6.exit", { code: exit });
    if (interrupted.signal.aborted) throw new GauntletError("GAUNTLET_INTERRUPTED", "interrupted during the drive phase; nothing was judged");
    if (duringError) throw duringError;

    phase("snapshot");
    const after = await drainAfterLoad(samplers, target);

    phase("analyze");
    analyzed = output.finish();
    // A load the scenario stopped on purpose (an abort condition) ends with k6's 105: still judged.
    if (!K6_JUDGEABLE_EXIT_CODES.has(k6ExitCode) && !(loadStopped && k6ExitCode === 105)) throw k6ExitError(exit, k6.logPath);
    evidence = {
      k6: analyzed,
      k6ExitCode,
      k6Summary: readJson(k6.summaryPath),
      series: samplers.series(),
      pipelineLag: samplers.pipelineLag,
      driveStartMs,
      driveEndMs,
      after,
    };
    await samplers.stop();
    samplers = undefined;
    const judgement = await scenario.judge(evidence, ctx);
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
    failure = isGauntletError(error) ? error : new GauntletError("GAUNTLET_INTERNAL", (error as Error).stack ?? String(error));
    events.emit("run.error", { code: failure.code, message: failure.message });
  } finally {
    // A run that ends early (interrupted, k6 died) must not leave a timer keeping the process alive.
    follower?.stop();
    progress?.stop();
    await samplers?.stop();
    if (k6) await k6.process.stop(5000);
    if (target) {
      events.emit("target.stop", {});
      await target.stop().catch((error: Error) => log.warn(`stopping the target: ${error.message}`));
    }
    await stopAll();
    clearActiveRun(folder.id);
    removeServiceData(folder.servicesDir);
    await live.close();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }

  phaseQuiet(events, "report");
  const verdict: RunVerdict = failure ? (failure.exitCode === 1 ? "fail" : "could-not-judge") : verdictOf(gates);
  const results = buildResults({
    runId: folder.id,
    scenario: scenario.name,
    profile,
    target: target ? { name: target.name, baseUrl: target.baseUrl } : { name: options.target, baseUrl: "" },
    faults,
    startedAt,
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
  });
  writeReports(folder.dir, results);
  events.emit("run.end", { verdict: results.verdict, exitCode: results.exitCode });
  setLogFile(undefined);
  return { results, runDir: folder.dir, exitCode: results.exitCode };
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
  const key = target.keys?.events;
  if (samplers.redis && key) {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    let backlog = await samplers.redis.llen(key).catch(() => Number.NaN);
    while (backlog > 0 && Date.now() < deadline) {
      await sleep(100);
      backlog = await samplers.redis.llen(key).catch(() => Number.NaN);
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
