// An orchestrator killed outright (SIGKILL) leaves its services running; the next start finds
// them in runs/.active and stops them — and never a process that merely reused a pid.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../core/paths.ts";
import { cleanLeftovers } from "../../core/services/leftovers.ts";
import { tempDir, waitFor } from "../support/cli.ts";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("services of a SIGKILLed orchestrator are stopped by the next start", async () => {
  const runs = tempDir();
  process.env.GAUNTLET_RUNS_DIR = runs;
  const script = join(runs, "doomed.mts");
  writeFileSync(
    script,
    `import { startRedis } from ${JSON.stringify(join(REPO_ROOT, "core/services/redis-server.ts"))};
import { recordActiveRun } from ${JSON.stringify(join(REPO_ROOT, "core/services/leftovers.ts"))};
import { freePort } from ${JSON.stringify(join(REPO_ROOT, "core/process/ports.ts"))};
const redis = await startRedis(${JSON.stringify(join(runs, "redis"))}, await freePort());
recordActiveRun("doomed-run");
console.log("REDIS_PID " + redis.process.pid);
setInterval(() => {}, 1000);
`,
  );
  const child = spawn(process.execPath, ["--import", join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs"), script], {
    env: { ...process.env, GAUNTLET_RUNS_DIR: runs },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  assert.ok(await waitFor(() => /REDIS_PID \d+/.test(out), 20000), "the doomed orchestrator should start Redis");
  const redisPid = Number(/REDIS_PID (\d+)/.exec(out)![1]);
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("close", resolve));
  assert.ok(alive(redisPid), "Redis outlives a SIGKILLed orchestrator");
  assert.ok(existsSync(join(runs, ".active", "doomed-run.json")));

  const cleaned = await cleanLeftovers();
  assert.ok(cleaned.some((line) => line.includes("redis")), cleaned.join("; "));
  assert.ok(await waitFor(() => !alive(redisPid), 5000), "the leftover Redis is stopped");
  assert.equal(readdirSync(join(runs, ".active")), []);
});

test("a SIGKILLed orchestrator's services stop by themselves within seconds (its reaper), no next start needed", async () => {
  const runs = tempDir();
  const script = join(runs, "doomed.mts");
  writeFileSync(
    script,
    `import { startRedis } from ${JSON.stringify(join(REPO_ROOT, "core/services/redis-server.ts"))};
import { recordActiveRun } from ${JSON.stringify(join(REPO_ROOT, "core/services/leftovers.ts"))};
import { ensureReaper } from ${JSON.stringify(join(REPO_ROOT, "core/services/reaper.ts"))};
import { freePort } from ${JSON.stringify(join(REPO_ROOT, "core/process/ports.ts"))};
ensureReaper();
const redis = await startRedis(${JSON.stringify(join(runs, "redis"))}, await freePort());
recordActiveRun("doomed-run");
console.log("REDIS_PID " + redis.process.pid);
setInterval(() => {}, 1000);
`,
  );
  const child = spawn(process.execPath, ["--import", join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs"), script], {
    env: { ...process.env, GAUNTLET_RUNS_DIR: runs },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => (out += chunk.toString()));
  assert.ok(await waitFor(() => /REDIS_PID \d+/.test(out), 20000), "the doomed orchestrator should start Redis");
  const redisPid = Number(/REDIS_PID (\d+)/.exec(out)![1]);
  const killedAt = Date.now();
  child.kill("SIGKILL");
  assert.ok(await waitFor(() => !alive(redisPid), 5000), "Redis is gone within 5 s of its orchestrator's death");
  process.stdout.write(`  reaped after ${Date.now() - killedAt} ms\n`);
});

test("a recorded pid that now runs something else is left alone", async () => {
  const runs = tempDir();
  process.env.GAUNTLET_RUNS_DIR = runs;
  const sleeper = spawn("sleep", ["30"]);
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(runs, ".active"), { recursive: true });
  writeFileSync(
    join(runs, ".active", "old.json"),
    JSON.stringify({ runId: "old", orchestratorPid: 999999, processes: [{ name: "redis", pid: sleeper.pid, command: "/usr/bin/redis-server 127.0.0.1:1234" }] }),
  );
  await cleanLeftovers();
  assert.ok(alive(sleeper.pid!), "a pid whose command differs must not be killed");
  sleeper.kill();
});



test("faults a killed orchestrator left in a shared Toxiproxy are removed at the next start — only Gauntlet's", async () => {
  const { startToxiproxy } = await import("../../core/services/toxiproxy-server.ts");
  const { ToxiproxyApi } = await import("../../core/faults/toxiproxy-api.ts");
  const { requireTool } = await import("../../core/tools/tools.ts");
  const { freePort } = await import("../../core/process/ports.ts");
  const { mkdirSync } = await import("node:fs");
  const runs = tempDir();
  process.env.GAUNTLET_RUNS_DIR = runs;
  // A Toxiproxy the user runs (not a process of the dead run): Gauntlet must clean it, not kill it.
  const shared = await startToxiproxy((await requireTool("toxiproxy")).path, join(runs, "toxi"), await freePort());
  try {
    const api = new ToxiproxyApi(shared.apiUrl);
    await api.populate([{ name: "broker", listen: `127.0.0.1:${await freePort()}`, upstream: "127.0.0.1:9" }]);
    await api.addToxic("broker", { name: "gauntlet-drill-step0.1", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 250 } });
    await api.addToxic("broker", { name: "someone-elses", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 5 } });
    await api.addToxic("broker", { name: "gauntlet-drill-step1.1.cut", type: "latency", stream: "downstream", toxicity: 0, attributes: { latency: 0 } });
    await api.setEnabled("broker", false);
    mkdirSync(join(runs, ".active"), { recursive: true });
    writeFileSync(join(runs, ".active", "killed.json"), JSON.stringify({ runId: "killed", orchestratorPid: 999999, processes: [], toxiproxyUrl: shared.apiUrl }));

    const { clearGauntletFaults } = await import("../../core/faults/clear-faults.ts");
    await cleanLeftovers((url) => clearGauntletFaults(new ToxiproxyApi(url)).then(() => undefined));

    const [proxy] = await api.listProxies();
    assert.is(proxy!.enabled, true, "the proxy Gauntlet cut is enabled again");
    assert.equal(proxy!.toxics.map((t) => t.name), ["someone-elses"], "only Gauntlet's toxics are removed");
    assert.ok(alive(shared.process.pid), "a Toxiproxy that was not the run's own keeps running");
  } finally {
    await shared.process.stop();
  }
});

test.run();
