// `gauntlet analyze <k6-output>`: the post-processor on a k6 output file (CSV or JSON, gzip or not).
import type { Command } from "commander";
import { availableParallelism } from "node:os";
import { analyzeK6FileParallel } from "../../core/analysis/parallel-analysis.ts";
import { GauntletError } from "../../core/errors.ts";
import { formatNumber as n } from "../../core/gates/gate.ts";
import { integer } from "../options.ts";

export function registerAnalyze(program: Command): void {
  program
    .command("analyze")
    .description("one streaming pass over a k6 output file: counts and latency percentiles")
    .argument("<file>", "k6 --out csv=… or --out json=… file (.gz accepted)")
    .option("--scenario <name>", "k6 scenario whose samples count (a plain k6 script's is \"default\")", "decision-flood")
    .option("--json", "print the figures as JSON")
    .option(
      "--workers <n>",
      "threads reading byte ranges of the file (default: one per core for a file of 256 MiB or more; a .gz file is always read in one pass)",
      integer("--workers", 1, 64),
      availableParallelism(),
    )
    .action(async (file: string, flags: { scenario: string; json?: boolean; workers: number }, command: Command) => {
      const started = performance.now();
      // Threads cost ~0.2 s to start: by default only a large file is split; --workers asks for it.
      const asked = command.getOptionValueSource("workers") === "cli";
      const { digest, stats, points, workers } = await analyzeK6FileParallel(file, flags.scenario, { workers: flags.workers, ...(asked ? { minBytes: 0 } : {}) });
      if (digest.requests === 0) {
        const byCount = [...digest.requestsByScenario].sort(([, a], [, b]) => b - a);
        const found = byCount.map(([name, count]) => `${name || "(no scenario tag)"} (${n(count)} requests)`);
        // The busiest named scenario is the one to measure (setup() requests carry no scenario tag).
        const busiest = byCount.find(([name]) => name)?.[0];
        throw new GauntletError("GAUNTLET_USAGE", `${file}: no request of k6 scenario "${flags.scenario}" (${found.length ? `the file has: ${found.join(", ")}` : "the file has no http_req_duration samples at all"})`, {
          hint: busiest ? `Pass --scenario ${busiest}.` : "Write the file with k6 run --out csv=… (or --out json=…) on a script that sends HTTP requests.",
        });
      }
      const seconds = (performance.now() - started) / 1000;
      const latency = digest.latency.summary();
      const figures = {
        file,
        lines: stats.lines,
        bytes: stats.bytes,
        points,
        workers,
        requests: digest.requests,
        failed: digest.failed,
        dropped: digest.dropped,
        latencyMs: latency,
        wallSeconds: seconds,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
      };
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `${file}: ${n(stats.lines)} lines, ${n(digest.requests)} decisions, ${n(digest.failed)} failed, ${n(digest.dropped)} dropped\n` +
          `latency ms: mean ${n(latency.meanMs)} · p50 ${n(latency.p50Ms)} · p95 ${n(latency.p95Ms)} · p99 ${n(latency.p99Ms)} · max ${n(latency.maxMs)}\n` +
          `${n(seconds)} s, ${n(stats.lines / seconds)} lines/s on ${workers} thread${workers === 1 ? "" : "s"}, peak RSS ${n(figures.peakRssBytes / 2 ** 20)} MiB\n`,
      );
    });
}
