// `gauntlet toxics` through the real CLI: check (exit 0 / exit 2 naming file, line, step, field),
// apply --dry-run (prints the timeline, touches nothing), a real apply stopped with Ctrl-C (every
// fault removed) and clear (only Gauntlet's toxics).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ToxiproxyApi } from "../../core/faults/toxiproxy-api.ts";
import { REPO_ROOT } from "../../core/paths.ts";
import { freePort } from "../../core/process/ports.ts";
import { startToxiproxy, type ToxiproxyInstance } from "../../core/services/toxiproxy-server.ts";
import { requireTool } from "../../core/tools/tools.ts";
import { gauntlet, startGauntlet, tempDir, waitFor } from "../support/cli.ts";

const runs = tempDir();
const env = { GAUNTLET_RUNS_DIR: runs };
const fixture = (name: string) => join(REPO_ROOT, "tests/fixtures/toxics", name);
let toxiproxy: ToxiproxyInstance | undefined;

test.after(async () => {
  await toxiproxy?.process.stop();
});

test("toxics check: a shipped profile by name passes with exit 0", async () => {
  const result = await gauntlet(["toxics", "check", "broker-drop-10s"], env);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /ok {2}toxics\/broker-drop-10s\.yaml: 1 step\(s\), 2 fault\(s\), span 60 s/);
});

test("toxics check: a bad profile exits 2 with the code, file:line, step, proxy and field — no stack", async () => {
  const file = fixture("unknown-proxy.fails.yaml");
  const result = await gauntlet(["toxics", "check", "double-fault", file], env);
  assert.is(result.code, 2);
  assert.match(result.stdout, /ok {2}toxics\/double-fault\.yaml/, "the good one is still reported");
  assert.ok(result.stderr.includes(`GAUNTLET_PROFILE_INVALID — ${file}:8: steps[1] (kafka) proxy: unknown proxy "kafka" — known: broker, market_data, redis, postgres`), result.stderr);
  assert.not.match(result.stderr, /\n\s+at /, "no stack trace");
});

test("toxics apply --dry-run prints the expanded timeline and contacts nothing", async () => {
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const result = await gauntlet(["toxics", "apply", "latency-spike-250ms", "--toxiproxy", nobody, "--dry-run"], env);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`dry run: nothing is sent to ${nobody}`));
  const lines = result.stdout.split("\n").filter((line) => /^\s+\d+\.\d s/.test(line));
  assert.equal(lines.map((line) => line.trim().split(/\s+/).slice(0, 4).join(" ")), [
    "10.0 s broker +",
    "10.0 s market_data +",
    "25.0 s broker −",
    "25.0 s market_data −",
  ]);
  assert.match(lines[0]!, /latency toxic: latency 250 ms, jitter 0 ms · downstream\+upstream · toxicity 1/);
  assert.match(lines[0]!, /gauntlet-latency-spike-250ms-step0\.downstream, gauntlet-latency-spike-250ms-step0\.upstream/);
});

test("toxics apply with no Toxiproxy answering (TOXIPROXY_URL), or with a bad profile: exit 2, a clear error", async () => {
  const port = await freePort();
  const missing = await gauntlet(["toxics", "apply", "double-fault"], { ...env, TOXIPROXY_URL: `http://127.0.0.1:${port}` });
  assert.is(missing.code, 2);
  assert.match(missing.stderr, new RegExp(`GAUNTLET_TOXIPROXY_API — no Toxiproxy answers at http://127\\.0\\.0\\.1:${port} \\(.*connection refused at 127\\.0\\.0\\.1:${port}`));
  assert.match(missing.stderr, /Hint: Pass --toxiproxy <url> or set TOXIPROXY_URL/);
  const bad = await gauntlet(["toxics", "apply", fixture("overlap.fails.yaml"), "--dry-run"], env);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /GAUNTLET_PROFILE_INVALID — .*overlap\.fails\.yaml:16: steps\[2\] \(broker\) at: overlaps steps\[0\]/);
});

test("a real apply, stopped with Ctrl-C, removes every fault; clear removes only Gauntlet's", async () => {
  const dir = tempDir();
  toxiproxy = await startToxiproxy((await requireTool("toxiproxy")).path, join(dir, "toxi"), await freePort());
  const api = new ToxiproxyApi(toxiproxy.apiUrl);
  const [a, b, upstream] = [await freePort(), await freePort(), await freePort()];
  await api.populate([
    { name: "broker", listen: `127.0.0.1:${a}`, upstream: `127.0.0.1:${upstream}` },
    { name: "market_data", listen: `127.0.0.1:${b}`, upstream: `127.0.0.1:${upstream}` },
  ]);
  const profile = join(dir, "drill.yaml");
  writeFileSync(
    profile,
    `name: drill
description: A long double fault, to be interrupted.
steps:
  - { proxy: broker, at: 0.2, duration: 60, cut: true }
  - { proxy: market_data, at: 0.2, duration: 60, toxic: { type: latency, direction: both, attributes: { latency: 250 } } }
`,
  );
  const { child, done } = startGauntlet(["toxics", "apply", profile, "--toxiproxy", toxiproxy.apiUrl], env);
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  assert.ok(await waitFor(() => /market_data +latency applied/.test(stdout) && /broker +cut applied/.test(stdout), 20000), stdout);
  const during = await api.listProxies();
  assert.is(during.find((p) => p.name === "broker")!.enabled, false);
  assert.is(during.find((p) => p.name === "market_data")!.toxics.length, 2);
  child.kill("SIGINT");
  const result = await done;
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /GAUNTLET_INTERRUPTED — drill interrupted at [\d.]+ s; every fault it applied was removed/);
  for (const proxy of await api.listProxies()) {
    assert.equal(proxy.toxics, [], proxy.name);
    assert.ok(proxy.enabled, proxy.name);
  }

  await api.addToxic("broker", { name: "gauntlet-drill-step0", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 5 } });
  await api.addToxic("broker", { name: "not-ours", type: "latency", stream: "upstream", toxicity: 1, attributes: { latency: 5 } });
  const cleared = await gauntlet(["toxics", "clear", "--toxiproxy", toxiproxy.apiUrl], env);
  assert.is(cleared.code, 0, cleared.stderr);
  assert.match(cleared.stdout, /removed broker\/gauntlet-drill-step0/);
  assert.equal((await api.listProxies()).find((p) => p.name === "broker")!.toxics.map((t) => t.name), ["not-ours"]);
});

test.run();
