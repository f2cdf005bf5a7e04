// One load on 1 k6 instance vs the same load split across N instances by execution segment, one
// after the other against the same sandbox: counts, merged percentiles (gauntlet merge's one
// histogram of every sample), the P99 of the concatenated raw samples (sorted, exact) and k6's own
// summaries, with the decision-flood load gates judged on each.
//
//   npx tsx bench/instances.ts                       1 × 1,000/s vs 2 × 500/s, 20 s each
//   npx tsx bench/instances.ts --instances 4 --rate 2000 --seconds 30
//
// The N instances run exactly as `gauntlet run --instances N` runs them (startK6Fleet): paused,
// each with its REST API, and resumed together, as k6-operator's starter does.
import { mkdirSync, readFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { builtinRegistry } from "../cli/builtin.ts";
import { startSandboxStack } from "../cli/sandbox-stack.ts";
import { mergeInstances, type MergedInstances } from "../core/distributed/merge-instances.ts";
import { formatNumber as n } from "../core/gates/gate.ts";
import { fleetExitCode, startK6Fleet } from "../core/orchestrator/k6-runner.ts";
import { sleep } from "../core/process/child-process.ts";
import { requireTool } from "../core/tools/tools.ts";

const { values: flags } = parseArgs({
  options: {
    instances: { type: "string", default: "2" },
    rate: { type: "string", default: "1000" },
    seconds: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
  },
});
const instances = Number(flags.instances);
const k6 = await requireTool("k6");
const work = join(tmpdir(), `gauntlet-instances-${Date.now()}`);
const stack = await startSandboxStack({ dir: join(work, "sandbox") });
const registry = builtinRegistry({ "decision-flood": { rate: Number(flags.rate), profiles: { quick: Number(flags.seconds) }, warmupSeconds: Number(flags.warmup) } });
const { scenario, config } = registry.scenario("decision-flood");
const plan = scenario.plan({ runId: "bench-instances", profile: "quick", config, target: { baseUrl: stack.sandbox.governorUrl } });

/** Run the flood on `count` k6 processes (segments of one plan), paused, then resumed together: the orchestrator's fleet. */
async function drive(label: string, count: number): Promise<string[]> {
  const runDir = join(work, label);
  mkdirSync(runDir, { recursive: true });
  const fleet = await startK6Fleet({ k6, script: "flood", runDir, plan }, count);
  const codes = await fleet.exited;
  const code = fleetExitCode(codes);
  if (code !== 0 && code !== 99) throw new Error(`${label}: k6 exited ${codes.join(", ")}; see ${runDir}`);
  return fleet.runs.map((run) => dirname(run.outputPath));
}

/** The P99 of every raw sample of the judged scenario in these files, sorted (no histogram). */
function rawP99(dirs: string[]): number {
  const values: number[] = [];
  for (const dir of dirs) {
    const lines = readFileSync(join(dir, "k6-output.csv"), "utf8").split("\n");
    const columns = lines[0]!.split(",");
    const [value, scenario] = [columns.indexOf("metric_value"), columns.indexOf("scenario")];
    for (const line of lines) {
      if (!line.startsWith("http_req_duration,")) continue;
      const fields = line.split(",");
      if (fields[scenario] === "decision-flood") values.push(Number(fields[value]));
    }
  }
  values.sort((a, b) => a - b);
  return values[Math.ceil(0.99 * values.length) - 1]!;
}

function report(label: string, merged: MergedInstances, dirs: string[]): void {
  if (merged.problems.length) throw new Error(merged.problems.join("; "));
  const summary = merged.digest.latency.summary();
  const gates = scenario.judgeLoad!(merged.digest);
  const raw = rawP99(dirs);
  console.log(`\n${label}: ${dirs.length} instance(s), ${n(merged.digest.requests)} decisions, ${n(merged.digest.failed)} failed, ${n(merged.digest.dropped)} dropped`);
  for (const entry of merged.instances) console.log(`  instance ${entry.instance}: ${n(entry.requests)} decisions · P99 ${n(entry.latency?.p99Ms ?? Number.NaN)} ms (k6's own summary: ${n(entry.k6?.p99Ms ?? Number.NaN)} ms)`);
  console.log(`  merged (one histogram): P50 ${n(summary.p50Ms)} · P95 ${n(summary.p95Ms)} · P99 ${n(summary.p99Ms)} ms`);
  console.log(`  raw samples concatenated and sorted: P99 ${n(raw)} ms → merged vs raw ${n((100 * (summary.p99Ms - raw)) / raw)} %`);
  if (merged.k6Combined) console.log(`  k6's summaries combined: ${n(merged.k6Combined.requests)} decisions, mean ${n(merged.k6Combined.avgMs)} ms (merged mean ${n(summary.meanMs)} ms), P99s ${n(merged.k6Combined.p99RangeMs[0])}–${n(merged.k6Combined.p99RangeMs[1])} ms`);
  console.log(`  gates: ${gates.map((gate) => `${gate.id} ${gate.status.toUpperCase()}`).join(" · ")}`);
}

try {
  const cpu = cpus();
  console.log(`instances benchmark — ${cpu.length} cores, k6 ${k6.version}; the flood at ${flags.rate}/s for ${flags.seconds} s after a ${flags.warmup} s ramp, against the sandbox (${stack.sandbox.governorUrl})`);
  const one = await drive("one", 1);
  report(`1 instance at ${flags.rate}/s`, await mergeInstances(one, "decision-flood"), one);
  await sleep(2000);
  const split = await drive("split", instances);
  report(`${instances} instances at ${n(Number(flags.rate) / instances)}/s each`, await mergeInstances(split, "decision-flood"), split);
  console.log(`\noutputs in ${work}`);
} finally {
  await stack.stop();
}
