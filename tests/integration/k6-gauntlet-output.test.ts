// Gauntlet's k6 output extension (tools/k6/output) against k6's own CSV output, both attached to
// one run of the real flood script: the post-processor must read the same run from either — the
// same requests, latencies, failed answer checks, answered decision ids and order ids — while the
// extension writes only those metrics, in a fraction of the bytes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { analyzeK6File } from "../../core/analysis/k6-output-stream.ts";
import { k6Environment } from "../../core/orchestrator/k6-runner.ts";
import { k6ScriptPath } from "../../core/paths.ts";
import { runCommand } from "../../core/process/child-process.ts";
import { k6OutputKind, requireTool } from "../../core/tools/tools.ts";
import { tempDir } from "../support/cli.ts";

/**
 * A shadow target that answers at once, echoing the id, and places an order on every third of a
 * VU's decisions; it echoes a wrong id for a few (each iteration 97k + 5), so answer checks fail.
 */
function startEcho(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === "/v1/health") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"mode":"shadow"}');
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const id = /"id":"([^"]*)"/.exec(body)?.[1] ?? "";
      const iteration = Number(id.slice(id.lastIndexOf(".") + 1));
      const headers: Record<string, string> = { "content-type": "application/json", "x-decision-id": iteration % 97 === 5 ? "not-it" : id };
      if (iteration % 3 === 0) headers["x-order-id"] = `o-${id}`;
      res.writeHead(200, headers).end(`{"id":"${id}","verdict":"blocked","increment":0}`);
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("one flood written by both outputs: the same digest from each, the extension's file several times smaller", async () => {
  const k6 = await requireTool("k6");
  assert.is(k6OutputKind(k6), "gauntlet", `${k6.path} has no Gauntlet output extension (gauntlet setup builds it): ${k6.extensions.join(", ") || "no extensions"}`);
  const dir = tempDir();
  const server = await startEcho();
  const address = server.address();
  const target = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const csv = join(dir, "k6-csv.csv");
  const lean = join(dir, "k6-gauntlet.csv");
  try {
    const result = await runCommand(
      k6.path,
      ["run", "--quiet", "--no-color", "--out", `csv=${csv}`, "--out", `gauntlet=${lean}`, "-e", `TARGET=${target}`, "-e", "RATE=300", "-e", "DURATION=3", "-e", "WARMUP=1", k6ScriptPath("flood")],
      { env: k6Environment(), timeoutMs: 60_000 },
    );
    // 99: the threshold on failed answer checks (count==0) crossed, as it must with wrong ids.
    assert.is(result.code, 99, result.stderr.slice(-1500));
  } finally {
    server.close();
  }
  const fromCsv = (await analyzeK6File(csv, "decision-flood")).digest;
  const fromLean = (await analyzeK6File(lean, "decision-flood")).digest;
  assert.ok(fromCsv.requests >= 850, `the measured flood sent ${fromCsv.requests} decisions`);
  assert.is(fromLean.requests, fromCsv.requests);
  assert.is(fromLean.failed, fromCsv.failed);
  assert.is(fromLean.dropped, fromCsv.dropped);
  assert.ok(fromCsv.checksFailed > 0, "the wrong ids failed their answer check");
  assert.is(fromLean.checksFailed, fromCsv.checksFailed);
  assert.is(fromLean.firstMs, fromCsv.firstMs);
  assert.is(fromLean.lastMs, fromCsv.lastMs);
  for (const q of [50, 95, 99, 100]) assert.is(fromLean.latency.percentileMs(q), fromCsv.latency.percentileMs(q), `P${q}`);
  assert.equal(Object.fromEntries(fromLean.requestsByScenario), Object.fromEntries(fromCsv.requestsByScenario));
  assert.is(fromLean.answered.size, fromCsv.answered.size);
  assert.is(fromLean.decisionIdsSeen(), fromCsv.decisionIdsSeen());
  // Every decision has its own id (`<vu>.<iter>` from k6's vu and iter metadata), none stored apart.
  assert.is(fromLean.decisionIdsSeen(), fromLean.requests);
  assert.is(fromLean.scenarioIds.duplicates + fromLean.scenarioIds.unshaped, 0);
  // Order ids ride on gauntlet_orders_answered's metadata: every third decision, warm-up included.
  assert.ok(fromCsv.orders.size > 250, `${fromCsv.orders.size} orders`);
  assert.equal([...fromLean.orders].sort(), [...fromCsv.orders].sort());

  // The same header; only the wanted metrics; k6's CSV holds every sample of the run.
  const header = (file: string) => readFileSync(file, "utf8").split("\n", 1)[0];
  assert.is(header(lean), header(csv));
  const metrics = new Set(readFileSync(lean, "utf8").split("\n").slice(1).filter(Boolean).map((line) => line.slice(0, line.indexOf(","))));
  assert.equal([...metrics].sort(), ["gauntlet_answer_check_failed", "gauntlet_orders_answered", "http_req_duration", "http_req_failed"]);
  assert.ok(statSync(lean).size * 3 < statSync(csv).size, `${statSync(lean).size} bytes against k6's ${statSync(csv).size}`);
});

test.run();
