// The bundled script under plain `k6 run`, as a user runs it: against the correct sandbox k6's
// own thresholds pass (exit 0); against a governor with the slow-path fault they fail and k6
// exits 99; against a target that is not a shadow instance setup() aborts (exit 108).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import { join } from "node:path";
import { k6ScriptPath } from "../../core/paths.ts";
import { runCommand } from "../../core/process/child-process.ts";
import { freePort } from "../../core/process/ports.ts";
import { requireTool } from "../../core/tools/tools.ts";
import { startSandboxStack } from "../../cli/sandbox-stack.ts";
import type { FaultName } from "../../sandbox/config.ts";
import { withTimingRetries } from "../support/attempts.ts";
import { tempDir } from "../support/cli.ts";

async function k6Run(target: string, extra: string[] = [], warmupSeconds = 8): Promise<{ code: number; out: string }> {
  const k6 = await requireTool("k6");
  // An 8 s warm-up, as the flood's smoke profile has 10: a freshly started governor on this 2-core
  // machine answers its first seconds slowly (P99 22.9 ms over a 6 s flood after a 2 s warm-up was
  // seen once in the suite), and this test is about k6's exit codes, not a cold start.
  const result = await runCommand(k6.path, ["run", "--no-color", "-e", `TARGET=${target}`, "-e", "DURATION=6", "-e", `WARMUP=${warmupSeconds}`, ...extra, k6ScriptPath("flood")], {
    env: { ...process.env, K6_NO_USAGE_REPORT: "true" },
    timeoutMs: 120_000,
  });
  return { code: result.code, out: result.stdout + result.stderr };
}

async function withSandbox(faults: FaultName[], body: (url: string) => Promise<void>): Promise<void> {
  const stack = await startSandboxStack({ dir: join(tempDir(), "sandbox"), seededFaults: faults });
  try {
    await body(stack.sandbox.governorUrl);
  } finally {
    await stack.stop();
  }
}

test("k6 run dist/k6/flood.js against the correct sandbox: thresholds pass, exit 0", async () => {
  await withSandbox([], async (url) => {
    // k6's latency thresholds on a 2-core VM: exit 99 (thresholds crossed) gets another attempt.
    const { code, out } = await withTimingRetries("k6 run flood.js, correct sandbox", () => k6Run(url, ["-e", "RATE=500"]), (outcome) =>
      outcome.code === 99 ? (outcome.out.match(/✗ .*|thresholds on metrics .*/g) ?? ["exit 99"]).join("; ") : undefined,
    );
    assert.is(code, 0, out.slice(-2000));
    assert.match(out, /http_req_duration\{scenario:decision-flood\}/);
  });
});

test("k6 run against a slow governor: k6's own thresholds fail, exit 99", async () => {
  await withSandbox(["slow-path"], async (url) => {
    // No warm-up: a cold start can only add to what the slow path already crosses.
    const { code, out } = await k6Run(url, [], 0);
    assert.is(code, 99, out.slice(-2000));
    assert.match(out, /thresholds on metrics .*http_req_duration/);
  });
});

test("k6 run against a target that is not a shadow instance: aborted in setup, exit 108", async () => {
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ mode: "production" }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  try {
    const { code, out } = await k6Run(`http://127.0.0.1:${port}`, [], 0);
    assert.is(code, 108, out.slice(-2000));
    assert.match(out, /not a shadow instance/);
  } finally {
    server.close();
  }
});

test.run();
