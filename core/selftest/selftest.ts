// The self-test matrix: every gate has been seen to fail. For each scenario, the correct sandbox
// governor must pass every gate, and each seeded fault must make the gates it targets fail (by
// gate id in the verdict, not merely a non-zero exit).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "../plugins/registry.ts";
import { runScenario } from "../orchestrator/run-scenario.ts";
import type { Reporter } from "../orchestrator/run-results.ts";
import { openRunSession } from "../orchestrator/run-session.ts";
import { log } from "../log.ts";
import { runsDir } from "../paths.ts";
import { build, type Build } from "../provenance.ts";
import { formatNumber, type GateResult } from "../gates/gate.ts";

export interface SelftestOutcome {
  scenario: string;
  /** The seeded fault switched on, or "none" for the correct governor. */
  seededFault: string;
  /** The profile the row ran on. */
  profile: string;
  expected: string;
  failedGates: string[];
  noDataGates: string[];
  ok: boolean;
  runDir: string;
  verdict: string;
  /** The correct governor's first attempt, when it failed and the row ran once more (see below). */
  firstAttempt?: string;
}

export async function runSelftest(options: { registry: Registry; scenarios?: string[]; seededFaults?: string[]; metricsPort: number; reporters?: readonly Reporter[]; profile?: string }): Promise<SelftestOutcome[]> {
  const rows: SelftestOutcome[] = [];
  // One set of services for the whole matrix (the market, the sandbox's Redis and PostgreSQL),
  // reset between rows: each row pays only for its governor and k6.
  const session = await openRunSession({ registry: options.registry, target: "sandbox", label: "selftest" });
  try {
    const names = options.scenarios?.length ? options.scenarios : [...options.registry.scenarios.keys()];
    for (const name of names) {
      const { scenario } = options.registry.scenario(name);
      // The correct governor first, on its own profile where the scenario names one.
      const cases = [{ seededFault: "none", mustFail: [] as string[], profile: scenario.correctGovernorProfile }, ...(scenario.selftest ?? [])].filter(
        (c) => !options.seededFaults?.length || options.seededFaults.includes(c.seededFault),
      );
      for (const testCase of cases) {
        log.info(`\n=== selftest ${name}: ${testCase.seededFault === "none" ? "correct governor" : `fault ${testCase.seededFault}`}${testCase.profile ? ` (${testCase.profile})` : ""} ===`);
        // A profile asked for (smoke, in CI) where the scenario has it; else the self-test's own.
        const profile = testCase.profile ?? (options.profile && scenario.profiles.includes(options.profile) ? options.profile : (scenario.selftestProfile ?? scenario.defaultProfile));
        const run = () =>
          runScenario({
            registry: options.registry,
            scenario: name,
            profile,
            target: "sandbox",
            seededFaults: testCase.seededFault === "none" ? [] : [testCase.seededFault],
            metricsPort: options.metricsPort,
            reporters: options.reporters,
            session,
          });
        let outcome = await run();
        // The correct governor gets one more attempt when it fails: on a shared 2-core machine its
        // latency has crossed 15 ms in one run of many (P99 20.9 ms over 60 s, where quiet runs
        // measure 9–10 ms). A real bug fails both attempts; the row keeps what the first one failed.
        let firstAttempt: string | undefined;
        if (testCase.seededFault === "none" && outcome.results.verdict !== "pass") {
          firstAttempt = `${outcome.results.verdict}: ${describeFailures(outcome.results.gates)} (${outcome.runDir})`;
          log.warn(`selftest ${name}: the correct governor's first attempt was ${firstAttempt}; running it once more`);
          outcome = await run();
        }
        const gates = outcome.results.gates;
        const failedGates = gates.filter((g) => g.status === "fail").map((g) => g.id);
        const noDataGates = gates.filter((g) => g.status === "no-data").map((g) => g.id);
        const ok =
          testCase.seededFault === "none"
            ? outcome.results.verdict === "pass"
            : outcome.results.exitCode !== 2 && testCase.mustFail.every((id) => failedGates.includes(id));
        rows.push({
          scenario: name,
          seededFault: testCase.seededFault,
          profile,
          expected: testCase.seededFault === "none" ? "all gates pass" : `fails ${testCase.mustFail.join(", ")}`,
          failedGates,
          noDataGates,
          ok,
          runDir: outcome.runDir,
          verdict: outcome.results.error ? `${outcome.results.verdict} (${outcome.results.error.code})` : outcome.results.verdict,
          ...(firstAttempt ? { firstAttempt } : {}),
        });
        log.info(`selftest ${name} / ${testCase.seededFault}: ${ok ? "OK" : "NOT AS EXPECTED"} (failed: ${failedGates.join(", ") || "none"})${firstAttempt ? ` on a second attempt; the first: ${firstAttempt}` : ""}`);
      }
    }
  } finally {
    await session.close();
  }
  const record: SelftestRecord = { gauntlet: build(), at: new Date().toISOString(), profile: options.profile, rows };
  writeFileSync(join(runsDir(), "selftest-latest.json"), JSON.stringify(record, null, 2));
  return rows;
}

function describeFailures(gates: readonly GateResult[]): string {
  const failed = gates.filter((gate) => gate.status !== "pass" && gate.status !== "not-applicable");
  return failed.map((gate) => `${gate.id} ${gate.status}${gate.measured === null ? "" : ` ${formatNumber(gate.measured)} ${gate.unit}`}`).join(", ") || "no gate failed";
}

/** runs/selftest-latest.json: the matrix's last outcome, with the build it proved. */
export interface SelftestRecord {
  gauntlet: Build;
  at: string;
  profile: string | undefined;
  rows: SelftestOutcome[];
}

/** The last self-test's summary, if it proved this very commit (a certification reports it). */
export function readLatestSelftest(commit: string): { commit: string; rows: number; asExpected: number; at: string } | undefined {
  const path = join(runsDir(), "selftest-latest.json");
  if (!existsSync(path)) return undefined;
  try {
    const record = JSON.parse(readFileSync(path, "utf8")) as SelftestRecord;
    if (record.gauntlet?.commit !== commit || record.gauntlet.dirty) return undefined;
    return { commit, rows: record.rows.length, asExpected: record.rows.filter((row) => row.ok).length, at: record.at };
  } catch {
    return undefined;
  }
}

export function selftestTable(rows: SelftestOutcome[]): string {
  const header = ["ok", "scenario", "profile", "seeded fault", "expected", "gates that failed", "verdict"];
  const body = rows.map((r) => [r.ok ? "✓" : "✗", r.scenario, r.profile, r.seededFault, r.expected, r.failedGates.join(", ") || "—", r.firstAttempt ? `${r.verdict} (2nd attempt)` : r.verdict]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  return all.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
}
