// A run that cannot be judged ends "could not judge" (exit 2) and leaves nothing behind: k6
// killed mid-run, and the user pressing Ctrl-C. A short judged run writes every report.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { builtinRegistry } from "../../cli/builtin.ts";
import { withTimingRetries } from "../support/attempts.ts";
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

test("Ctrl-C (the whole process group) mid-run: interrupted (exit 2), judged only on what was measured and never a pass, nothing left running", async () => {
  const runs = tempDir();
  const run = startGauntlet(["run", "decision-flood", "--config", shortFloodConfig(tempDir())], { GAUNTLET_RUNS_DIR: runs });
  assert.ok(await untilK6Starts(runs), "k6 should start");
  await new Promise((resolve) => setTimeout(resolve, 3000));
  // As a terminal's Ctrl-C: SIGINT to the whole foreground group, Gauntlet and whatever it started
  // there. k6 and the services run in their own groups, so each is stopped once, by Gauntlet.
  process.kill(-run.child.pid!, "SIGINT");
  const result = await run.done;
  assert.is(result.code, 2, result.stdout + result.stderr);
  const results = latestResults(runs);
  assert.is(results.error?.code, "GAUNTLET_INTERRUPTED", result.stdout);
  assert.is(results.interrupted, true);
  assert.is(results.verdict, "could-not-judge");
  assert.is(results.goNoGo, "NOT JUDGED");
  // Three seconds of load: too few decisions to judge a latency gate, and it says so.
  const p99 = results.gates.find((gate) => gate.id === "latency_p99")!;
  assert.is(p99.status, "no-data", p99.detail);
  assert.match(p99.detail, /only [\d,]+ decisions were measured/);
  assert.equal(survivingRunPids(latestRunDir(runs)), []);
});

test("a short judged run on 2 k6 instances writes results.json, junit.xml, summary.md, report.html and events.ndjson, with one verdict over both", async () => {
  const runs = tempDir();
  // Two k6 processes on execution segments 0:1/2 and 1/2:1 (the single-instance path is every self-test row).
  // Its latency gates are timing on a 2-core VM beside two k6 processes (P95 11.1 ms once, on a
  // busy host): a run that failed on the flood's timing gates alone gets another attempt.
  const timingGates = builtinRegistry().scenario("decision-flood").scenario.timingGates ?? [];
  const result = await withTimingRetries(
    "2-instance decision-flood",
    () => startGauntlet(["run", "decision-flood", "--instances", "2", "--config", shortFloodConfig(tempDir())], { GAUNTLET_RUNS_DIR: runs }).done,
    (outcome) => {
      if (outcome.code !== 1) return undefined;
      const failed = latestResults(runs).gates.filter((gate) => gate.status === "fail");
      return failed.length > 0 && failed.every((gate) => timingGates.includes(gate.id)) ? failed.map((gate) => `${gate.id} ${gate.measured} ${gate.unit}`).join(", ") : undefined;
    },
  );
  assert.is(result.code, 0, result.stdout + result.stderr);
  const dir = latestRunDir(runs);
  for (const file of ["results.json", "junit.xml", "summary.md", "report.html", "events.ndjson", ...[1, 2].flatMap((i) => [`instances/${i}/k6-output.csv`, `instances/${i}/k6-summary.json`, `instances/${i}/k6.log`, `instances/${i}/plan.json`])]) {
    assert.ok(existsSync(join(dir, file)), `${file} exists`);
  }
  const results = latestResults(runs);
  const instances = (results as unknown as { extra: { instances: { count: number; breakdown: Array<{ requests: number; k6: { requests: number } }> } } }).extra.instances;
  assert.is(instances.count, 2);
  const split = instances.breakdown.map((entry) => entry.requests);
  assert.ok(split.every((requests) => requests > 0), `${split}`);
  assert.ok(instances.breakdown.every((entry) => entry.requests === entry.k6.requests), "each instance's output holds what its k6 summary counted");
  const p99 = results.gates.find((gate) => gate.id === "latency_p99")!;
  assert.match(p99.detail, new RegExp(`over all ${split.reduce((a, b) => a + b, 0).toLocaleString("en-US")} decisions`), "the gate counts both instances' decisions");
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
