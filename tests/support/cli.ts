// Running the real CLI from tests, in a throw-away runs folder.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../../core/paths.ts";
import type { Results } from "../../core/results/results-schema.ts";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every folder tempDir made, for tests/run.ts to remove after a green run (a self-test leaves ~600 MB). */
export const createdTempDirs: string[] = [];

/** A temporary folder others can traverse: PostgreSQL runs as its own user when tests run as root. */
export function tempDir(prefix = "gauntlet-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  createdTempDirs.push(dir);
  return dir;
}

/**
 * Start the CLI. A run that outlives `timeoutMs` is interrupted (SIGINT, then SIGKILL 30 s later)
 * so that one hung run fails its test instead of eating the whole CI budget.
 */
export function startGauntlet(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 10 * 60_000): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(join(REPO_ROOT, "bin", "gauntlet"), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as a shell job is: a test's Ctrl-C goes to the whole group (-pid).
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let timedOut = false;
  const interrupt = setTimeout(() => {
    timedOut = true;
    child.kill("SIGINT");
    setTimeout(() => child.kill("SIGKILL"), 30_000).unref();
  }, timeoutMs);
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code) => {
      clearTimeout(interrupt);
      if (timedOut) stderr += `\n[test] gauntlet ${args.join(" ")} timed out after ${timeoutMs / 1000} s and was interrupted\n`;
      resolve({ code, stdout, stderr });
    }),
  );
  return { child, done };
}

export function gauntlet(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult> {
  return startGauntlet(args, env, timeoutMs).done;
}

/** The results.json of the only (or newest) run in a runs folder. */
export function latestResults(runsDir: string): Results {
  return JSON.parse(readFileSync(join(latestRunDir(runsDir), "results.json"), "utf8")) as Results;
}

/**
 * The newest run: the one runs/latest names (Gauntlet points it at each run it starts). Folder
 * names sort by their second only: a state-faults run refused at once and the flash-crash run
 * started in the same second sort the wrong way round.
 */
export function latestRunDir(runsDir: string): string {
  const link = join(runsDir, "latest");
  if (existsSync(link)) return join(runsDir, readlinkSync(link));
  const runs = readdirSync(runsDir).filter((name) => /^\d{8}-/.test(name)).sort();
  if (runs.length === 0) throw new Error(`no run in ${runsDir}`);
  return join(runsDir, runs[runs.length - 1]!);
}

/**
 * A gauntlet.yaml for short, cheap runs (tests of behaviour, not of performance). 13 s, not 12:
 * the degradation gate compares windows of a quarter of the measured flood (≥ 3 s), and a 12 s
 * flood measures 11.99 s between its first and last sample. P99 ≤ 50 ms: a 13 s flood's P99 on
 * a busy 2-core machine has landed at 16.8 ms even at 300/s (its latency gate's own proof is the
 * self-test matrix); these tests judge the run's flow and files.
 */
export function shortFloodConfig(dir: string, overrides = ""): string {
  const path = join(dir, "gauntlet.yaml");
  writeFileSync(
    path,
    `metricsPort: 0
plugins:
  decision-flood:
    rate: 300
    warmupSeconds: 2
    profiles: { quick: 13, full: 13 }
    thresholds: { minSamples: 2000, p99Ms: 50 }
${overrides}`,
  );
  return path;
}

/** Wait until `predicate` holds, polling; false on timeout. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

export function fileContains(path: string, text: string): boolean {
  return existsSync(path) && readFileSync(path, "utf8").includes(text);
}

/** Processes whose command line mentions `needle` (to prove nothing was left running). */
export function processesMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmd.includes(needle)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** Every pid the run's audit log says it started (services and k6) that is still alive. */
export function survivingRunPids(runDir: string): number[] {
  const path = join(runDir, "events.ndjson");
  if (!existsSync(path)) return [];
  const pids = readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { kind: string; pid?: number })
    .filter((event) => (event.kind === "service.start" || event.kind === "k6.start") && typeof event.pid === "number")
    .map((event) => event.pid!);
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return !readFileSync(`/proc/${pid}/status`, "utf8").includes("State:\tZ");
    } catch {
      return false;
    }
  });
}
