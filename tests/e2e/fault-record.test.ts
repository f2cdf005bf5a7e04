// One fault record from the profile to the report: a profile a scenario names is validated before
// anything starts; while a toxic is applied in a real run, gauntlet_active_faults says so on the
// live endpoint; results.json carries the timeline of what was applied and removed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../core/process/ports.ts";
import { gauntlet, latestResults, startGauntlet, tempDir, waitFor } from "../support/cli.ts";

test("a scenario naming an unknown fault profile fails before anything starts (exit 2)", async () => {
  const runs = tempDir();
  const started = Date.now();
  const result = await gauntlet(["run", "broker-failure", "--set", "broker-failure.profile=broker-outage-typo", "--metrics-port", "0"], { GAUNTLET_RUNS_DIR: runs });
  assert.is(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /GAUNTLET_USAGE — no fault profile "broker-outage-typo"/);
  assert.match(result.stderr, /known: .*broker-outage-10s/);
  assert.equal(readdirSync(runs).filter((name) => /^\d{8}-/.test(name)), [], "no run folder: nothing was provisioned");
  assert.ok(Date.now() - started < 20_000, "refused before any load");
});

test("gauntlet_active_faults is non-zero while a toxic is applied; results.json keeps the timeline", async () => {
  const dir = tempDir();
  const runs = tempDir();
  const profile = join(dir, "broker-slow.yaml");
  writeFileSync(profile, `name: broker-slow\ndescription: 40 ms on the broker link for 4 s\nsteps:\n  - proxy: broker\n    at: 2\n    duration: 4\n    toxic: { type: latency, attributes: { latency: 40 } }\n`);
  const port = await freePort();
  const run = startGauntlet(
    [
      "run", "state-faults", "--metrics-port", String(port),
      "--set", "state-faults.rate=50", "--set", "state-faults.durationSeconds=9",
      "--set", `state-faults.profiles=[{"profile":"${profile}","startS":0}]`,
    ],
    { GAUNTLET_RUNS_DIR: runs },
    180_000,
  );
  const scrape = () => fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()).catch(() => "");
  const applied = await waitFor(async () => /gauntlet_active_faults\{proxy="broker",fault="latency"\} 1\b/.test(await scrape()), 60_000);
  const removed = await waitFor(async () => /gauntlet_active_faults\{proxy="broker",fault="latency"\} 0\b/.test(await scrape()), 30_000);
  const result = await run.done;
  assert.ok(applied, "the gauge showed the applied toxic during the run");
  assert.ok(removed, "the gauge went back to 0 when it was removed");
  const results = latestResults(runs);
  assert.equal(results.seededFaults, []);
  assert.is(results.faultTimeline.length, 1, result.stdout);
  const record = results.faultTimeline[0]!;
  assert.equal([record.id, record.proxy, record.fault, record.removal], ["broker-slow/step0.1", "broker", "latency", "scheduled"]);
  assert.match(record.description, /latency toxic: latency 40 ms/);
  const since = (ms: number) => (ms - results.driveStartedAt!) / 1000;
  assert.ok(Math.abs(since(record.appliedAt) - 2) < 0.5 && Math.abs(since(record.removedAt!) - 6) < 0.5, `applied at ${since(record.appliedAt)} s, removed at ${since(record.removedAt!)} s`);
});

test.run();
