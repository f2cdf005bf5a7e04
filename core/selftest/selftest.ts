// The self-test matrix: every gate has been seen to fail. For each scenario, the correct sandbox
// governor must pass every gate, and each seeded fault must make the gates it targets fail (by
// gate id in the verdict, not merely a non-zero exit).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Registry } from "../plugins/registry.ts";
import { runScenario } from "../orchestrator/run-scenario.ts";
import { log } from "../log.ts";
import { runsDir } from "../paths.ts";

export interface SelftestRow {
  scenario: string;
  fault: string;
  expected: string;
  failedGates: string[];
  noDataGates: string[];
  ok: boolean;
  runDir: string;
  verdict: string;
}

export async function runSelftest(options: { registry: Registry; scenarios?: string[]; faults?: string[]; metricsPort: number }): Promise<SelftestRow[]> {
  const rows: SelftestRow[] = [];
  const names = options.scenarios?.length ? options.scenarios : [...options.registry.scenarios.keys()];
  for (const name of names) {
    const { scenario } = options.registry.scenario(name);
    const cases = [{ fault: "none", mustFail: [] as string[] }, ...(scenario.selftest ?? [])].filter(
      (c) => !options.faults?.length || options.faults.includes(c.fault),
    );
    for (const testCase of cases) {
      log.info(`\n=== selftest ${name}: ${testCase.fault === "none" ? "correct governor" : `fault ${testCase.fault}`} ===`);
      const outcome = await runScenario({
        registry: options.registry,
        scenario: name,
        profile: scenario.selftestProfile ?? scenario.defaultProfile,
        target: "sandbox",
        faults: testCase.fault === "none" ? [] : [testCase.fault],
        metricsPort: options.metricsPort,
      });
      const gates = outcome.results.gates;
      const failedGates = gates.filter((g) => g.status === "fail").map((g) => g.id);
      const noDataGates = gates.filter((g) => g.status === "no-data").map((g) => g.id);
      const ok =
        testCase.fault === "none"
          ? outcome.results.verdict === "pass"
          : outcome.results.exitCode !== 2 && testCase.mustFail.every((id) => failedGates.includes(id));
      rows.push({
        scenario: name,
        fault: testCase.fault,
        expected: testCase.fault === "none" ? "all gates pass" : `fails ${testCase.mustFail.join(", ")}`,
        failedGates,
        noDataGates,
        ok,
        runDir: outcome.runDir,
        verdict: outcome.results.error ? `${outcome.results.verdict} (${outcome.results.error.code})` : outcome.results.verdict,
      });
      log.info(`selftest ${name} / ${testCase.fault}: ${ok ? "OK" : "NOT AS EXPECTED"} (failed: ${failedGates.join(", ") || "none"})`);
    }
  }
  writeFileSync(join(runsDir(), "selftest-latest.json"), JSON.stringify(rows, null, 2));
  return rows;
}

export function selftestTable(rows: SelftestRow[]): string {
  const header = ["ok", "scenario", "fault", "expected", "gates that failed", "verdict"];
  const body = rows.map((r) => [r.ok ? "✓" : "✗", r.scenario, r.fault, r.expected, r.failedGates.join(", ") || "—", r.verdict]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  return all.map((row) => row.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()).join("\n");
}
