// `gauntlet compare <runA> <runB>`: per-gate deltas between two runs of one scenario, and the plan
// differences that may explain them. Exit 0; 1 with --fail-on-regression when one regressed; 2 for
// a run that cannot be read (named by file and field).
import type { Command } from "commander";
import { loadRun } from "../../core/history/run-refs.ts";
import { compareResults, DEFAULT_TOLERANCE_PCT } from "../../core/results/compare-results.ts";
import { compareText } from "../../reports/compare-table.ts";
import { decimal } from "../options.ts";

interface CompareFlags {
  json?: boolean;
  failOnRegression?: boolean;
  tolerance: number;
}

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description("per-gate deltas between two runs of one scenario, regressions flagged (exit 1 with --fail-on-regression when one is found)")
    .argument("<runA>", "the earlier run: a run folder, a run id of the runs folder, latest or latest~N (N runs before the newest)")
    .argument("<runB>", "the later run, named the same way")
    .option("--json", "print the comparison as JSON")
    .option("--fail-on-regression", "exit 1 when a gate went pass → fail or a latency percentile got worse than the tolerance")
    .option("--tolerance <pct>", "how much worse (%) a latency percentile may get before it counts as a regression", decimal("--tolerance", 0, 100_000), DEFAULT_TOLERANCE_PCT)
    .action((refA: string, refB: string, flags: CompareFlags) => {
      const comparison = compareResults(loadRun(refA), loadRun(refB), flags.tolerance);
      process.stdout.write(flags.json ? `${JSON.stringify(comparison, null, 2)}\n` : compareText(comparison));
      process.exitCode = flags.failOnRegression && comparison.regressions.length > 0 ? 1 : 0;
    });
}
