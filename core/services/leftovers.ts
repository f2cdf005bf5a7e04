// When an orchestrator is killed outright (SIGKILL, a lost terminal), its services keep running.
// Each run records its processes in runs/.active/<run-id>.json; the next Gauntlet start stops the
// processes of any run whose orchestrator is gone — checking each pid still runs the same command,
// so a recycled pid is never killed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runsDir } from "../paths.ts";
import { runningProcesses } from "./child-process.ts";

interface ActiveRun {
  runId: string;
  orchestratorPid: number;
  processes: Array<{ name: string; pid: number; command: string }>;
  /** Toxiproxy API of the run, so a later start can remove faults it left behind. */
  toxiproxyUrl?: string;
}

function activeDir(): string {
  return join(runsDir(), ".active");
}

export function recordActiveRun(runId: string, extra: { toxiproxyUrl?: string } = {}): void {
  mkdirSync(activeDir(), { recursive: true });
  const record: ActiveRun = {
    runId,
    orchestratorPid: process.pid,
    processes: runningProcesses().map((p) => ({ name: p.name, pid: p.pid, command: commandLine(p.pid) ?? "" })),
    ...extra,
  };
  writeFileSync(join(activeDir(), `${runId}.json`), JSON.stringify(record, null, 2));
}

export function clearActiveRun(runId: string): void {
  rmSync(join(activeDir(), `${runId}.json`), { force: true });
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
    if (record.orchestratorPid !== process.pid && alive(record.orchestratorPid)) continue;
    if (record.toxiproxyUrl) await removeFaults(record.toxiproxyUrl).catch(() => undefined);
    for (const proc of [...record.processes].reverse()) {
      const current = commandLine(proc.pid);
      if (current && proc.command && current === proc.command) {
        process.kill(proc.pid, "SIGKILL");
        cleaned.push(`${record.runId}: ${proc.name} (pid ${proc.pid})`);
      }
    }
    rmSync(join(dir, file), { force: true });
  }
  return cleaned;
}
