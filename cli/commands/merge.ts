// `gauntlet merge <dir...>`: one verdict over the outputs of N k6 instances (a k6-operator run's
// runner folders, or any k6 runs of the same plan on execution segments). Counts are summed and
// percentiles come from one histogram holding every instance's samples; the scenario's load gates
// are judged once over the whole. Exit 0 pass, 1 a gate failed, 2 could not judge (an instance
// missing or cut off, too few samples).
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { loadConfig } from "../../core/config/gauntlet-config.ts";
import { mergeInstances, type InstanceBreakdown } from "../../core/distributed/merge-instances.ts";
import { requireSplittable } from "../../core/distributed/splittable.ts";
import { GauntletError } from "../../core/errors.ts";
import { formatNumber as n } from "../../core/gates/gate.ts";
import { textTable } from "../../reports/gate-table.ts";
import { BUILTIN_PLUGINS, builtinRegistry } from "../builtin.ts";
import { repeat } from "../options.ts";
import { applySettings } from "../run-options.ts";

interface MergeFlags {
  scenario: string;
  config?: string;
  set?: string[];
  json?: boolean;
  out?: string;
}

function instanceRow(entry: Pick<InstanceBreakdown, "instance" | "requests" | "failed" | "dropped" | "latency" | "k6">): string[] {
  const l = entry.latency;
  return [entry.instance, n(entry.requests), n(entry.failed), n(entry.dropped), l ? n(l.p50Ms) : "—", l ? n(l.p95Ms) : "—", l ? n(l.p99Ms) : "—", entry.k6 ? n(entry.k6.p95Ms) : "—", entry.k6 ? n(entry.k6.p99Ms) : "—"];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}

export function registerMerge(program: Command): void {
  program
    .command("merge")
    .description("judge N k6 instances' outputs as one run: summed counts, percentiles from one merged histogram, one verdict")
    .argument("<dirs...>", "one folder per instance, each with its k6 output (k6-output.csv …) and k6-summary.json")
    .option("--scenario <name>", "the scenario whose load they ran", "decision-flood")
    .option("-c, --config <file>", "gauntlet.yaml whose plugin settings (thresholds) apply")
    .option("--set <plugin.field=value>", "one plugin setting, e.g. --set decision-flood.thresholds.p99Ms=20 (repeatable)", repeat)
    .option("--json", "print the merged figures and gates as JSON")
    .option("-o, --out <file>", "also write them to this JSON file")
    .action(async (dirs: string[], flags: MergeFlags) => {
      const config = loadConfig(flags.config, BUILTIN_PLUGINS);
      const registry = builtinRegistry(applySettings(config.plugins, flags.set ?? []));
      const { scenario } = registry.scenario(flags.scenario);
      requireSplittable(registry, flags.scenario);
      const merged = await mergeInstances(dirs, scenario.k6Scenario);
      if (merged.problems.length > 0) {
        throw new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", `could not judge the ${dirs.length} instance(s) as one run:\n  ${merged.problems.join("\n  ")}`, {
          hint: "Every instance's complete output is needed: a merged P99 without one of them is not the fleet's P99.",
        });
      }
      const { digest } = merged;
      const gates = scenario.judgeLoad!(digest);
      const judged = new Set(gates.map((gate) => gate.id));
      const notHere = scenario.gates.map((gate) => gate.id).filter((id) => !judged.has(id));
      const verdict = gates.some((gate) => gate.status === "fail") ? "fail" : gates.some((gate) => gate.status === "no-data") ? "could-not-judge" : "pass";
      const exitCode = verdict === "fail" ? 1 : verdict === "pass" ? 0 : 2;
      const latency = digest.latency.summary();
      const report = {
        scenario: scenario.name,
        instances: merged.instances.map(({ dir, instance, output, requests, failed, dropped, latency: l, k6 }) => ({ dir, instance, output, requests, failed, dropped, latencyMs: l, k6 })),
        merged: { requests: digest.requests, failed: digest.failed, dropped: digest.dropped, durationSeconds: digest.durationSeconds, latencyMs: latency },
        k6Combined: merged.k6Combined,
        gates,
        notJudgedHere: notHere,
        verdict,
        exitCode,
      };
      if (flags.out) writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const header = ["instance", "decisions", "failed", "dropped", "P50 ms", "P95 ms", "P99 ms", "k6 P95", "k6 P99"];
        const rows = [header, ...merged.instances.map(instanceRow), instanceRow({ instance: "merged", requests: digest.requests, failed: digest.failed, dropped: digest.dropped, latency, k6: undefined })];
        const combined = merged.k6Combined;
        process.stdout.write(
          `${scenario.name}: ${dirs.length} instance(s) merged — percentiles from one histogram of all ${n(digest.requests)} samples (HDR, 3 significant digits)\n\n${table(rows)}\n` +
            (combined ? `k6's summaries combined: ${n(combined.requests)} decisions, mean ${n(combined.avgMs)} ms, max ${n(combined.maxMs)} ms; their P99s range ${n(combined.p99RangeMs[0])}–${n(combined.p99RangeMs[1])} ms (k6 cannot merge percentiles)\n` : "") +
            `\n${textTable(gates)}\n` +
            (notHere.length ? `not judged from k6's outputs (they need the target itself): ${notHere.join(", ")}\n` : "") +
            `\n${scenario.name} merged: ${verdict.toUpperCase()} · exit ${exitCode}\n`,
        );
      }
      process.exitCode = exitCode;
    });
}
