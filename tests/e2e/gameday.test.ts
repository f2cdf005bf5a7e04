// A game day end to end: the abort-drill plan halts trading with a double fault, the pause
// outlasts its 5 s allowance, Gauntlet aborts, rolls every fault back and proves Toxiproxy clean.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gauntlet, latestResults, latestRunDir, survivingRunPids, tempDir } from "../support/cli.ts";

test("gameday abort-drill: aborted on the pause rule, rolled back, nothing left in Toxiproxy", async () => {
  const runs = tempDir();
  // gamedays/abort-drill.yaml, shortened: 5 s of jitter instead of 60, then the smoke double fault.
  const dir = tempDir();
  const jitter = join(dir, "broker-jitter-5s.yaml");
  writeFileSync(jitter, "name: broker-jitter-5s\ndescription: The broker's replies 30 ms late, give or take 8 ms, for five seconds (a short warm-up phase).\nsteps:\n  - { proxy: broker, at: 0, duration: 5, toxic: { type: latency, attributes: { latency: 30, jitter: 8 } } }\n");
  const drill = readFileSync(join(import.meta.dirname, "../../gamedays/abort-drill.yaml"), "utf8").replace("profile: broker-jitter-30ms", `profile: ${jitter}`).replace("profile: double-fault\n", "profile: double-fault-smoke\n");
  const plan = join(dir, "abort-drill.yaml");
  writeFileSync(plan, drill);
  const result = await gauntlet(["gameday", plan, "--metrics-port", "0"], { GAUNTLET_RUNS_DIR: runs }, 15 * 60_000);
  assert.is(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /phase \d\/2 .* faults: /, "live progress names the phase and the active faults");
  const results = latestResults(runs);
  const gate = (id: string) => results.gates.find((g) => g.id === id)!;
  assert.is(gate("gameday_completed").status, "fail");
  assert.match(gate("gameday_completed").detail, /aborted in phase 2 \(.*double-fault-smoke\): the critical pause has been up for/);
  assert.is(gate("faults_rolled_back").status, "pass");
  assert.match(gate("faults_rolled_back").detail, /4 proxies, 4 enabled, 0 toxics/);
  const events = readFileSync(join(latestRunDir(runs), "events.ndjson"), "utf8");
  assert.match(events, /"kind":"gameday.abort"/);
  const ends = events.split("\n").filter((line) => line.includes('"kind":"fault.profile.end"')).map((line) => JSON.parse(line) as { profile: string; outcome: string; left: string[] });
  assert.equal(ends.map((e) => [e.profile, e.outcome, e.left.length]), [["broker-jitter-5s", "completed", 0], ["double-fault-smoke", "aborted", 0]]);
  assert.equal(survivingRunPids(latestRunDir(runs)), []);
});

test.run();
