// The highest decision rate the sandbox sustains on this machine with P99 ≤ 15 ms and no dropped
// iterations — next to the ceiling of the same k6 script against a do-nothing echo server, the
// most this machine allows k6 plus any server. The ratio survives a noisy machine; absolute
// figures do not.
//
//   npx tsx bench/decision-rate.ts            search both (about 15 minutes on 2 cores)
//   npx tsx bench/decision-rate.ts --quick    one short step each (CI: it still runs)
//
// Each step: `k6 run dist/k6/flood.js` for --seconds at a fixed rate after a 5 s ramp, judged
// from k6's own summary (exact percentiles). The search climbs in steps until a rate fails, then
// bisects between the last pass and the first failure.
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { k6ScriptPath } from "../core/paths.ts";
import { runCommand } from "../core/process/child-process.ts";
import { freePort } from "../core/process/ports.ts";
import { requireTool } from "../core/tools/tools.ts";
import { startSandboxStack } from "../cli/sandbox-stack.ts";
import { startEchoTarget } from "./echo-target.ts";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    seconds: { type: "string", default: "20" },
    start: { type: "string", default: "1000" },
    step: { type: "string", default: "1000" },
    resolution: { type: "string", default: "250" },
    "p99-ms": { type: "string", default: "15" },
  },
});
const seconds = flags.quick ? 5 : Number(flags.seconds);
const p99Limit = Number(flags["p99-ms"]);

interface Step {
  rate: number;
  p99Ms: number;
  dropped: number;
  failedRate: number;
  ok: boolean;
}

const k6 = await requireTool("k6");
const work = mkdtempSync(join(tmpdir(), "gauntlet-bench-"));
// Traversable: PostgreSQL runs as its own user when the benchmark runs as root.
chmodSync(work, 0o755);

async function step(target: string, rate: number): Promise<Step> {
  const summary = join(work, `summary-${rate}.json`);
  await runCommand(
    k6.path,
    ["run", "--quiet", "--no-color", "--summary-export", summary, "-e", `TARGET=${target}`, "-e", `RATE=${rate}`, "-e", `DURATION=${seconds}`, "-e", "WARMUP=5", k6ScriptPath("flood")],
    { env: { ...process.env, GOGC: "400", K6_NO_USAGE_REPORT: "true" }, timeoutMs: (seconds + 60) * 1000 },
  );
  const metrics = (JSON.parse(readFileSync(summary, "utf8")) as { metrics: Record<string, Record<string, number>> }).metrics;
  const latency = metrics["http_req_duration{scenario:decision-flood}"] ?? {};
  const dropped = metrics["dropped_iterations{scenario:decision-flood}"]?.count ?? metrics.dropped_iterations?.count ?? 0;
  const failedRate = metrics["http_req_failed{scenario:decision-flood}"]?.value ?? 0;
  const p99Ms = latency["p(99)"] ?? Number.NaN;
  const result = { rate, p99Ms, dropped, failedRate, ok: p99Ms <= p99Limit && dropped === 0 && failedRate < 0.01 };
  console.log(`  ${String(rate).padStart(6)}/s  p99 ${p99Ms.toFixed(2).padStart(7)} ms  dropped ${String(dropped).padStart(6)}  errors ${(failedRate * 100).toFixed(2)}%  ${result.ok ? "sustained" : "not sustained"}`);
  return result;
}

/** Climb in steps until a rate fails, then bisect down to the resolution. */
async function search(name: string, target: string): Promise<number> {
  console.log(`\n${name} (${target})`);
  if (flags.quick) return (await step(target, Number(flags.start))).ok ? Number(flags.start) : 0;
  let pass = 0;
  let fail = 0;
  for (let rate = Number(flags.start); ; rate += Number(flags.step)) {
    if ((await step(target, rate)).ok) pass = rate;
    else {
      fail = rate;
      break;
    }
  }
  while (fail - pass > Number(flags.resolution)) {
    const middle = Math.round((pass + fail) / 2 / 50) * 50;
    if ((await step(target, middle)).ok) pass = middle;
    else fail = middle;
  }
  return pass;
}

const cpu = cpus();
console.log(`decision-rate benchmark — ${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.versions.node}, k6 ${k6.version}`);
console.log(`criterion: P99 ≤ ${p99Limit} ms, 0 dropped iterations, < 1% errors, over ${seconds} s per step (k6's exact summary)`);

const echo = await startEchoTarget(await freePort());
const echoAddress = echo.address();
const echoUrl = `http://127.0.0.1:${typeof echoAddress === "object" && echoAddress ? echoAddress.port : 0}`;
const ceiling = await search("ceiling: k6 against a do-nothing echo server", echoUrl);
echo.close();

const stack = await startSandboxStack({ dir: join(work, "sandbox") });
let sustained = 0;
try {
  sustained = await search("sandbox governor (full pipeline: Toxiproxy, Redis, PostgreSQL, exporter)", stack.sandbox.governorUrl);
} finally {
  await stack.stop();
  rmSync(work, { recursive: true, force: true });
}

console.log(`\nceiling (k6 + echo):   ${ceiling}/s`);
console.log(`sandbox sustains:      ${sustained}/s`);
console.log(`ratio to the ceiling:  ${ceiling ? ((sustained / ceiling) * 100).toFixed(0) : "—"}%`);
