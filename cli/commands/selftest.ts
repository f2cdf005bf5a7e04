// `gauntlet selftest`: the fault matrix (each seeded fault must fail its gates; the correct
// governor must pass them all). Exit 0 only when every row is as expected.
import type { Command } from "commander";
import { runSelftest, selftestTable } from "../../core/selftest/selftest.ts";
import { builtinRegistry, REPORTERS } from "../builtin.ts";
import { collect, integer } from "../options.ts";
import { ensureSetup } from "../setup.ts";

export function registerSelftest(program: Command): void {
  program
    .command("selftest")
    .description("prove every gate can fail: run each seeded fault and the correct governor")
    .option("--scenario <name>", "only this scenario (repeatable)", collect)
    .option("--seeded-fault <name>", "only these rows (repeatable; 'none' is the correct governor)", collect)
    .option("-p, --profile <profile>", "run every row on this profile where the scenario has it (smoke: CI's short runs)")
    .option("--metrics-port <port>", "live Prometheus metrics port (0 = off); lane k serves on port + k", integer("--metrics-port", 0, 65535), 8000)
    .option(
      "--lanes <n>",
      "rows run side by side, each lane on its own services; a row a timing gate decides (latency, throughput) always runs alone (1 = one row at a time)",
      integer("--lanes", 1, 8),
      3,
    )
    .action(async (flags: { scenario?: string[]; seededFault?: string[]; metricsPort: number; profile?: string; lanes: number }) => {
      await ensureSetup();
      const rows = await runSelftest({
        registry: builtinRegistry(),
        scenarios: flags.scenario,
        seededFaults: flags.seededFault,
        metricsPort: flags.metricsPort,
        reporters: REPORTERS,
        profile: flags.profile,
        lanes: flags.lanes,
      });
      process.stdout.write(`\n${selftestTable(rows)}\n\n`);
      const bad = rows.filter((row) => !row.ok).length;
      process.stdout.write(bad ? `${bad} of ${rows.length} self-test rows are NOT as expected.\n` : `all ${rows.length} self-test rows as expected.\n`);
      process.exitCode = bad ? 1 : 0;
    });
}
