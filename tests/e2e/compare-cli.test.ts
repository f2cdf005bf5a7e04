// `gauntlet compare` through the real CLI on fixture run folders (no load): the table, --json,
// --fail-on-regression's exit 1, run ids and latest~N from the history, and every bad input
// (exit 2, the file named, no stack trace).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { appendHistory, historyFile, runEntry } from "../../core/history/history-file.ts";
import { REPO_ROOT } from "../../core/paths.ts";
import type { Comparison } from "../../core/results/compare-results.ts";
import { readResults } from "../../core/results/read-results.ts";
import { gauntlet, tempDir } from "../support/cli.ts";

const FIXTURES = join(REPO_ROOT, "tests/fixtures/runs");
const A_ID = "20261201-123637-decision-flood-1f4f";
const B_ID = "20261201-123503-decision-flood-0956";
const A = join(FIXTURES, A_ID);
const B = join(FIXTURES, B_ID);
const BURST = join(FIXTURES, "20261201-123811-order-burst-5f0f");
const env = { GAUNTLET_RUNS_DIR: FIXTURES };

function bad(result: { code: number | null; stderr: string }, code: string, parts: string[]): void {
  assert.is(result.code, 2, result.stderr);
  assert.ok(result.stderr.includes(`${code} — `), result.stderr);
  for (const part of parts) assert.ok(result.stderr.includes(part), `"${part}" not in: ${result.stderr}`);
  assert.not.match(result.stderr, /\n\s+at /, "no stack trace");
}

test("the table: both runs, the plan differences, each gate A → B with its change, regressions flagged; exit 0", async () => {
  const result = await gauntlet(["compare", A, B], env);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^decision-flood: A → B\\n {2}A {2}${A_ID} {2}PASS · GO · smoke`));
  assert.match(result.stdout, new RegExp(` {2}B {2}${B_ID} {2}FAIL · NO-GO · smoke · 0\\.1\\.0 \\(704cdf007cc3, modified\\) {2}${B}`));
  assert.match(result.stdout, /plan differences \(A → B\):\n {2}seeded faults {3}none → memory-leak\n {2}gauntlet build {2}0\.1\.0 \(34308b4cd05a\) → 0\.1\.0 \(704cdf007cc3, modified\)\n/);
  assert.match(result.stdout, /gate +status A → B +measured A → B +change +flag\n─+/);
  assert.match(result.stdout, /latency_p99 +PASS → FAIL +8\.54 → 31\.09 ms +\+22\.55 ms \(\+264\.2 %\) +REGRESSION: pass → fail, worse by 264\.2 %\n/);
  assert.match(result.stdout, /error_rate +PASS → PASS +0 → 0 % +0 %\n/);
  assert.match(result.stdout, /P99 +8\.54 → 31\.09 ms +\+22\.55 ms \(\+264\.2 %\) +REGRESSION: worse\n/);
  assert.match(result.stdout, /9 regression\(s\) \(a gate that passed now fails, or a latency percentile worse by more than 10 % and 0\.5 ms\):\n {2}latency_p99: pass → fail/);
});

test("--json for machines; run ids resolve in the runs folder", async () => {
  const result = await gauntlet(["compare", A_ID, B_ID, "--json"], env);
  assert.is(result.code, 0, result.stderr);
  const comparison = JSON.parse(result.stdout) as Comparison;
  assert.equal([comparison.scenario, comparison.a.dir, comparison.b.dir, comparison.tolerancePct], ["decision-flood", A, B, 10]);
  const p99 = comparison.gates.find((gate) => gate.id === "latency_p99")!;
  assert.equal([p99.a?.status, p99.b?.status, p99.a?.measured, p99.b?.measured, p99.delta, p99.deltaPct, p99.unit, p99.regression], ["pass", "fail", 8.535, 31.087, 22.552, 264.23, "ms", true]);
  assert.is(comparison.regressions.length, 9);
  assert.equal(comparison.plan.map((d) => d.field), ["seeded faults", "gauntlet build"]);
});

test("--fail-on-regression: exit 1 with a regression, 0 without", async () => {
  const regressed = await gauntlet(["compare", A, B, "--fail-on-regression"], env);
  assert.is(regressed.code, 1, regressed.stderr);
  assert.match(regressed.stdout, /9 regression\(s\)/);
  const fixed = await gauntlet(["compare", B, A, "--fail-on-regression", "--tolerance", "15"], env);
  assert.is(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stdout, /no regression \(.*worse by more than 15 %/);
});

test("latest and latest~1 come from the runs history", async () => {
  const runs = tempDir();
  const file = historyFile(runs);
  appendHistory(runEntry(readResults(A), A, file), file);
  appendHistory(runEntry(readResults(B), B, file), file);
  const result = await gauntlet(["compare", "latest~1", "latest", "--json"], { GAUNTLET_RUNS_DIR: runs });
  assert.is(result.code, 0, result.stderr);
  const comparison = JSON.parse(result.stdout) as Comparison;
  assert.equal([comparison.a.runId, comparison.b.runId], [A_ID, B_ID]);
});

test("bad input exits 2 naming what is wrong: a missing folder, no results.json, another scenario", async () => {
  const missing = join(tempDir(), "gone");
  bad(await gauntlet(["compare", A, missing], env), "GAUNTLET_USAGE", [`no run folder at ${missing}`]);
  const empty = tempDir();
  bad(await gauntlet(["compare", empty, A], env), "GAUNTLET_USAGE", [`${empty} has no results.json`]);
  bad(await gauntlet(["compare", A, BURST], env), "GAUNTLET_USAGE", ["a run of decision-flood", "a run of order-burst", "compare two runs of one scenario"]);
});

test("a results.json that is not JSON, or breaks its schema: exit 2 naming the file and the field", async () => {
  const notJson = join(FIXTURES, "not-json.fails", "results.json");
  bad(await gauntlet(["compare", A, join(FIXTURES, "not-json.fails")], env), "GAUNTLET_CONFIG_INVALID", [`${notJson}: not valid JSON`]);
  const badGate = join(FIXTURES, "bad-gate.fails", "results.json");
  bad(await gauntlet(["compare", A, badGate], env), "GAUNTLET_CONFIG_INVALID", [`${badGate}: gates.0.status:`]);
  const old = join(tempDir(), "old-run");
  mkdirSync(old);
  const results = JSON.parse(readFileSync(join(A, "results.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(old, "results.json"), JSON.stringify({ ...results, schemaVersion: 1 }));
  bad(await gauntlet(["compare", old, A], env), "GAUNTLET_CONFIG_INVALID", [`${join(old, "results.json")}: schemaVersion:`]);
});

test("a corrupt history: exit 2 naming the file, the line and the field; the file is left as it was", async () => {
  const runs = tempDir();
  const file = historyFile(runs);
  appendHistory(runEntry(readResults(A), A, file), file);
  writeFileSync(file, `${readFileSync(file, "utf8")}{"kind":"run","runId":"x","scenario":"decision-flood"}\n`);
  const before = readFileSync(file, "utf8");
  bad(await gauntlet(["compare", "latest~1", "latest"], { GAUNTLET_RUNS_DIR: runs }), "GAUNTLET_CONFIG_INVALID", [`${file}:2: profile:`]);
  assert.is(readFileSync(file, "utf8"), before);
  // Folders named outright never read the history.
  const direct = await gauntlet(["compare", A, B], { GAUNTLET_RUNS_DIR: runs });
  assert.is(direct.code, 0, direct.stderr);
});

test.run();
