// The self-test matrix: every gate has been seen to fail. For each scenario, the correct sandbox
// governor must pass every gate, and each seeded fault must make the gates it targets fail (by
// gate id in the verdict, not merely a non-zero exit).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "../plugins/registry.ts";
import { runScenario, type RunOutcome } from "../orchestrator/run-scenario.ts";
import type { Reporter } from "../orchestrator/run-results.ts";
import { openRunSession, type RunSession } from "../orchestrator/run-session.ts";
import { withRunScope } from "../run-scope.ts";
import { waitForQuietMachine } from "../process/quiet-machine.ts";
import { sleep } from "../process/child-process.ts";
import { log } from "../log.ts";
import { runsDir } from "../paths.ts";
import { build, type Build } from "../provenance.ts";
import { formatNumber, type GateResult } from "../gates/gate.ts";

export interface SelftestOutcome {
  scenario: string;
  /** The seeded fault switched on, or "none" for the correct governor. */
  seededFault: string;
  /** The profile the row ran on. */
  profile: string;
  expected: string;
  failedGates: string[];
  noDataGates: string[];
  ok: boolean;
  runDir: string;
  verdict: string;
  /** The attempts before the one recorded, when they were not as expected (see runRow). */
  earlierAttempts?: string[];
}

export interface SelftestOptions {
  registry: Registry;
  scenarios?: string[];
  seededFaults?: string[];
  /** Live metrics port of the rows run alone; lane k serves on port + k (0: none). */
  metricsPort: number;
  reporters?: readonly Reporter[];
  profile?: string;
  /**
   * How many rows run side by side (default 1), each lane on its own services. A row whose verdict
   * hangs on a timing gate (ScenarioDefinition.timingGates) never runs in these lanes: the correct
   * governor of a scenario that has any, and a seeded fault that must trip one, run alone — beside
   * one other such row when both loads are light (RowJob.paired). The rest — gates that count
   * fills, orders, positions — share the machine.
   */
  lanes?: number;
}

/** Attempts a row gets before it is called not as expected (see runRow). */
const MAX_ATTEMPTS = 3;
/** The rest before the further attempts of rows run alone (see runSelftest). */
const COOL_DOWN_MS = 60_000;

export interface RowJob {
  index: number;
  scenario: string;
  seededFault: string;
  mustFail: readonly string[];
  profile: string;
  alone: boolean;
  /**
   * A row run alone whose scenario's load is light (not `runsAlone`: 50–100 decisions/s): it runs
   * beside one other such row, both started together on a settled machine. Its timing gates keep
   * their margin (a correct flash crash's P99 2.2 ms alone, about 4 ms in a pair, against 15 ms);
   * the flood's rows, whose load takes a core, run with nothing beside them.
   */
  paired: boolean;
}

export async function runSelftest(options: SelftestOptions): Promise<SelftestOutcome[]> {
  const jobs = planMatrix(options);
  const rows: SelftestOutcome[] = [];
  // Each row's last attempt, described as an earlier one is: a row run alone carries it into its
  // further attempts.
  const lastAttempts: string[] = [];
  // One set of services per lane (the market, the sandbox's Redis and PostgreSQL), reset between
  // rows: each row pays only for its governor and k6. A row whose run throws (a service that would
  // not start, say) is one failed attempt of that row; the lane then opens fresh services, so one
  // broken lane never loses the rest of the matrix.
  const laneServices = (label: string): SessionAccess & { close(): Promise<void> } => {
    let session: RunSession | undefined;
    return {
      open: async () => (session ??= await openRunSession({ registry: options.registry, target: "sandbox", label })),
      drop: async () => {
        const broken = session;
        session = undefined;
        await broken?.close().catch((error: Error) => log.warn(`closing ${label}'s services: ${error.message}`));
      },
      close: async () => session?.close(),
    };
  };
  type QueuedRow = { job: RowJob; before: string[]; attempts: number };
  const runQueued = async (next: QueuedRow, access: SessionAccess, metricsPort: number, settle?: Settle) => {
    const { row, lastAttempt } = await runRow(next.job, access, { ...options, metricsPort }, next.before, next.attempts, settle);
    rows[next.job.index] = row;
    lastAttempts[next.job.index] = lastAttempt;
  };
  const lane = async (label: string, queue: QueuedRow[], metricsPort: number) => {
    const access = laneServices(label);
    try {
      for (let next = queue.shift(); next; next = queue.shift()) await runQueued(next, access, metricsPort);
    } finally {
      await access.close();
    }
  };
  // Lanes side by side: lane k serves live metrics on port + k and prefixes its log lines.
  const lanePort = (k: number) => (options.metricsPort === 0 ? 0 : options.metricsPort + k);
  const inLane = (name: string, k: number, work: () => Promise<void>) => withRunScope(work, { logPrefix: `[${name} ${k + 1}] ` });
  // Two lanes in step: each pair of rows starts together (so neither waits for the other's load to
  // settle) and the next pair starts when both have finished.
  const pairs = async (queue: QueuedRow[]) => {
    const accesses = [laneServices("selftest-pair1"), laneServices("selftest-pair2")];
    try {
      for (let batch = queue.splice(0, 2); batch.length > 0; batch = queue.splice(0, 2)) {
        const settle = startTogether(batch.length);
        throwFirstRejection(await Promise.allSettled(batch.map((next, k) => inLane("pair", k, () => runQueued(next, accesses[k]!, lanePort(k), settle)))));
      }
    } finally {
      await Promise.all(accesses.map((access) => access.close()));
    }
  };
  // The rows a timing gate decides run alone, once each first. A host's noisy spell lasts minutes
  // (a correct governor's 60 s flood read P99 21.3, 19.7 and 18+ ms back to back in one CI run, and
  // 9–12 ms on the same machine half an hour later), so one that was not as expected gets its
  // further attempts after the rest of the matrix, not straight away.
  const alone = jobs.filter((job) => job.alone);
  const single = alone.filter((job) => !job.paired);
  if (single.length > 0) await lane("selftest", single.map((job) => ({ job, before: [], attempts: 1 })), options.metricsPort);
  const paired = alone.filter((job) => job.paired);
  if (paired.length > 0) {
    log.info(`\n${paired.length} rows a timing gate decides on a light load: two at a time, started together`);
    await pairs(paired.map((job) => ({ job, before: [], attempts: 1 })));
  }
  const shared = jobs.filter((job) => !job.alone);
  const lanes = Math.max(1, Math.min(options.lanes ?? 1, shared.length));
  if (shared.length > 0) {
    if (lanes > 1) log.info(`\n${shared.length} rows no timing gate decides: ${lanes} at a time, each lane on its own services`);
    const queue = shared.map((job) => ({ job, before: [], attempts: MAX_ATTEMPTS }));
    // Every lane runs to its end before an error is raised: none is left with its services up.
    const inSharedLane = (k: number) => () => lane(`selftest-lane${k + 1}`, queue, lanePort(k));
    throwFirstRejection(await Promise.allSettled(Array.from({ length: lanes }, (_, k) => (lanes > 1 ? inLane("lane", k, inSharedLane(k)) : withRunScope(inSharedLane(k))))));
  }
  const again = alone.filter((job) => rows[job.index] && !rows[job.index]!.ok);
  if (again.length > 0) {
    // A rest first: the shared lanes just held both cores, and this VM reads slower for a minute or
    // two after such work (a flood right after the suite: median 0.56 ms; 90 s later: 0.46 ms).
    log.info(`\n${again.length} row(s) run alone were not as expected on their first attempt: their further attempts, after ${COOL_DOWN_MS / 1000} s of rest`);
    await sleep(COOL_DOWN_MS);
    await lane("selftest-again", again.map((job) => ({ job, before: [lastAttempts[job.index]!], attempts: MAX_ATTEMPTS - 1 })), options.metricsPort);
  }
  const done = rows.filter(Boolean);
  const record: SelftestRecord = { gauntlet: build(), at: new Date().toISOString(), profile: options.profile, lanes, rows: done };
  writeFileSync(join(runsDir(), "selftest-latest.json"), JSON.stringify(record, null, 2));
  return done;
}

/** The matrix in its order: per scenario, the correct governor first, then each seeded fault. */
export function planMatrix(options: Pick<SelftestOptions, "registry" | "scenarios" | "seededFaults" | "profile">): RowJob[] {
  const names = options.scenarios?.length ? options.scenarios : [...options.registry.scenarios.keys()];
  return names.flatMap((name) => {
    const { scenario } = options.registry.scenario(name);
    // The correct governor on its own profile where the scenario names one.
    const cases = [{ seededFault: "none", mustFail: [] as readonly string[], profile: scenario.correctGovernorProfile }, ...(scenario.selftest ?? [])];
    return cases
      .filter((c) => !options.seededFaults?.length || options.seededFaults.includes(c.seededFault))
      .map((c) => ({
        scenario: name,
        seededFault: c.seededFault,
        mustFail: c.mustFail,
        // A profile asked for (smoke, in CI) where the scenario has it; else the self-test's own.
        profile: c.profile ?? (options.profile && scenario.profiles.includes(options.profile) ? options.profile : (scenario.selftestProfile ?? scenario.defaultProfile)),
        alone:
          scenario.runsAlone === true ||
          (c.seededFault === "none" ? (scenario.timingGates?.length ?? 0) > 0 : c.mustFail.some((gate) => scenario.timingGates?.includes(gate))),
      }))
      .map((job) => ({ ...job, paired: job.alone && scenario.runsAlone !== true }));
  }).map((job, index) => ({ ...job, index }));
}

/** Every lane has ended (none is left with its services up): now raise the first error, if any. */
function throwFirstRejection(settled: ReadonlyArray<PromiseSettledResult<unknown>>): void {
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) throw failed.reason;
}

/** A lane's services, opened on first use and started afresh after a run that broke them. */
interface SessionAccess {
  open(): Promise<RunSession>;
  drop(): Promise<void>;
}

/** Waits until a row run alone may start its load. */
type Settle = typeof waitForQuietMachine;

/**
 * The two rows of a pair start together: each opens its services, and once both have, one wait for
 * a quiet machine releases both. Each waiting alone, the first to start made the other's machine
 * busy, and it waited for the whole of the first's run (23 s of a 25 s row in CI).
 */
function startTogether(parties: number): Settle {
  let arrived = 0;
  let allArrived!: () => void;
  const settled = new Promise<void>((resolve) => (allArrived = resolve)).then(() => waitForQuietMachine());
  return () => {
    if (++arrived === parties) allArrived();
    return settled;
  };
}

/** Up to `attempts` runs of one row, after the attempts `before` it made earlier. */
async function runRow(job: RowJob, session: SessionAccess, options: SelftestOptions, before: readonly string[], attempts: number, settle: Settle = waitForQuietMachine): Promise<{ row: SelftestOutcome; lastAttempt: string }> {
  const name = job.scenario;
  log.info(`\n=== selftest ${name}: ${job.seededFault === "none" ? "correct governor" : `fault ${job.seededFault}`} (${job.profile})${before.length ? `, attempt ${before.length + 1}` : ""} ===`);
  const run = async (): Promise<RunOutcome | { thrown: string }> => {
    if (job.alone) {
      // A row a timing gate decides starts on a settled machine (see quiet-machine.ts), its lane's
      // services already up.
      await session.open().catch(() => undefined);
      const quiet = await settle();
      const idle = quiet.idleShare === undefined ? "idle share unknown" : `${Math.round(quiet.idleShare * 100)} % idle`;
      log.info(`machine ${quiet.settled ? "settled" : "still busy, running all the same"}: ${idle} after ${(quiet.waitedMs / 1000).toFixed(1)} s`);
    }
    try {
      const outcome = await runScenario({
        registry: options.registry,
        scenario: name,
        profile: job.profile,
        target: "sandbox",
        seededFaults: job.seededFault === "none" ? [] : [job.seededFault],
        metricsPort: options.metricsPort,
        reporters: options.reporters,
        session: await session.open(),
      });
      // Could not judge is never as expected; if the lane's services are what broke, the next
      // attempt must not inherit them.
      if (outcome.results.exitCode === 2) await session.drop();
      return outcome;
    } catch (error) {
      const thrown = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
      log.warn(`selftest ${name} / ${job.seededFault}: the run could not be carried out (${thrown}); the lane's services are started afresh`);
      await session.drop();
      return { thrown };
    }
  };
  const failedGatesOf = (outcome: RunOutcome) => outcome.results.gates.filter((g) => g.status === "fail").map((g) => g.id);
  const asExpected = (outcome: RunOutcome | { thrown: string }) => {
    if ("thrown" in outcome) return false;
    return job.seededFault === "none" ? outcome.results.verdict === "pass" : outcome.results.exitCode !== 2 && job.mustFail.every((id) => failedGatesOf(outcome).includes(id));
  };
  const describe = (outcome: RunOutcome | { thrown: string }) =>
    "thrown" in outcome ? `could not run: ${outcome.thrown}` : `${outcome.results.verdict}: ${describeFailures(outcome.results.gates)} (${outcome.runDir})`;
  // A row not as expected runs again, up to three attempts in all, and the table says so. On this
  // shared 2-core machine (a VM whose host is busy at times) a correct governor's P99 over a 60 s
  // flood has read 9.4 ms in one run and 15.6 ms in another; a history-scan governor already
  // saturated in its first window (P50 38 ms at t = 0 s) once showed no first-to-last degradation.
  // A real bug, or a fault that cannot trip its gate, is not as expected every time; every failed
  // attempt stays in the row.
  const earlierAttempts = [...before];
  let outcome = await run();
  for (let made = 1; !asExpected(outcome) && made < attempts; made++) {
    const attempt = describe(outcome);
    earlierAttempts.push(attempt);
    log.warn(`selftest ${name} / ${job.seededFault}: attempt ${earlierAttempts.length} was not as expected (${attempt}); running it again`);
    outcome = await run();
  }
  const gates = "thrown" in outcome ? [] : outcome.results.gates;
  const failedGates = "thrown" in outcome ? [] : failedGatesOf(outcome);
  const noDataGates = gates.filter((g) => g.status === "no-data").map((g) => g.id);
  const ok = asExpected(outcome);
  // A row run alone gets its further attempts after the rest of the matrix: not its verdict yet.
  const verdictLater = !ok && earlierAttempts.length + 1 < MAX_ATTEMPTS;
  log.info(`selftest ${name} / ${job.seededFault}: ${ok ? "OK" : verdictLater ? "not as expected yet, attempted again after the rest of the matrix" : "NOT AS EXPECTED"} (${"thrown" in outcome ? describe(outcome) : `failed: ${failedGates.join(", ") || "none"}`})${earlierAttempts.length ? ` on attempt ${earlierAttempts.length + 1}; before: ${earlierAttempts.join("; ")}` : ""}`);
  const row: SelftestOutcome = {
    scenario: name,
    seededFault: job.seededFault,
    profile: job.profile,
    expected: job.seededFault === "none" ? "all gates pass" : `fails ${job.mustFail.join(", ")}`,
    failedGates,
    noDataGates,
    ok,
    runDir: "thrown" in outcome ? "" : outcome.runDir,
    verdict: "thrown" in outcome ? describe(outcome) : outcome.results.error ? `${outcome.results.verdict} (${outcome.results.error.code})` : outcome.results.verdict,
    ...(earlierAttempts.length ? { earlierAttempts } : {}),
  };
  return { row, lastAttempt: describe(outcome) };
}

function describeFailures(gates: readonly GateResult[]): string {
  const failed = gates.filter((gate) => gate.status !== "pass" && gate.status !== "not-applicable");
  return failed.map((gate) => `${gate.id} ${gate.status}${gate.measured === null ? "" : ` ${formatNumber(gate.measured)} ${gate.unit}`}`).join(", ") || "no gate failed";
}

/** runs/selftest-latest.json: the matrix's last outcome, with the build it proved. */
export interface SelftestRecord {
  gauntlet: Build;
  at: string;
  profile: string | undefined;
  /** Rows run side by side (1: one at a time). */
  lanes: number;
  rows: SelftestOutcome[];
}

/** The last self-test's summary, if it proved this very commit (a certification reports it). */
export function readLatestSelftest(commit: string): { commit: string; rows: number; asExpected: number; at: string } | undefined {
  const path = join(runsDir(), "selftest-latest.json");
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as SelftestRecord;
    if (record.gauntlet?.commit !== commit || record.gauntlet.dirty) return undefined;
    return { commit, rows: record.rows.length, asExpected: record.rows.filter((row) => row.ok).length, at: record.at };
  } catch {
    return undefined;
  }
}

export function selftestTable(rows: SelftestOutcome[]): string {
  const header = ["ok", "scenario", "profile", "seeded fault", "expected", "gates that failed", "verdict"];
  const body = rows.map((r) => [r.ok ? "✓" : "✗", r.scenario, r.profile, r.seededFault, r.expected, r.failedGates.join(", ") || "—", r.earlierAttempts ? `${r.verdict} (attempt ${r.earlierAttempts.length + 1})` : r.verdict]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  return all.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
}
