// Starting and stopping the processes a run owns (Redis, PostgreSQL, toxiproxy-server, the
// sandbox, k6). Every child is tracked so that an error, Ctrl-C or a normal end stops all of
// them; their pids are also written to the run folder so a later start can clean up after an
// orchestrator that was killed outright (see core/services/leftovers.ts).
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { closeSync, fchownSync, openSync } from "node:fs";
import { GauntletError } from "../errors.ts";
import { log } from "../log.ts";
import { currentRunScope } from "../run-scope.ts";

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ManagedProcess>();

export function runningProcesses(): ManagedProcess[] {
  return [...running];
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Signal for a graceful stop; PostgreSQL prefers SIGINT (fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** Run as another user (root only): PostgreSQL refuses to run as root. */
  uid?: number;
  gid?: number;
}

export function startProcess(options: StartOptions): ManagedProcess {
  const fd = openSync(options.logFile, "a");
  if (options.uid !== undefined) fchownSync(fd, options.uid, options.gid ?? options.uid);
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", fd, fd],
    // Its own process group: a terminal's Ctrl-C signals the whole foreground group, and k6 signalled
    // twice (by the terminal, then by our graceful stop) aborts mid-write, the governor and services
    // die before the integrity check reads them. Gauntlet alone takes the signal and stops each once,
    // in order; a Gauntlet killed outright leaves them to its reaper.
    detached: true,
    uid: options.uid,
    gid: options.gid,
  };
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, spawnOptions);
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) {
    throw new GauntletError("GAUNTLET_SERVICE_START_FAILED", `${options.name}: could not start ${options.command}`);
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.once("error", (error) => {
      log.debug(`${options.name}: ${error.message}`);
      resolve("spawn-error");
    });
  });
  const managed: ManagedProcess = {
    name: options.name,
    pid: child.pid,
    child,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(options.stopSignal ?? "SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      running.delete(managed);
    },
  };
  running.add(managed);
  const scope = currentRunScope();
  scope?.processes.add(managed);
  void exited.then(() => {
    running.delete(managed);
    scope?.processes.delete(managed);
  });
  log.debug(`started ${options.name} (pid ${child.pid}): ${options.command} ${options.args.join(" ")}`);
  return managed;
}

/**
 * Poll `probe` until it returns true. Fails fast when the process exits first, naming its log.
 */
export async function waitUntilReady(
  managed: ManagedProcess,
  probe: () => Promise<boolean>,
  timeoutMs = 15000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: number | string | undefined;
  void managed.exited.then((code) => (ended = code));
  while (Date.now() < deadline) {
    if (ended !== undefined) {
      throw new GauntletError(
        "GAUNTLET_SERVICE_START_FAILED",
        `${managed.name} exited (${ended}) before it was ready; see ${managed.logFile}`,
      );
    }
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  throw new GauntletError(
    "GAUNTLET_SERVICE_START_FAILED",
    `${managed.name} was not ready after ${timeoutMs} ms; see ${managed.logFile}`,
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sleep, or return early (without throwing) when `signal` aborts: for drills that must stop at once. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** Run a command to completion, capturing output; used for initdb, go build, apt-get. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, uid: options.uid, gid: options.gid });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs) : undefined;
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: stderr + error.message });
    });
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
