// What one pass of the smoke suite costs, and where the time goes: `gauntlet certify --runs N
// --profile smoke` on the correct sandbox governor, then, for each run, its wall time, the time
// its load was driven (the scenario's own schedule: the `drive` phase to the `snapshot` phase in
// its events.ndjson) and the rest — the fixed cost of a run in a session (governor start, reset,
// k6 start and stop, integrity snapshot, reports). The aims of issue 13: a fixed cost ≤ 3 s a run;
// a whole smoke pass ≤ 30 s.
//
//   npx tsx bench/smoke-suite.ts              one pass (about 2 minutes)
//   npx tsx bench/smoke-suite.ts --runs 3
//   npx tsx bench/smoke-suite.ts --lanes 3   the light scenarios of a pass side by side
//
// `certify --runs 100 --profile smoke` takes about 100 times one pass.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Certification } from "../core/certify/certification-schema.ts";
import { REPO_ROOT } from "../core/paths.ts";
import { runCommand } from "../core/process/child-process.ts";

const { values: flags } = parseArgs({ options: { runs: { type: "string", default: "1" }, lanes: { type: "string", default: "1" } } });
const FIXED_COST_AIM_S = 3;
const PASS_AIM_S = 30;

const runs = mkdtempSync(join(tmpdir(), "gauntlet-smoke-bench-"));
// Traversable: PostgreSQL runs as its own user when the benchmark runs as root.
chmodSync(runs, 0o755);
try {
  console.log(`smoke-suite benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), certify --runs ${flags.runs} --lanes ${flags.lanes} --profile smoke, correct sandbox governor`);
  const started = Date.now();
  const result = await runCommand(join(REPO_ROOT, "bin", "gauntlet"), ["certify", "--runs", flags.runs!, "--lanes", flags.lanes!, "--profile", "smoke", "--metrics-port", "0"], {
    env: { ...process.env, GAUNTLET_RUNS_DIR: runs },
  });
  const wallS = (Date.now() - started) / 1000;
  const folder = readdirSync(runs).find((name) => name.endsWith("-certify") && existsSync(join(runs, name, "certification.json")));
  if (!folder) throw new Error(`certify wrote no certification (exit ${result.code}):\n${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}`);
  const certification = JSON.parse(readFileSync(join(runs, folder, "certification.json"), "utf8")) as Certification;

  const phaseAt = (events: Array<{ kind: string; phase?: string; ms: number }>, phase: string) => events.find((e) => e.kind === "phase" && e.phase === phase)?.ms;
  const perScenario = new Map<string, { wall: number[]; drive: number[] }>();
  for (const run of certification.runs) {
    const events = readFileSync(join(run.runDir, "events.ndjson"), "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { kind: string; phase?: string; ms: number });
    const wall = (events.at(-1)!.ms - events[0]!.ms) / 1000;
    const drive = ((phaseAt(events, "snapshot") ?? Number.NaN) - (phaseAt(events, "drive") ?? Number.NaN)) / 1000;
    const entry = perScenario.get(run.scenario) ?? { wall: [], drive: [] };
    entry.wall.push(wall);
    entry.drive.push(drive);
    perScenario.set(run.scenario, entry);
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`\n  ${"scenario".padEnd(16)} ${"wall".padStart(7)} ${"driven".padStart(7)} ${"fixed".padStart(7)}`);
  let fixedWorst = 0;
  for (const [scenario, { wall, drive }] of perScenario) {
    const fixed = mean(wall) - mean(drive);
    fixedWorst = Math.max(fixedWorst, fixed);
    console.log(`  ${scenario.padEnd(16)} ${mean(wall).toFixed(1).padStart(6)}s ${mean(drive).toFixed(1).padStart(6)}s ${fixed.toFixed(1).padStart(6)}s`);
  }
  const passes = Number(flags.runs);
  const perPass = wallS / passes;
  const driven = [...perScenario.values()].reduce((sum, { drive }) => sum + mean(drive), 0);
  console.log(`\n${certification.verdict} — ${certification.streak} of ${passes} passes, ${wallS.toFixed(0)} s in all (session start and reports included)`);
  const schedules = flags.lanes === "1" ? `of which ${driven.toFixed(1)} s are the scenarios' own schedules` : `the scenarios' own schedules add up to ${driven.toFixed(1)} s, run in ${flags.lanes} lanes`;
  console.log(`one pass: ${perPass.toFixed(1)} s, ${schedules} (aim ≤ ${PASS_AIM_S} s: ${perPass <= PASS_AIM_S ? "met" : "not met"})`);
  console.log(`certify --runs 100 --lanes ${flags.lanes} --profile smoke: about ${((perPass * 100) / 3600).toFixed(1)} h`);
  console.log(`fixed cost of a run, worst scenario: ${fixedWorst.toFixed(1)} s (aim ≤ ${FIXED_COST_AIM_S} s: ${fixedWorst <= FIXED_COST_AIM_S ? "met" : "not met"})`);
  if (certification.verdict === "NOT CERTIFIED") process.exitCode = 1;
} finally {
  rmSync(runs, { recursive: true, force: true });
}
