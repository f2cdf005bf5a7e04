// Bad input and safety, through the real CLI: each case ends with exit 2, the error code and a
// message that names what was wrong — never a stack trace, never a pass.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../core/process/ports.ts";
import { gauntlet, tempDir } from "../support/cli.ts";

const runs = tempDir();
const env = { GAUNTLET_RUNS_DIR: runs };

test("an unknown profile names the allowed values", async () => {
  const result = await gauntlet(["run", "decision-flood", "--profile", "huge", "--metrics-port", "0"], env);
  assert.is(result.code, 2);
  assert.match(result.stderr, /GAUNTLET_USAGE/);
  assert.match(result.stderr, /--profile must be one of quick, full/);
  assert.not.match(result.stderr, /\n\s+at /, "no stack trace");
});

test("a non-numeric port names the flag and the range", async () => {
  const result = await gauntlet(["run", "decision-flood", "--metrics-port", "eighty"], env);
  assert.is(result.code, 2);
  assert.match(result.stderr, /--metrics-port must be an integer from 0 to 65535 \(got "eighty"\)/);
});

test("--instances on a drill: refused before anything starts, naming the loads that can be split", async () => {
  const { code, stdout, stderr } = await gauntlet(["run", "broker-failure", "--instances", "2"], { GAUNTLET_RUNS_DIR: tempDir() });
  assert.is(code, 2);
  assert.match(stdout + stderr, /broker-failure cannot be split across k6 instances.*loads that can: decision-flood/);
});

test("an unknown scenario lists the known ones", async () => {
  const result = await gauntlet(["run", "moon-landing", "--metrics-port", "0"], env);
  assert.is(result.code, 2);
  assert.match(result.stderr, /unknown scenario "moon-landing"; known: .*\bdecision-flood\b/);
});

test("a bad config file names the file, the line and the field", async () => {
  const dir = tempDir();
  const file = join(dir, "gauntlet.yaml");
  writeFileSync(file, "metricsPort: 0\nplugins:\n  decision-flood:\n    rate: fast\n");
  const result = await gauntlet(["run", "decision-flood", "--config", file], env);
  assert.is(result.code, 2);
  assert.match(result.stderr, /GAUNTLET_CONFIG_INVALID/);
  assert.match(result.stderr, new RegExp(`${file.replaceAll("/", "\\/")}:4: plugins\\.decision-flood\\.rate`));
});

test("a non-loopback target needs --allow-host", async () => {
  const result = await gauntlet(["run", "decision-flood", "--target", "http://10.20.30.40:7300", "--metrics-port", "0"], env);
  assert.is(result.code, 2);
  assert.match(result.stdout + result.stderr, /GAUNTLET_TARGET_NOT_LOOPBACK/);
  assert.match(result.stdout + result.stderr, /--allow-host 10\.20\.30\.40/);
});

async function fakeGovernor(mode: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ mode }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${port}` };
}

test("a target that does not declare shadow mode is refused before any load", async () => {
  const { server, url } = await fakeGovernor("production");
  try {
    const result = await gauntlet(["run", "decision-flood", "--target", url, "--metrics-port", "0"], env);
    assert.is(result.code, 2);
    assert.match(result.stdout + result.stderr, /GAUNTLET_TARGET_NOT_SHADOW/);
    assert.match(result.stdout + result.stderr, /"production"/);
  } finally {
    server.close();
  }
});

test("the live-metrics port already in use is a clear error, not a half-started run", async () => {
  const blocker = createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => blocker.listen(port, "0.0.0.0", resolve));
  try {
    const result = await gauntlet(["run", "decision-flood", "--metrics-port", String(port)], env);
    assert.is(result.code, 2);
    assert.match(result.stdout + result.stderr, new RegExp(`port ${port} \\(live metrics\\)`));
  } finally {
    blocker.close();
  }
});

test("doctor lists every guard and passes on this machine", async () => {
  const result = await gauntlet(["doctor", "--metrics-port", String(await freePort())], env);
  assert.is(result.code, 0, result.stdout);
  for (const name of ["k6", "toxiproxy-server", "redis-server", "postgresql", "open-file limit", "free memory"]) {
    assert.match(result.stdout, new RegExp(`ok\\s+${name}`));
  }
});

test("--target that is not a URL: the field and the expected form, not a stack", async () => {
  const result = await gauntlet(["run", "order-burst", "--target", "notaurl", "--metrics-port", "0"], env);
  assert.is(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /GAUNTLET_CONFIG_INVALID — target: url: target must be a URL such as http:\/\/127\.0\.0\.1:9000 \(got "notaurl"\)/);
  assert.not.match(result.stderr, /ZodError|\n\s+at /);
});

test("an unreachable target: connection refused, and where", async () => {
  const port = await freePort();
  const result = await gauntlet(["run", "order-burst", "--target", `http://127.0.0.1:${port}`, "--metrics-port", "0"], env);
  assert.is(result.code, 2);
  assert.match(result.stdout, new RegExp(`GAUNTLET_TARGET_UNREACHABLE — GET http://127\\.0\\.0\\.1:${port}/v1/health: connection refused at 127\\.0\\.0\\.1:${port}`));
});

test("doctor on a non-loopback target says to allow the host, not to start anything", async () => {
  const result = await gauntlet(["doctor", "--metrics-port", String(await freePort()), "--target", "http://10.20.30.40:9000"], env);
  assert.is(result.code, 2);
  assert.match(result.stdout, /FAIL\s+target http:\/\/10\.20\.30\.40:9000\s+GAUNTLET_TARGET_NOT_LOOPBACK/);
  assert.match(result.stdout, /fix: Pass --allow-host 10\.20\.30\.40/);
});

test("analyze: a scenario the file does not have is named with the ones it has; binary junk is described, not dumped", async () => {
  const fixture = (name: string) => join(import.meta.dirname, "..", "fixtures", "k6", name);
  const wrong = await gauntlet(["analyze", fixture("flood.csv"), "--scenario", "default"], env);
  assert.is(wrong.code, 2, wrong.stdout);
  assert.match(wrong.stderr, /no request of k6 scenario "default" \(the file has: decision-flood \(3 requests\), \(no scenario tag\) \(1 requests\), warmup \(1 requests\)\)/);
  assert.match(wrong.stderr, /Pass --scenario decision-flood/);
  const dir = tempDir();
  const junk = join(dir, "junk.csv");
  writeFileSync(junk, Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37 + 11) % 256)));
  const binary = await gauntlet(["analyze", junk], env);
  assert.is(binary.code, 2);
  assert.match(binary.stderr, /not a k6 CSV header \(expected metric_name,timestamp,metric_value,…; got \d+ bytes of binary data\)/);
});

test.run();
