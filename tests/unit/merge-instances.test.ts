// gauntlet merge's core: N instances' outputs judged as one run. The merged percentiles are those of
// the concatenated raw samples (one histogram holds them all), counts add up, and an instance that is
// missing, cut off or short of what its own k6 summary counted makes the merge "could not judge".
import { test } from "uvu";
import * as assert from "uvu/assert";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { analyzeK6File } from "../../core/analysis/k6-output-stream.ts";
import { mergeInstances } from "../../core/distributed/merge-instances.ts";
import { seededRandom } from "../../data/seeded-random.ts";
import { tempDir } from "../support/cli.ts";

const HEADER = "metric_name,timestamp,metric_value,check,expected_response,scenario,status,extra_tags,metadata";
const START_US = 1_796_150_000_000_000;

/** One instance's k6 output: `count` decisions from id `firstId`, every `everyUs`, latencies from `latency`. */
function instance(dir: string, options: { firstId: number; count: number; offsetUs: number; latency: () => number; summaryCount?: number }): number[] {
  mkdirSync(dir, { recursive: true });
  const lines = [HEADER];
  const values: number[] = [];
  for (let k = 0; k < options.count; k++) {
    const id = options.firstId + k * 2;
    const t = START_US + options.offsetUs + k * 2000;
    const ms = Math.round(options.latency() * 1000) / 1000;
    values.push(ms);
    lines.push(`http_req_duration,${t},${ms},,true,decision-flood,200,,decision_id=${id}`, `http_req_failed,${t},0,,true,decision-flood,200,,decision_id=${id}`);
  }
  writeFileSync(join(dir, "k6-output.csv"), `${lines.join("\n")}\n`);
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
  writeFileSync(join(dir, "k6-summary.json"), JSON.stringify({ metrics: { "http_req_duration{scenario:decision-flood}": { count: options.summaryCount ?? options.count, avg: values.reduce((a, b) => a + b, 0) / values.length, med: at(50), "p(95)": at(95), "p(99)": at(99), max: sorted.at(-1) } } }));
  return values;
}

test("two instances merged: counts add up, the merged P99 is the P99 of all samples together, not an average", async () => {
  const root = tempDir();
  const random = seededRandom(7);
  // Instance 2 is slower: averaging the two P99s would be wrong in either direction.
  const fast = instance(join(root, "1"), { firstId: 0, count: 5000, offsetUs: 0, latency: () => 0.3 + random() * 2 });
  const slow = instance(join(root, "2"), { firstId: 1, count: 5000, offsetUs: 1000, latency: () => 1 + random() * 20 });
  const merged = await mergeInstances([join(root, "1"), join(root, "2")], "decision-flood");
  assert.equal(merged.problems, []);
  assert.is(merged.digest.requests, 10_000);
  assert.is(merged.digest.scenarioIds.size, 10_000, "the decision ids of both, each once");
  // The same samples in one file, read as one run.
  const all = join(root, "all");
  mkdirSync(all);
  writeFileSync(join(all, "k6-output.csv"), `${HEADER}\n`);
  const { readFileSync } = await import("node:fs");
  for (const dir of ["1", "2"]) appendFileSync(join(all, "k6-output.csv"), readFileSync(join(root, dir, "k6-output.csv"), "utf8").split("\n").slice(1).join("\n"));
  const single = (await analyzeK6File(join(all, "k6-output.csv"), "decision-flood")).digest.latency.summary();
  const p99 = merged.digest.latency.summary().p99Ms;
  assert.is(p99, single.p99Ms);
  // And against the raw samples: within the histogram's 3 significant digits.
  const sorted = [...fast, ...slow].sort((a, b) => a - b);
  const exact = sorted[Math.ceil(0.99 * sorted.length) - 1]!;
  assert.ok(Math.abs(p99 - exact) / exact < 0.001, `${p99} vs ${exact}`);
  const averaged = (merged.instances[0]!.k6!.p99Ms + merged.instances[1]!.k6!.p99Ms) / 2;
  assert.ok(Math.abs(p99 - averaged) > 1, "an averaged P99 would be far off");
  assert.is(merged.k6Combined!.requests, 10_000);
  // Degradation windows line up: the merged run spans the two instances' common 10 s.
  assert.ok(Math.abs(merged.digest.durationSeconds - 10) < 0.01, `${merged.digest.durationSeconds}`);
});

test("an instance missing, cut off, or short of its own k6 summary: could not judge, named", async () => {
  const root = tempDir();
  const random = seededRandom(3);
  instance(join(root, "ok"), { firstId: 0, count: 100, offsetUs: 0, latency: () => 1 + random() });
  instance(join(root, "short"), { firstId: 1, count: 100, offsetUs: 0, latency: () => 1, summaryCount: 120 });
  instance(join(root, "cut"), { firstId: 1, count: 100, offsetUs: 0, latency: () => 1 });
  appendFileSync(join(root, "cut", "k6-output.csv"), "http_req_duration,17961500");
  const merged = await mergeInstances([join(root, "ok"), join(root, "short"), join(root, "cut"), join(root, "gone"), join(root, "ok")], "decision-flood");
  const said = merged.problems.join("\n");
  assert.match(said, /short\/k6-output\.csv: 100 requests of "decision-flood" in the output, 120 in k6's own summary: the output is incomplete/);
  assert.match(said, /cut\/k6-output\.csv: line 202 is truncated/);
  assert.match(said, /gone: no k6 output/);
  assert.match(said, /ok is given twice/);
  assert.is(merged.digest.requests, 0, "nothing is merged from a set that cannot be judged");
});

test.run();
