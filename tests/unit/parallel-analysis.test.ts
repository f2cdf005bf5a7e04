// The post-processor's threads: byte ranges of one file read in parallel and merged must give
// exactly the digest one pass gives — counts, percentiles, every window (through the doublings of
// a long run), the answered ids and orders — and a malformed or truncated file is still named by
// its exact line.
import { appendFileSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { analyzeK6File, type AnalyzedFile } from "../../core/analysis/k6-output-stream.ts";
import { analyzeK6FileParallel } from "../../core/analysis/parallel-analysis.ts";
import { isGauntletError } from "../../core/errors.ts";

const SCENARIO = "decision-flood";
const tmp = mkdtempSync(path.join(tmpdir(), "gauntlet-parallel-"));

/** A k6 CSV output: a warm-up, then `seconds` of 40 decisions/s, some failed, some dropped, some with orders. */
function writeRun(file: string, seconds: number): void {
  const lines = ["metric_name,timestamp,metric_value,check,expected_response,scenario,status,extra_tags,metadata"];
  const t0 = 1_795_608_148_000_000;
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 50; i++) lines.push(`http_req_duration,${t0 + i * 10_000},${(0.5 + random()).toFixed(6)},,true,warmup,200,,vu=1&iter=${i}`);
  for (let i = 0; i < seconds * 40; i++) {
    const us = t0 + 1_000_000 + i * 25_000 + Math.floor(random() * 3000);
    const failed = random() < 0.01;
    const order = random() < 0.05 ? `o${i}` : "";
    const meta = `vu=${2 + (i % 7)}&iter=${Math.floor(i / 7)}`;
    lines.push(`http_req_duration,${us},${(0.2 + random() * random() * 30).toFixed(6)},,${!failed},${SCENARIO},${failed ? 503 : 200},,${meta}`);
    lines.push(`http_req_failed,${us},${failed ? 1 : 0}.000000,,${!failed},${SCENARIO},${failed ? 503 : 200},,${meta}`);
    lines.push(`http_req_waiting,${us},0.100000,,true,${SCENARIO},200,,${meta}`);
    if (failed) lines.push(`gauntlet_answer_check_failed,${us},1.000000,,,${SCENARIO},,,${meta}`);
    if (order) lines.push(`gauntlet_orders_answered,${us},1.000000,,,${SCENARIO},,,${meta}&order_id=${order}`);
    if (i % 997 === 0) lines.push(`dropped_iterations,${us},1.000000,,,${SCENARIO},,,`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

function same(parallel: AnalyzedFile, single: AnalyzedFile): void {
  const [a, b] = [parallel.digest, single.digest];
  assert.equal(parallel.stats, single.stats);
  assert.is(parallel.points, single.points);
  for (const key of ["requests", "failed", "dropped", "checksFailed", "firstMs", "lastMs", "windowMs"] as const) assert.is(a[key], b[key], key);
  for (const p of [50, 90, 95, 99, 99.9, 100]) assert.is(a.latency.percentileMs(p), b.latency.percentileMs(p), `P${p}`);
  assert.ok(Math.abs(a.latency.meanMs - b.latency.meanMs) < 1e-9 * b.latency.meanMs, "mean");
  assert.equal(a.windowSummaries(), b.windowSummaries());
  assert.equal([...a.scenarioIds.ids()], [...b.scenarioIds.ids()]);
  assert.equal([...a.answered.ids()], [...b.answered.ids()]);
  assert.is(a.scenarioIds.duplicates, b.scenarioIds.duplicates);
  assert.equal([...a.requestsByScenario].sort(), [...b.requestsByScenario].sort());
  assert.equal([...a.orders].sort(), [...b.orders].sort());
}

test("byte ranges in 2, 3 and 5 threads merge into exactly the one-pass digest (300 s: the windows double)", async () => {
  const file = path.join(tmp, "long.csv");
  writeRun(file, 300);
  const single = await analyzeK6File(file, SCENARIO);
  assert.ok(single.digest.windowMs > 1000, "the run is long enough for the windows to have doubled");
  for (const workers of [2, 3, 5]) {
    const parallel = await analyzeK6FileParallel(file, SCENARIO, { workers, minBytes: 0 });
    assert.is(parallel.workers, workers);
    same(parallel, single);
  }
});

test("a malformed line in a later range is named by its line in the file", async () => {
  const file = path.join(tmp, "bad.csv");
  writeRun(file, 20);
  const expectedLine = readFileSync(file, "utf8").split("\n").length; // the file ends in a newline: the next line's number
  appendFileSync(file, "http_req_duration,1795608200000000,not-a-number,,true,decision-flood,200,,vu=1&iter=9999\n");
  try {
    await analyzeK6FileParallel(file, SCENARIO, { workers: 3, minBytes: 0 });
    assert.unreachable("a malformed line must be refused");
  } catch (error) {
    assert.ok(isGauntletError(error), String(error));
    assert.match((error as Error).message, `line ${expectedLine}`);
  }
});

test("a truncated last line is refused as in one pass", async () => {
  const file = path.join(tmp, "cut.csv");
  writeRun(file, 20);
  appendFileSync(file, "http_req_duration,17956082");
  try {
    await analyzeK6FileParallel(file, SCENARIO, { workers: 3, minBytes: 0 });
    assert.unreachable("a truncated file must be refused");
  } catch (error) {
    assert.ok(isGauntletError(error), String(error));
    assert.match((error as Error).message, "truncated");
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
