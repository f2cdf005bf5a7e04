// When an orchestrator is killed outright (SIGKILL, a CI timeout, a lost terminal), its services
// would keep running — k6 loading the governor, Toxiproxy holding its faults. Each run records its
// processes in runs/.active/<run-id>.json (and their pids, plainly, in <run-id>.<orchestrator
// pid>.pids); a reaper started with the orchestrator kills them within a second of its death
// (reaper.ts), and the next Gauntlet start stops whatever is still left — checking each pid still
// runs the same command, so a recycled pid is never killed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runsDir } from "../paths.ts";
import { runningProcesses } from "../process/child-process.ts";

interface ActiveRun {
  runId: string;
  orchestratorPid: number;
  processes: Array<{ name: string; pid: number; command: string }>;
  /** Toxiproxy API of the run, so a later start can remove faults it left behind. */
  toxiproxyUrl?: string;
}

export function activeDir(): string {
  return join(runsDir(), ".active");
}

/** Records this process wrote and still owns (a session's outlives each of its runs). */
const ownRecords = new Set<string>();

export function recordActiveRun(runId: string, extra: { toxiproxyUrl?: string } = {}): void {
  ownRecords.add(runId);
  mkdirSync(activeDir(), { recursive: true });
  const record: ActiveRun = {
    runId,
    orchestratorPid: process.pid,
    processes: runningProcesses().map((p) => ({ name: p.name, pid: p.pid, command: commandLine(p.pid) ?? "" })),
    ...extra,
  };
  writeFileSync(join(activeDir(), `${runId}.json`), JSON.stringify(record, null, 2));
  writeFileSync(pidsFile(runId), record.processes.map((p) => `${p.pid}\n`).join(""));
}

/** The reaper's view of a record: pids only, one a line, named by the orchestrator's pid. */
export function pidsFile(runId: string, orchestratorPid = process.pid): string {
  return join(activeDir(), `${runId}.${orchestratorPid}.pids`);
}

export function clearActiveRun(runId: string): void {
  ownRecords.delete(runId);
  rmSync(join(activeDir(), `${runId}.json`), { force: true });
  rmSync(pidsFile(runId), { force: true });
}

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stop what dead orchestrators left running. Returns what was cleaned, for the log. */
export async function cleanLeftovers(
  removeFaults: (toxiproxyUrl: string) => Promise<void> = async () => undefined,
): Promise<string[]> {
  const dir = activeDir();
  if (!existsSync(dir)) return [];
  const cleaned: string[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".json"))) {
    let record: ActiveRun;
    try {
      record = JSON.parse(readFileSync(join(dir, file), "utf8")) as ActiveRun;
    } catch {
      rmSync(join(dir, file), { force: true });
      continue;
    }
    // Another live orchestrator's, or this one's own: not leftovers. (A record with this pid that
    // this process did not write is a dead process's whose pid was recycled.)
    if (ownRecords.has(record.runId) || (record.orchestratorPid !== process.pid && alive(record.orchestratorPid))) continue;
    if (record.toxiproxyUrl) await removeFaults(record.toxiproxyUrl).catch(() => undefined);
    for (const proc of [...record.processes].reverse()) {
      const current = commandLine(proc.pid);
      if (current && proc.command && current === proc.command) {
        process.kill(proc.pid, "SIGKILL");
        cleaned.push(`${record.runId}: ${proc.name} (pid ${proc.pid})`);
      }
    }
    rmSync(join(dir, file), { force: true });
    rmSync(pidsFile(record.runId, record.orchestratorPid), { force: true });
  }
  return cleaned;
}
