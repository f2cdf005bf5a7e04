// Runs k6 as a child process on a bundled script, with the plan in a file, samples to CSV (µs
// timestamps) and k6's own summary exported for cross-checks. The CSV is written by Gauntlet's
// output extension when this k6 has it (only the samples the post-processor reads, in k6's CSV
// format: see tools/k6/output), else by k6's own CSV output. Only exit codes 0 and 99
// (thresholds crossed) leave a run judgeable; anything else is k6 failing, not the target.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GauntletError } from "../errors.ts";
import { k6ScriptPath } from "../paths.ts";
import { startProcess, waitUntilReady, type ManagedProcess } from "../process/child-process.ts";
import { freePort } from "../process/ports.ts";
import { k6OutputKind, type ResolvedTool } from "../tools/tools.ts";
import { executionSegments, segmentArgs } from "../distributed/execution-segments.ts";

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

/** The environment every k6 Gauntlet starts runs with (the benchmarks and tests use it too). */
export function k6Environment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    K6_CSV_TIME_FORMAT: "unix_micro",
    K6_CSV_SAVE_INTERVAL: "250ms",
    // Never reach out: no usage report, no automatic extension download.
    K6_NO_USAGE_REPORT: "true",
    K6_AUTO_EXTENSION_RESOLUTION: "false",
    // k6 allocates a sample object per metric per request; a lazier GC costs memory (cheap here)
    // and saves CPU the target shares on a small machine. An explicit GOGC from the user wins.
    GOGC: process.env.GOGC ?? "400",
  };
}

export interface K6Run {
  process: ManagedProcess;
  outputPath: string;
  summaryPath: string;
  logPath: string;
}

export function startK6(options: { k6: Pick<ResolvedTool, "path" | "extensions">; script: string; scriptsDir?: string; runDir: string; plan: unknown; extraArgs?: string[] }): K6Run {
  const planPath = join(options.runDir, "plan.json");
  writeFileSync(planPath, JSON.stringify(options.plan, null, 2));
  const outputPath = join(options.runDir, "k6-output.csv");
  const summaryPath = join(options.runDir, "k6-summary.json");
  const logPath = join(options.runDir, "k6.log");
  const process_ = startProcess({
    name: "k6",
    command: options.k6.path,
    args: [
      "run",
      "--no-color",
      "--quiet",
      "--out", `${k6OutputKind(options.k6)}=${outputPath}`,
      "--summary-export", summaryPath,
      "-e", `GAUNTLET_PLAN=${planPath}`,
      ...(options.extraArgs ?? []),
      k6ScriptPath(options.script, options.scriptsDir),
    ],
    logFile: logPath,
    env: k6Environment(),
    stopSignal: "SIGINT",
  });
  return { process: process_, outputPath, summaryPath, logPath };
}

export function k6ExitError(code: number | string, logPath: string): GauntletError {
  const meaning = typeof code === "number" ? K6_EXIT_MEANINGS[code] ?? "unexpected" : `killed by ${code}`;
  const said = lastK6Error(logPath);
  return new GauntletError("GAUNTLET_K6_FAILED", `k6 exited with ${code} (${meaning})${said ? `: ${said}` : ""}; see ${logPath}`);
}

/** The last `level=error` message of a k6 log, unquoted: what k6 itself said went wrong. */
function lastK6Error(logPath: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(logPath, "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n").filter((line) => line.includes("level=error"));
  const message = /msg="((?:[^"\\]|\\.)*)"/.exec(lines.at(-1) ?? "")?.[1];
  return message?.replace(/\\n\\t/g, " ").replace(/\\n/g, " ").replace(/\\"/g, '"').trim();
}

/**
 * One load on N k6 processes (--instances N): instance i runs its execution segment of the same
 * plan, each in its own folder. They start paused, each with its REST API on a private port, and
 * are resumed together once all are up (as k6-operator's starter does), so the segments begin
 * within milliseconds of each other. With N = 1 it is a plain startK6.
 */
export interface K6Fleet {
  runs: K6Run[];
  /** Every instance's exit, once all have exited. */
  exited: Promise<Array<number | string>>;
  stop(graceMs?: number): Promise<void>;
}

export async function startK6Fleet(options: Parameters<typeof startK6>[0], instances: number): Promise<K6Fleet> {
  const fleet = (runs: K6Run[]): K6Fleet => ({
    runs,
    exited: Promise.all(runs.map((run) => run.process.exited)),
    stop: async (graceMs = 5000) => void (await Promise.all(runs.map((run) => run.process.stop(graceMs)))),
  });
  if (instances === 1) return fleet([startK6(options)]);
  const runs: K6Run[] = [];
  const apis: string[] = [];
  try {
    for (const segment of executionSegments(instances)) {
      const runDir = join(options.runDir, "instances", String(segment.instance));
      mkdirSync(runDir, { recursive: true });
      const port = await freePort();
      runs.push(startK6({ ...options, runDir, extraArgs: [...(options.extraArgs ?? []), ...segmentArgs(segment), "--paused", "--address", `127.0.0.1:${port}`] }));
      apis.push(`http://127.0.0.1:${port}/v1/status`);
    }
    for (const [i, api] of apis.entries()) await waitUntilReady(runs[i]!.process, () => fetch(api).then((r) => r.ok), 30_000);
    const resume = JSON.stringify({ data: { type: "status", id: "default", attributes: { paused: false } } });
    const answers = await Promise.all(apis.map((api) => fetch(api, { method: "PATCH", headers: { "content-type": "application/json" }, body: resume })));
    const refused = answers.findIndex((answer) => !answer.ok);
    if (refused >= 0) throw new GauntletError("GAUNTLET_K6_FAILED", `k6 instance ${refused + 1} refused to resume (${answers[refused]!.status}); see ${runs[refused]!.logPath}`);
  } catch (error) {
    await Promise.all(runs.map((run) => run.process.stop(2000)));
    throw error;
  }
  return fleet(runs);
}

/** The fleet's exit as one code: a judgeable one (0, 99) only when every instance's is. */
export function fleetExitCode(codes: ReadonlyArray<number | string>): number | string {
  const bad = codes.find((code) => typeof code !== "number" || !K6_JUDGEABLE_EXIT_CODES.has(code));
  if (bad !== undefined) return bad;
  return codes.includes(99) ? 99 : 0;
}
