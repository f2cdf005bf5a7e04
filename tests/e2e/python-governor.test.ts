// A governor Gauntlet did not write: the Python example (examples/python-governor, stdlib only)
// behind the minimum target contract. Launched by Gauntlet, it is certified (GO on every scenario
// that applies to it), and the gates it cannot offer are listed as not applicable; its buggy variant
// (exposure that forgets orders in flight) is NO-GO, naming the gate; run by the user, it connects
// to the venue ports Gauntlet prints; `doctor` probes it and prints its coverage.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Certification } from "../../core/certify/certification-schema.ts";
import type { Results } from "../../core/results/results-schema.ts";
import { freePort } from "../../core/process/ports.ts";
import { REPO_ROOT } from "../../core/paths.ts";
import { gauntlet, latestResults, tempDir, waitFor } from "../support/cli.ts";

const GOVERNOR = `python3 ${join(REPO_ROOT, "examples/python-governor/governor.py")}`;
const runs = tempDir();
const env = { GAUNTLET_RUNS_DIR: runs };

async function run(scenario: string, extra: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) {
  const result = await gauntlet(["run", scenario, "--profile", "smoke", "--metrics-port", "0", ...extra], { ...env, ...extraEnv }, 4 * 60_000);
  return { result, results: latestResults(runs) };
}

test("the Python example through --target-cmd: certified on the smoke suite, every scenario that applies GO, the rest listed", async () => {
  // One certification (one session of market and services for the whole suite) instead of five
  // separate runs: the same judgments, a minute of start-up saved. In three lanes: a governor
  // Gauntlet did not write, started once per run on ports of its own, beside its other instances.
  const result = await gauntlet(["certify", "--runs", "1", "--lanes", "3", "--profile", "smoke", "--metrics-port", "0", "--target-cmd", GOVERNOR], env, 8 * 60_000);
  const certDir = readdirSync(runs).filter((name) => name.endsWith("-certify")).sort().pop()!;
  const certification = JSON.parse(readFileSync(join(runs, certDir, "certification.json"), "utf8")) as Certification;
  assert.is(certification.verdict, "CERTIFIED", `${result.stdout.slice(-3000)}\n${result.stderr.slice(-1500)}`);
  assert.is(result.code, 0);
  assert.is(certification.breaches, 0);
  assert.is(certification.lanes, 3);
  assert.equal(certification.runs.map((run) => [run.scenario, run.goNoGo]), [
    ["order-burst", "GO"],
    ["decision-flood", "GO"],
    ["flash-crash", "GO"],
    ["broker-failure", "GO"],
    ["hard-kill", "GO"],
    ["state-faults", "NOT APPLICABLE"],
  ]);
  for (const run of certification.runs.filter((r) => r.scenario !== "state-faults")) {
    const results = JSON.parse(readFileSync(join(run.runDir, "results.json"), "utf8")) as Results;
    assert.is(results.target.name, "command");
    const judged = results.gates.filter((gate) => gate.status !== "not-applicable");
    assert.ok(judged.length >= 5 && judged.every((gate) => gate.status === "pass"), `${run.scenario}: ${JSON.stringify(judged.map((g) => [g.id, g.status]))}`);
    // The minimum contract: what needs a capability it does not declare is listed, never passed.
    assert.ok(run.notApplicable.includes("integrity_state_synced"), `${run.scenario}: ${run.notApplicable.join(", ")}`);
  }
  const flood = certification.runs.find((run) => run.scenario === "decision-flood")!;
  assert.equal([...flood.notApplicable].sort(), ["integrity_state_synced", "memory_growth", "pipeline_latency_p99", "redis_backlog_end", "redis_backlog_max"]);
  assert.match(result.stdout, /CERTIFIED — 1 of 1 consecutive passes/);
  assert.match(result.stdout, /not covered on this target: .*decision-flood\/redis_backlog_max, .*state-faults \(the whole scenario\)/);
});

test("state-faults does not apply to a governor without Redis or PostgreSQL paths: said so, exit 2, nothing driven", async () => {
  const { result, results } = await run("state-faults", ["--target-cmd", GOVERNOR]);
  assert.is(result.code, 2, result.stdout + result.stderr);
  assert.is(results.verdict, "not-applicable");
  assert.is(results.goNoGo, "NOT APPLICABLE");
  assert.match(results.notes.join(" "), /faults the redis and postgres path\(s\), which the command target does not have/);
});

test("the buggy variant (exposure forgets orders in flight) is NO-GO on the flash crash, naming the breached limit", async () => {
  const { result, results } = await run("flash-crash", ["--target-cmd", GOVERNOR], { GOVERNOR_BUG: "in-flight" });
  assert.is(result.code, 1, result.stdout.slice(-2500));
  assert.is(results.goNoGo, "NO-GO");
  const breaches = results.gates.find((gate) => gate.id === "limit_breaches")!;
  assert.is(breaches.status, "fail", breaches.detail);
  assert.match(breaches.detail, /maxPositionNotionalUsd/);
});

test("the buggy variant is NO-GO on the notional probe too: 12 orders in flight carry it past the cap", async () => {
  const { result, results } = await run("limit-notional", ["--target-cmd", GOVERNOR], { GOVERNOR_BUG: "in-flight" });
  assert.is(result.code, 1, result.stdout.slice(-2500));
  assert.is(results.goNoGo, "NO-GO");
  const held = results.gates.find((gate) => gate.id === "notional_cap_held")!;
  assert.is(held.status, "fail", held.detail);
  assert.match(held.detail, /maxPositionNotionalUsd at fill/);
});

test("the same example run by the user: it connects to the venue ports Gauntlet prints, and is judged GO", async () => {
  const port = await freePort();
  const [broker, marketData] = [await freePort(), await freePort()];
  const governor = spawn("python3", [join(REPO_ROOT, "examples/python-governor/governor.py")], {
    env: { ...process.env, GAUNTLET_GOVERNOR_PORT: String(port), GAUNTLET_BROKER_ADDRESS: `127.0.0.1:${broker}`, GAUNTLET_MARKET_DATA_ADDRESS: `127.0.0.1:${marketData}` },
    stdio: "ignore",
  });
  try {
    assert.ok(await waitFor(() => fetch(`http://127.0.0.1:${port}/v1/health`).then((r) => r.ok, () => false), 10_000), "the governor starts");
    const dir = tempDir();
    const config = join(dir, "gauntlet.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(config, `metricsPort: 0\ntarget:\n  url: http://127.0.0.1:${port}\n  venue: { brokerPort: ${broker}, marketDataPort: ${marketData} }\n`);
    const result = await gauntlet(["run", "order-burst", "--config", config], env, 3 * 60_000);
    const results = latestResults(runs);
    assert.match(result.stderr, new RegExp(`venue for your governor: order entry 127\\.0\\.0\\.1:${broker} · market data 127\\.0\\.0\\.1:${marketData}`));
    assert.is(results.target.name, "external");
    assert.is(results.goNoGo, "GO", result.stdout.slice(-2500));
  } finally {
    governor.kill();
  }
});

test("a governor that never connects to the venue: could not judge, naming the address it should use", async () => {
  const port = await freePort();
  // A shadow governor that answers health but never connects anywhere.
  const { createServer } = await import("node:http");
  const server = createServer((_req, res) => res.end(JSON.stringify({ mode: "shadow", paused: false })));
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const dir = tempDir();
  const { writeFileSync } = await import("node:fs");
  const config = join(dir, "gauntlet.yaml");
  const [broker, marketData] = [await freePort(), await freePort()];
  writeFileSync(config, `metricsPort: 0\ntarget:\n  url: http://127.0.0.1:${port}\n  venue: { brokerPort: ${broker}, marketDataPort: ${marketData} }\n  connectTimeoutSeconds: 3\n`);
  try {
    const result = await gauntlet(["run", "order-burst", "--config", config], env, 2 * 60_000);
    assert.is(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`GAUNTLET_TARGET_NOT_CONNECTED — external at http://127\\.0\\.0\\.1:${port} did not connect to the venue within 3 s: order entry 127\\.0\\.0\\.1:${broker} not connected`));
  } finally {
    server.close();
  }
});

test("doctor --target-cmd: every route probed, and the coverage of the minimum contract", async () => {
  const result = await gauntlet(["doctor", "--metrics-port", String(await freePort()), "--target-cmd", GOVERNOR], env, 2 * 60_000);
  assert.is(result.code, 0, result.stdout);
  for (const route of ["GET /v1/health", "venue connection", "POST /v1/admin/reset", "POST /v1/decisions (hold)", "POST /v1/decisions (buy) → venue", "GET /v1/state", "POST /v1/admin/pause"]) {
    assert.match(result.stdout, new RegExp(`ok\\s+${route.replace(/[()/.]/g, "\\$&")}`));
  }
  assert.match(result.stdout, /capabilities: none — the minimum contract/);
  assert.match(result.stdout, /decision-flood: 6 of 10 gates judged/);
  assert.match(result.stdout, /N\/A memory_growth — needs processMetrics; to cover it: capabilities\.processMetrics/);
  assert.match(result.stdout, /state-faults: 0 of 2 gates judged/);
  assert.match(result.stdout, /flash-crash: 4 of 4 gates judged/);
});

test.run();
