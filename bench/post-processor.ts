// The post-processor against the figures it must beat, measured in one run:
//   - wall time and peak RSS of `gauntlet analyze` on a run's k6 output (one streaming pass),
//   - next to a plain `jq` pass that only selects the latency points of the same file,
//   - its counts and percentiles next to k6's own end-of-test summary of the same run (exact),
//   - and, given a second (shorter) run, peak RSS of both: memory must not grow with the length.
// It exits 1 when a percentile is further from k6's summary than the histogram's stated bound
// (0.1%), a count differs, the threads' figures differ from one pass's, or the speed-up over jq is
// under the 5x aim on a 600,000-decision output of every k6 sample (k6's own CSV or JSON; on
// Gauntlet's filtered output the ratio is shown only). Both the one pass and the threads are
// measured, in one run.
//
//   npx tsx bench/post-processor.ts runs/<full run> [runs/<1-minute run>]
//   npx tsx bench/post-processor.ts --decisions 600000     # makes the run first (see below)
//
// --decisions N drives the real flood script (dist/k6/flood.js) at 3,000/s against the echo
// target until it has sent N decisions — 200 s for 600,000, where the sandbox's own full flood
// takes 600 s at 1,000/s — writing Gauntlet's output and k6's CSV output of that one k6 run side
// by side, with k6's summary; both files are then measured, in a temporary folder removed after.
import { mkdirSync, mkdtempSync, existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { k6Environment } from "../core/orchestrator/k6-runner.ts";
import { k6ScriptPath, REPO_ROOT } from "../core/paths.ts";
import { runCommand } from "../core/process/child-process.ts";
import { freePort } from "../core/process/ports.ts";
import { HISTOGRAM_RELATIVE_ERROR } from "../core/analysis/latency-histogram.ts";
import { k6OutputKind, requireTool } from "../core/tools/tools.ts";
import { startEchoTarget } from "./echo-target.ts";

interface Analysis {
  lines: number;
  /** Threads that read the file (byte ranges; 1 = one pass). */
  workers: number;
  requests: number;
  latencyMs: { count: number; p50Ms: number; p95Ms: number; p99Ms: number; meanMs: number };
  wallSeconds: number;
  peakRssBytes: number;
}

function outputOf(runDir: string): string {
  for (const name of ["k6-output.csv", "k6-output.csv.gz", "k6-output.json", "k6-output.json.gz"]) {
    if (existsSync(join(runDir, name))) return join(runDir, name);
  }
  throw new Error(`no k6 output in ${runDir}`);
}

async function analyze(file: string, workers?: number): Promise<Analysis & { outerWallSeconds: number }> {
  const started = performance.now();
  const result = await runCommand(join(REPO_ROOT, "bin", "gauntlet"), ["analyze", file, "--json", ...(workers ? ["--workers", String(workers)] : [])]);
  if (result.code !== 0) throw new Error(`gauntlet analyze failed: ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as Analysis), outerWallSeconds: (performance.now() - started) / 1000 };
}

async function jqPass(file: string): Promise<{ seconds: number; points: number }> {
  // The cheapest jq that still selects the latency points of this file.
  const filter = file.includes(".csv") ? `jq -R -r 'select(startswith("http_req_duration,")) | split(",")[2]'` : `jq -c 'select(.type=="Point" and .metric=="http_req_duration") | .data.value'`;
  const reader = file.endsWith(".gz") ? `gzip -dc ${JSON.stringify(file)}` : `cat ${JSON.stringify(file)}`;
  const started = performance.now();
  const result = await runCommand("sh", ["-c", `${reader} | ${filter} | wc -l`]);
  if (result.code !== 0) throw new Error(`jq failed: ${result.stderr}`);
  return { seconds: (performance.now() - started) / 1000, points: Number(result.stdout.trim()) };
}

function k6Summary(path: string): Record<string, number> | undefined {
  if (!existsSync(path)) return undefined;
  const metrics = (JSON.parse(readFileSync(path, "utf8")) as { metrics: Record<string, Record<string, number>> }).metrics;
  return metrics["http_req_duration{scenario:decision-flood}"];
}

/** One k6 run of the flood script writing both outputs, <dir>/gauntlet/ and <dir>/csv/; its one summary goes in the first. */
async function makeRun(decisions: number): Promise<{ dir: string; runs: string[] }> {
  const k6 = await requireTool("k6");
  const dir = mkdtempSync(join(tmpdir(), "gauntlet-post-processor-"));
  const rate = 3000;
  const seconds = Math.ceil(decisions / rate);
  const lean = k6OutputKind(k6) === "gauntlet";
  const runs = [...(lean ? [join(dir, "gauntlet")] : []), join(dir, "csv")];
  for (const run of runs) mkdirSync(run);
  const echo = await startEchoTarget(await freePort());
  const address = echo.address();
  const target = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  console.log(`making the run: dist/k6/flood.js at ${rate}/s for ${seconds} s against the echo target (k6 ${k6.version}), outputs: ${runs.map((run) => run.slice(dir.length + 1)).join(" and ")}…`);
  try {
    const outs = runs.flatMap((run) => ["--out", `${run.endsWith("gauntlet") ? "gauntlet" : "csv"}=${join(run, "k6-output.csv")}`]);
    const result = await runCommand(
      k6.path,
      ["run", "--quiet", "--no-color", "--summary-export", join(runs[0]!, "k6-summary.json"), ...outs, "-e", `TARGET=${target}`, "-e", `RATE=${rate}`, "-e", `DURATION=${seconds}`, "-e", "WARMUP=0", k6ScriptPath("flood")],
      { env: k6Environment(), timeoutMs: (seconds + 120) * 1000 },
    );
    // 99: a threshold crossed (at 3,000/s with two outputs, dropped iterations may): still a run.
    if (result.code !== 0 && result.code !== 99) throw new Error(`k6 exited ${result.code}: ${result.stderr.slice(-800)}`);
  } finally {
    echo.close();
  }
  return { dir, runs };
}

const { values: flags, positionals } = parseArgs({ options: { decisions: { type: "string" } }, allowPositionals: true });
let made: { dir: string; runs: string[] } | undefined;
if (flags.decisions) made = await makeRun(Number(flags.decisions));
const [longRun, shortRun] = made ? [made.runs[0]!, undefined] : positionals;
if (!longRun) {
  console.error("usage: npx tsx bench/post-processor.ts <run dir> [<shorter run dir>] | --decisions <n>");
  process.exit(2);
}
try {
  for (const run of made ? made.runs : [longRun]) await benchmark(run, made ? join(made.runs[0]!, "k6-summary.json") : join(run, "k6-summary.json"));
} finally {
  if (made) rmSync(made.dir, { recursive: true, force: true });
}

async function benchmark(longRun: string, summaryFile: string): Promise<void> {
  const file = outputOf(longRun);
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  console.log(`post-processor benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.versions.node}`);
  console.log(`file: ${file} (${mb(statSync(file).size)} MiB)`);

  // One pass, then one thread per core (asked for, so even a file under the default's 256 MiB is split), then jq.
  const single = await analyze(file, 1);
  const ours = await analyze(file, cpus().length);
  const jq = await jqPass(file);
  const line = (a: Analysis) => `${a.wallSeconds.toFixed(1)} s on ${a.workers} thread(s) (${(a.lines / a.wallSeconds / 1e6).toFixed(2)} M lines/s, ${a.lines.toLocaleString("en-US")} lines), peak RSS ${mb(a.peakRssBytes)} MiB`;
  console.log(`\ngauntlet analyze --workers 1: ${line(single)}`);
  console.log(`gauntlet analyze --workers ${cpus().length}: ${line(ours)}`);
  // The threads must give exactly the one pass's figures (tests/unit/parallel-analysis.test.ts checks every field).
  const sameFigures = single.requests === ours.requests && (["p50Ms", "p95Ms", "p99Ms"] as const).every((p) => single.latencyMs[p] === ours.latencyMs[p]);
  console.log(`jq (select latency points only): ${jq.seconds.toFixed(1)} s for ${jq.points.toLocaleString("en-US")} points`);
  const SPEED_UP_AIM = 5;
  const speedUp = jq.seconds / Math.min(ours.wallSeconds, single.wallSeconds);
  const failures: string[] = [];
  if (!sameFigures) failures.push("the threads' count or percentiles differ from the one pass's");
  // The aim is set for a full flood's output (600,000 decisions) as k6 writes it, every sample of
  // a request (~13 lines each): there the post-processor's skipping unread lines is measured.
  // Gauntlet's own output holds only what the gates read (~2 lines a request, half of them the
  // latency points jq selects): nothing is left to skip, and the ratio is shown, not judged.
  const linesPerDecision = ours.lines / ours.latencyMs.count;
  const fullLength = ours.latencyMs.count >= 500_000;
  const everySample = linesPerDecision >= 5;
  const aimApplies = fullLength && everySample;
  if (aimApplies && speedUp < SPEED_UP_AIM) failures.push(`speed-up over jq ${speedUp.toFixed(1)}x is under the ${SPEED_UP_AIM}x aim`);
  const why = aimApplies ? "on this full-length output" : !fullLength ? "applies to a 600,000-decision output, not this one" : `applies to an output of every k6 sample; this one has ${linesPerDecision.toFixed(1)} lines a decision`;
  console.log(`speed-up over jq: one pass ${(jq.seconds / single.wallSeconds).toFixed(1)}x, threads ${(jq.seconds / ours.wallSeconds).toFixed(1)}x; the better ${speedUp.toFixed(1)}x (aim ≥ ${SPEED_UP_AIM}x ${why})`);

  const k6 = k6Summary(summaryFile);
  if (k6) {
    const rows: Array<[string, number, number]> = [
      ["count", ours.latencyMs.count, k6.count ?? Number.NaN],
      ["P50", ours.latencyMs.p50Ms, k6.med ?? Number.NaN],
      ["P95", ours.latencyMs.p95Ms, k6["p(95)"] ?? Number.NaN],
      ["P99", ours.latencyMs.p99Ms, k6["p(99)"] ?? Number.NaN],
      ["mean", ours.latencyMs.meanMs, k6.avg ?? Number.NaN],
    ];
    console.log(`\nvs k6's own summary of the same run (decision-flood; stated histogram error ±${HISTOGRAM_RELATIVE_ERROR * 100}%):`);
    for (const [name, mine, theirs] of rows) {
      const error = Math.abs(mine - theirs) / theirs;
      // The bound: counts equal; every percentile and the mean within the histogram's 0.1%.
      const within = name === "count" ? mine === theirs : error <= HISTOGRAM_RELATIVE_ERROR;
      if (!within) failures.push(`${name}: gauntlet ${mine} vs k6 ${theirs}`);
      console.log(`  ${name.padEnd(5)} gauntlet ${mine.toFixed(4).padStart(12)}  k6 ${theirs.toFixed(4).padStart(12)}  ${name === "count" ? (within ? "equal" : "DIFFERENT") : `${(error * 100).toFixed(3)}% ${within ? "ok" : "OVER THE BOUND"}`}`);
    }
  } else {
    console.log("\nno k6 summary beside the output: the percentiles were not checked");
  }

  if (shortRun) {
    const short = await analyze(outputOf(shortRun));
    const ratio = ours.peakRssBytes / short.peakRssBytes;
    console.log(`\npeak RSS: ${mb(short.peakRssBytes)} MiB for ${short.lines.toLocaleString("en-US")} lines vs ${mb(ours.peakRssBytes)} MiB for ${ours.lines.toLocaleString("en-US")} lines (${((ratio - 1) * 100).toFixed(1)}% apart)`);
  }

  if (failures.length > 0) {
    console.log(`\nFAIL: ${failures.join("; ")}`);
    process.exitCode = 1;
  } else {
    console.log("\nall checks within their bounds");
  }
}
