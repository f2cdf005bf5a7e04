// Bad input and safety, through the real CLI: each case ends with exit 2, the error code and a
// message that names what was wrong — never a stack trace, never a pass.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../core/services/ports.ts";
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

test("an unknown scenario lists the known ones", async () => {
  const result = await gauntlet(["run", "moon-landing", "--metrics-port", "0"], env);
  assert.is(result.code, 2);
  assert.match(result.stderr, /unknown scenario "moon-landing"; known: decision-flood/);
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

test.run();
