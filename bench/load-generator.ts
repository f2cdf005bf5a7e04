// What the load generator itself costs: the same echo server, driven at one fixed rate, one load
// after the other, by a bare POST (the floor: no check, no metadata, no output) and by the flood
// script with each way of writing what Gauntlet reads. For each: k6's CPU (user + system time of
// the k6 process, from the shell's `times` after it exits, in cores = CPU seconds / wall seconds),
// its P99 and dropped iterations (k6's own summary), and the output's size. With --repeat N the
// variants take turns N times and each figure is its median over the N runs.
//
//   npx tsx bench/load-generator.ts                    3,000/s for 20 s, each variant once
//   npx tsx bench/load-generator.ts --rate 4000 --repeat 5
//   npx tsx bench/load-generator.ts --repeat 9 --variants bare,gauntlet    only what the bar compares
//
// The bar (issue 12): the flood script with the output Gauntlet runs within 1.2x the CPU of the
// bare POST and within +1 ms of its P99. Exit 1 when the `gauntlet` output misses it.
import { mkdtempSync, rmSync, statSync, existsSync, readFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { k6Environment } from "../core/orchestrator/k6-runner.ts";
import { k6ScriptPath, REPO_ROOT } from "../core/paths.ts";
import { runCommand } from "../core/process/child-process.ts";
import { freePort } from "../core/process/ports.ts";
import { k6OutputKind, requireTool } from "../core/tools/tools.ts";
import { startEchoTarget } from "./echo-target.ts";

const { values: flags } = parseArgs({
  options: {
    rate: { type: "string", default: "3000" },
    seconds: { type: "string", default: "20" },
    repeat: { type: "string", default: "1" },
    variants: { type: "string", default: "bare,flood,csv,gauntlet" },
  },
});
const rate = Number(flags.rate);
const seconds = Number(flags.seconds);
const repeat = Number(flags.repeat);

interface Variant {
  key: string;
  name: string;
  script: string;
  out?: (dir: string) => string;
}

const k6 = await requireTool("k6");
const lean = k6OutputKind(k6) === "gauntlet";
const allVariants: Variant[] = [
  { key: "bare", name: "bare POST (no check, no output)", script: join(REPO_ROOT, "bench/k6/bare-post.js") },
  { key: "flood", name: "flood.js, no output", script: k6ScriptPath("flood") },
  { key: "csv", name: "flood.js --out csv (k6's own)", script: k6ScriptPath("flood"), out: (dir) => `csv=${join(dir, "out.csv")}` },
  ...(lean ? [{ key: "gauntlet", name: "flood.js --out gauntlet (Gauntlet's)", script: k6ScriptPath("flood"), out: (dir: string) => `gauntlet=${join(dir, "out.csv")}` }] : []),
];
const wanted = flags.variants!.split(",").map((key) => key.trim());
const unknown = wanted.filter((key) => !["bare", "flood", "csv", "gauntlet"].includes(key));
if (unknown.length || !wanted.includes("bare")) {
  console.error(`--variants: ${unknown.length ? `unknown ${unknown.join(", ")}; ` : ""}a comma list of bare, flood, csv, gauntlet that includes bare (everything is measured against it)`);
  process.exit(2);
}
const variants = allVariants.filter((variant) => wanted.includes(variant.key));

interface Measure {
  cpuSeconds: number;
  wallSeconds: number;
  p99Ms: number;
  dropped: number;
  requests: number;
  outputBytes: number;
}

async function measure(variant: Variant, target: string): Promise<Measure> {
  const dir = mkdtempSync(join(tmpdir(), "gauntlet-loadgen-"));
  try {
    const summary = join(dir, "summary.json");
    const k6Args = [
      "run", "--quiet", "--no-color", "--summary-export", summary,
      ...(variant.out ? ["--out", variant.out(dir)] : []),
      "-e", `TARGET=${target}`, "-e", `RATE=${rate}`, "-e", `DURATION=${seconds}`, "-e", "WARMUP=0",
      variant.script,
    ];
    // `times` after the child exits: its exact user and system time (getrusage of the waited child).
    const started = Date.now();
    const result = await runCommand("bash", ["-c", '"$0" "$@" >/dev/null 2>&1; code=$?; times; exit $code', k6.path, ...k6Args], {
      env: k6Environment(),
      timeoutMs: (seconds + 60) * 1000,
    });
    const wallSeconds = (Date.now() - started) / 1000;
    // k6 exits 99 when the flood's thresholds fail; that is a measurement, not an error.
    if (result.code !== 0 && result.code !== 99) throw new Error(`${variant.name}: k6 exited ${result.code}\n${result.stderr.slice(-800)}`);
    const children = result.stdout.trim().split("\n").pop() ?? "";
    const times = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    if (times.length !== 2) throw new Error(`${variant.name}: could not read the child's CPU time from "${children}"`);
    const metrics = (JSON.parse(readFileSync(summary, "utf8")) as { metrics: Record<string, Record<string, number>> }).metrics;
    const latency = metrics["http_req_duration{scenario:decision-flood}"] ?? metrics.http_req_duration ?? {};
    const outFile = join(dir, "out.csv");
    return {
      cpuSeconds: times[0]! + times[1]!,
      wallSeconds,
      p99Ms: latency["p(99)"] ?? Number.NaN,
      dropped: metrics.dropped_iterations?.count ?? 0,
      requests: latency.count ?? metrics.http_reqs?.count ?? 0,
      outputBytes: existsSync(outFile) ? statSync(outFile).size : 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cpu = cpus();
console.log(`load-generator benchmark — ${cpu.length} cores (${cpu[0]?.model ?? "?"}), k6 ${k6.version} (${k6.path}), ${rate}/s for ${seconds} s, each variant ${repeat}x, one after the other`);
if (!lean) console.log("this k6 has no `gauntlet` output (a k6 from PATH or K6_BINARY?): `gauntlet setup` builds one with it");
const echo = await startEchoTarget(await freePort());
const address = echo.address();
const target = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

// Round-robin (every variant once, then again): a machine that drifts warmer or busier over the
// run then weighs on every variant alike instead of on whichever came last.
const runs = new Map<Variant, Measure[]>(variants.map((variant) => [variant, []]));
try {
  for (let i = 0; i < repeat; i++) {
    for (const variant of variants) runs.get(variant)!.push(await measure(variant, target));
  }
} finally {
  echo.close();
}
const rows = variants.map((variant) => {
  const all = runs.get(variant)!;
  // Each figure's median over the runs: one noisy run on a shared machine should not pick it.
  const middle = (pick: (m: Measure) => number) => all.map(pick).sort((a, b) => a - b)[Math.floor(all.length / 2)]!;
  const median: Measure = {
    cpuSeconds: middle((m) => m.cpuSeconds),
    wallSeconds: middle((m) => m.wallSeconds),
    p99Ms: middle((m) => m.p99Ms),
    dropped: middle((m) => m.dropped),
    requests: middle((m) => m.requests),
    outputBytes: middle((m) => m.outputBytes),
  };
  return { variant, all, median };
});
for (const { variant, median: best, all } of rows) {
  const cores = best.cpuSeconds / seconds;
  console.log(
    `  ${variant.name.padEnd(40)} k6 CPU ${best.cpuSeconds.toFixed(2).padStart(6)} s = ${cores.toFixed(2)} cores  P99 ${best.p99Ms.toFixed(2).padStart(6)} ms  dropped ${String(best.dropped).padStart(5)}  requests ${best.requests}  output ${(best.outputBytes / 2 ** 20).toFixed(1)} MiB` +
      (all.length > 1 ? `  (each run: ${all.map((m) => `${m.cpuSeconds.toFixed(2)} s/${m.p99Ms.toFixed(1)} ms`).join(", ")})` : ""),
  );
}

const bare = rows[0]!.median;
const gauntletRow = rows.find((row) => row.variant.key === "gauntlet");
console.log(`\nagainst the bare POST (medians: CPU ${bare.cpuSeconds.toFixed(2)} s, P99 ${bare.p99Ms.toFixed(2)} ms):`);
// Paired by round: each variant against the bare POST of the same round, which ran seconds before
// it. A machine whose latency drifts over minutes then cancels out of each pair; the median pair is
// the figure, and the bare POST's own spread across rounds says how much of it is noise.
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const bareRuns = rows[0]!.all;
const paired = (row: (typeof rows)[number]) => ({
  cpuRatio: median(row.all.map((m, i) => m.cpuSeconds / bareRuns[i]!.cpuSeconds)),
  p99DeltaMs: median(row.all.map((m, i) => m.p99Ms - bareRuns[i]!.p99Ms)),
});
for (const row of rows.slice(1)) {
  const { cpuRatio, p99DeltaMs } = paired(row);
  console.log(`  ${row.variant.name.padEnd(40)} CPU ${cpuRatio.toFixed(2)}x  P99 ${p99DeltaMs >= 0 ? "+" : ""}${p99DeltaMs.toFixed(2)} ms  (median of ${row.all.length} rounds' pairs)`);
}
const bareP99s = bareRuns.map((m) => m.p99Ms);
console.log(`  noise: the bare POST's own P99 spans ${Math.min(...bareP99s).toFixed(2)}–${Math.max(...bareP99s).toFixed(2)} ms across its ${bareRuns.length} runs`);
if (!gauntletRow) {
  console.log("\nbar not judged: no `gauntlet` variant measured (this k6 has no gauntlet output, or --variants left it out)");
  process.exitCode = 2;
} else {
  const { cpuRatio, p99DeltaMs } = paired(gauntletRow);
  const ok = cpuRatio <= 1.2 && p99DeltaMs <= 1;
  console.log(`\nbar (≤ 1.2x the CPU, ≤ +1 ms P99, paired medians): ${ok ? "met" : "NOT met"}`);
  if (!ok) process.exitCode = 1;
}
