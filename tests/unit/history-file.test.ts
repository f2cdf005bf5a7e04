// runs/history.ndjson: one line per run and per certification, appended and never rewritten; a
// damaged line is named by file, line and field; references (latest, latest~N, ids) resolve from it.
import { appendFileSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isGauntletError } from "../../core/errors.ts";
import { appendHistory, certificationEntry, historyFile, readHistory, recordHistory, runEntry, type RunEntry } from "../../core/history/history-file.ts";
import { loadRun, resolveRunRef } from "../../core/history/run-refs.ts";
import { REPO_ROOT } from "../../core/paths.ts";
import { readResults } from "../../core/results/read-results.ts";
import { tempDir } from "../support/cli.ts";

const FIXTURES = join(REPO_ROOT, "tests/fixtures/runs");
const A = join(FIXTURES, "20261201-123637-decision-flood-1f4f");
const B = join(FIXTURES, "20261201-123503-decision-flood-0956");

function fails(fn: () => unknown, code: string, parts: string[]): string {
  try {
    fn();
  } catch (error) {
    if (!isGauntletError(error)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return error.message;
  }
  return assert.unreachable("accepted") as never;
}

test("a run's line: the facts compare needs and every gate's id, status, measure, unit and threshold", () => {
  const runs = tempDir();
  const dir = join(runs, "20261201-123637-decision-flood-1f4f");
  const entry = runEntry(readResults(A), dir, historyFile(runs));
  assert.equal({ ...entry, gates: entry.gates.slice(0, 1) }, {
    kind: "run",
    runId: "20261201-123637-decision-flood-1f4f",
    scenario: "decision-flood",
    profile: "smoke",
    target: "sandbox",
    seededFaults: [],
    verdict: "pass",
    goNoGo: "GO",
    exitCode: 0,
    gauntlet: { version: "0.1.0", commit: "34308b4cd05af3f9024d3795bbc339e311c66108", dirty: false },
    startedAt: "2026-12-01T12:36:37.084Z",
    dir: "20261201-123637-decision-flood-1f4f",
    gates: [{ id: "latency_p99", status: "pass", measured: 8.535, unit: "ms", threshold: 15 }],
  });
  assert.is(entry.gates.length, 14);
  assert.is(runEntry(readResults(A), A, historyFile(runs)).dir, A, "a folder outside the runs folder is kept absolute");
  assert.ok(JSON.stringify(entry).length < 2000, "a line stays small");
});

test("appending adds one line at the end and never rewrites what is there", () => {
  const file = historyFile(join(tempDir(), "nested"));
  assert.equal(readHistory(file), [], "no history yet");
  appendHistory(runEntry(readResults(A), A, file), file);
  const first = readFileSync(file, "utf8");
  appendHistory(runEntry(readResults(B), B, file), file);
  const both = readFileSync(file, "utf8");
  assert.ok(both.startsWith(first), "the first line is untouched");
  assert.is(both.split("\n").length, 3, "two lines and a final newline");
  assert.equal(readHistory(file).map((entry) => (entry as RunEntry).runId), ["20261201-123637-decision-flood-1f4f", "20261201-123503-decision-flood-0956"]);
});

test("a certification's line: verdict, streak, runs made, breaches", () => {
  const runs = tempDir();
  const file = historyFile(runs);
  const entry = certificationEntry(
    {
      id: "20261201-123634-certify",
      verdict: "NOT CERTIFIED",
      exitCode: 1,
      profile: "smoke",
      target: { name: "sandbox", seededFaults: ["slow-path"] },
      gauntlet: { version: "0.1.0", commit: "abc", dirty: false },
      startedAt: "2026-12-01T12:36:34.000Z",
      streak: 0,
      requestedRuns: 3,
      runs: [{}, {}],
      breaches: 0,
    },
    join(runs, "20261201-123634-certify"),
    file,
  );
  appendHistory(entry, file);
  assert.equal(readHistory(file), [
    { kind: "certification", id: "20261201-123634-certify", verdict: "NOT CERTIFIED", exitCode: 1, profile: "smoke", target: "sandbox", seededFaults: ["slow-path"], gauntlet: { version: "0.1.0", commit: "abc", dirty: false }, startedAt: "2026-12-01T12:36:34.000Z", streak: 0, requestedRuns: 3, runs: 2, breaches: 0, dir: "20261201-123634-certify" },
  ]);
});

test("a corrupt line: GAUNTLET_CONFIG_INVALID naming the file, the line and the field; the file is left as it was", () => {
  const file = historyFile(tempDir());
  appendHistory(runEntry(readResults(A), A, file), file);
  appendFileSync(file, `${JSON.stringify({ ...runEntry(readResults(B), B, file), gates: [{ id: "latency_p99", status: "maybe", measured: 1, unit: "ms", threshold: 15 }] })}\n`);
  const before = readFileSync(file, "utf8");
  fails(() => readHistory(file), "GAUNTLET_CONFIG_INVALID", [`${file}:2: gates.0.status:`, '"pass"']);
  writeFileSync(file, `${before.split("\n")[0]}\n{"kind":"run","runId":\n`);
  fails(() => readHistory(file), "GAUNTLET_CONFIG_INVALID", [`${file}:2: not a JSON line`]);
  writeFileSync(file, `${before.split("\n")[0]}\n{"kind":"audit"}\n`);
  fails(() => readHistory(file), "GAUNTLET_CONFIG_INVALID", [`${file}:2: kind:`]);
  const text = readFileSync(file, "utf8");
  fails(() => resolveRunRef("latest", join(file, "..")), "GAUNTLET_CONFIG_INVALID", [`${file}:2:`]);
  assert.is(readFileSync(file, "utf8"), text, "reading never changes the file");
});

test("a line cut short by a killed writer does not swallow the next one", () => {
  const file = historyFile(tempDir());
  appendHistory(runEntry(readResults(A), A, file), file);
  appendFileSync(file, '{"kind":"run","runId":"cut');
  const size = statSync(file).size;
  appendHistory(runEntry(readResults(B), B, file), file);
  const lines = readFileSync(file, "utf8").split("\n");
  assert.is(lines[1], '{"kind":"run","runId":"cut', "the cut line is kept as it was");
  assert.is(JSON.parse(lines[2]!).runId, "20261201-123503-decision-flood-0956", "the new line starts on its own line");
  assert.ok(statSync(file).size > size);
  fails(() => readHistory(file), "GAUNTLET_CONFIG_INVALID", [`${file}:2: not a JSON line`]);
});

test("recordHistory: a history that cannot be written is a warning, never an error", () => {
  const blocker = join(tempDir(), "not-a-folder");
  writeFileSync(blocker, "");
  recordHistory(runEntry(readResults(A), A), join(blocker, "history.ndjson"));
});

test("references: a folder, its results.json, a run id of the runs folder, latest and latest~N", () => {
  const runs = tempDir();
  assert.is(resolveRunRef(A, runs), A);
  assert.is(resolveRunRef(join(A, "results.json"), runs), A);
  assert.is(resolveRunRef("20261201-123503-decision-flood-0956", FIXTURES), B);
  const file = historyFile(runs);
  appendHistory(runEntry(readResults(A), A, file), file);
  appendHistory(certificationEntry({ id: "c", verdict: "CERTIFIED", exitCode: 0, profile: "smoke", target: { name: "sandbox", seededFaults: [] }, gauntlet: { version: "0.1.0", commit: "abc", dirty: false }, startedAt: "x", streak: 1, requestedRuns: 1, runs: [], breaches: 0 }, join(runs, "c"), file), file);
  appendHistory(runEntry(readResults(B), B, file), file);
  assert.is(resolveRunRef("latest", runs), B);
  assert.is(resolveRunRef("latest~1", runs), A, "certification lines are not runs");
  assert.is(resolveRunRef("20261201-123637-decision-flood-1f4f", runs), A, "an id found in the history");
  assert.is(loadRun("latest~1", runs).results.runId, "20261201-123637-decision-flood-1f4f");
  fails(() => resolveRunRef("latest~2", runs), "GAUNTLET_USAGE", [`latest~2: ${file} lists 2 run(s)`]);
  fails(() => resolveRunRef("nope", runs), "GAUNTLET_USAGE", ["no run folder at", join(runs, "nope")]);
});

test("references without a history: latest is the runs/latest link; anything else says so", () => {
  const runs = tempDir();
  fails(() => resolveRunRef("latest", runs), "GAUNTLET_USAGE", [`${historyFile(runs)} lists no run yet`]);
  mkdirSync(join(runs, "20261201-000000-x"));
  symlinkSync("20261201-000000-x", join(runs, "latest"));
  assert.is(resolveRunRef("latest", runs), join(runs, "latest"));
});

test.run();
