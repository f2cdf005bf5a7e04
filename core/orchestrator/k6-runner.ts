// Runs k6 as a child process on a bundled script, with the plan in a file, samples to CSV (µs
// timestamps) and k6's own summary exported for cross-checks. Only exit codes 0 and 99
// (thresholds crossed) leave a run judgeable; anything else is k6 failing, not the target.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { GauntletError } from "../errors.ts";
import { k6ScriptPath } from "../paths.ts";
import { startProcess, type ManagedProcess } from "../services/child-process.ts";

export const K6_JUDGEABLE_EXIT_CODES = new Set([0, 99]);

/** k6's documented exit codes, for messages. */
export const K6_EXIT_MEANINGS: Record<number, string> = {
  0: "ok",
  99: "thresholds crossed",
  100: "setup timed out",
  101: "teardown timed out",
  104: "invalid configuration",
  105: "stopped externally (SIGINT/SIGTERM)",
  107: "script exception",
  108: "script aborted (test.abort)",
  110: "marked as failed",
};

export interface K6Run {
  process: ManagedProcess;
  outputPath: string;
  summaryPath: string;
  logPath: string;
}

export function startK6(options: { k6: string; script: string; runDir: string; plan: unknown; extraArgs?: string[] }): K6Run {
  const planPath = join(options.runDir, "plan.json");
  writeFileSync(planPath, JSON.stringify(options.plan, null, 2));
  const outputPath = join(options.runDir, "k6-output.csv");
  const summaryPath = join(options.runDir, "k6-summary.json");
  const logPath = join(options.runDir, "k6.log");
  const process_ = startProcess({
    name: "k6",
    command: options.k6,
    args: [
      "run",
      "--no-color",
      "--quiet",
      "--out", `csv=${outputPath}`,
      "--summary-export", summaryPath,
      "-e", `GAUNTLET_PLAN=${planPath}`,
      ...(options.extraArgs ?? []),
      k6ScriptPath(options.script),
    ],
    logFile: logPath,
    env: {
      ...process.env,
      K6_CSV_TIME_FORMAT: "unix_micro",
      K6_CSV_SAVE_INTERVAL: "250ms",
      // Never reach out: no usage report, no automatic extension download.
      K6_NO_USAGE_REPORT: "true",
      K6_AUTO_EXTENSION_RESOLUTION: "false",
      // k6 allocates a sample object per metric per request; a lazier GC costs memory (cheap here)
      // and saves CPU the target shares on a small machine. An explicit GOGC from the user wins.
      GOGC: process.env.GOGC ?? "400",
    },
    stopSignal: "SIGINT",
  });
  return { process: process_, outputPath, summaryPath, logPath };
}

export function k6ExitError(code: number | string, logPath: string): GauntletError {
  const meaning = typeof code === "number" ? K6_EXIT_MEANINGS[code] ?? "unexpected" : `killed by ${code}`;
  return new GauntletError("GAUNTLET_K6_FAILED", `k6 exited with ${code} (${meaning}); see ${logPath}`);
}
