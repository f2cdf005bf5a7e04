// A run that cannot be judged ends "could not judge" (exit 2) and leaves nothing behind: k6
// killed mid-run, and the user pressing Ctrl-C. A short judged run writes every report.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { latestResults, latestRunDir, survivingRunPids, shortFloodConfig, startGauntlet, tempDir, waitFor, fileContains } from "../support/cli.ts";

function eventsFile(runs: string): string | undefined {
  try {
    return join(latestRunDir(runs), "events.ndjson");
  } catch {
    return undefined;
  }
}

async function untilK6Starts(runs: string): Promise<boolean> {
  return waitFor(() => {
    const file = eventsFile(runs);
    return file !== undefined && fileContains(file, '"kind":"k6.start"');
  }, 60_000);
}

function k6Pid(runs: string): number {
  const line = readFileSync(eventsFile(runs)!, "utf8").split("\n").find((l) => l.includes('"kind":"k6.start"'))!;
  return (JSON.parse(line) as { pid: number }).pid;
}

test("k6 killed mid-run: could not judge (exit 2, GAUNTLET_K6_FAILED), services stopped", async () => {
  const runs = tempDir();
  const run = startGauntlet(["run", "decision-flood", "--config", shortFloodConfig(tempDir())], { GAUNTLET_RUNS_DIR: runs });
  assert.ok(await untilK6Starts(runs), "k6 should start");
  await new Promise((resolve) => setTimeout(resolve, 4000));
  process.kill(k6Pid(runs), "SIGKILL");
  const result = await run.done;
  assert.is(result.code, 2, result.stdout + result.stderr);
  const results = latestResults(runs);
  assert.is(results.verdict, "could-not-judge");
  assert.is(results.error?.code, "GAUNTLET_K6_FAILED");
  assert.match(results.error!.message, /killed by SIGKILL|exited with/);
  assert.equal(survivingRunPids(latestRunDir(runs)), [], "no service of the run is left running");
});

test("Ctrl-C mid-run: interrupted (exit 2), nothing judged, nothing left running", async () => {
  const runs = tempDir();
  const run = startGauntlet(["run", "decision-flood", "--config", shortFloodConfig(tempDir())], { GAUNTLET_RUNS_DIR: runs });
  assert.ok(await untilK6Starts(runs), "k6 should start");
  await new Promise((resolve) => setTimeout(resolve, 3000));
  run.child.kill("SIGINT");
  const result = await run.done;
  assert.is(result.code, 2, result.stdout + result.stderr);
  const results = latestResults(runs);
  assert.is(results.error?.code, "GAUNTLET_INTERRUPTED");
  assert.equal(results.gates, []);
  assert.equal(survivingRunPids(latestRunDir(runs)), []);
});

test("a short judged run writes results.json, junit.xml, summary.md, report.html and events.ndjson", async () => {
  const runs = tempDir();
  const result = await startGauntlet(["run", "decision-flood", "--config", shortFloodConfig(tempDir())], { GAUNTLET_RUNS_DIR: runs }).done;
  assert.is(result.code, 0, result.stdout + result.stderr);
  const dir = latestRunDir(runs);
  for (const file of ["results.json", "junit.xml", "summary.md", "report.html", "events.ndjson", "k6-output.csv", "k6.log", "plan.json"]) {
    assert.ok(existsSync(join(dir, file)), `${file} exists`);
  }
  const results = latestResults(runs);
  assert.is(results.verdict, "pass");
  assert.ok(results.gates.length >= 10);
  assert.ok(results.gates.every((gate) => gate.status === "pass"));
  const junit = readFileSync(join(dir, "junit.xml"), "utf8");
  assert.match(junit, /<testsuite name="gauntlet.decision-flood" tests="\d+" failures="0" errors="0"/);
  assert.match(result.stdout, /latency_p99/);
  assert.match(result.stdout, /decision-flood \(quick\): PASS · Go\/No-Go GO · exit 0/);
  assert.not.match(readFileSync(join(dir, "events.ndjson"), "utf8"), /postgres:\/\/[^@\s]*:[^@\s]*@/, "no credentials in the audit log");
});

test.run();
