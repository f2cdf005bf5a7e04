// `gauntlet doctor`: the pre-flight guards alone, each with what to fix.
import type { Command } from "commander";
import { preflightChecks } from "../../orchestrator/preflight.ts";
import { requireAllowedHost, requireShadow } from "../../orchestrator/target-safety.ts";
import { collect, integer } from "../options.ts";

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check tools and versions, services, data, ports, file-descriptor limit and free memory")
    .option("--metrics-port <port>", "the live metrics port a run will use", integer("--metrics-port", 1, 65535), 8000)
    .option("-t, --target <url>", "also probe a governor you run (reachable, shadow mode, loopback)")
    .option("--allow-host <host>", "allow a non-loopback target host", collect)
    .action(async (flags: { metricsPort: number; target?: string; allowHost?: string[] }) => {
      const checks = await preflightChecks({ metricsPort: flags.metricsPort });
      if (flags.target) {
        try {
          requireAllowedHost(flags.target, flags.allowHost ?? []);
          const health = await requireShadow(flags.target);
          checks.push({ name: `target ${flags.target}`, ok: true, detail: `shadow mode (${JSON.stringify(health)})` });
        } catch (error) {
          checks.push({ name: `target ${flags.target}`, ok: false, detail: (error as Error).message, fix: "Start the governor in shadow mode, or fix the URL." });
        }
      }
      const width = Math.max(...checks.map((c) => c.name.length));
      for (const check of checks) {
        const mark = check.ok ? "ok  " : check.optional ? "warn" : "FAIL";
        process.stdout.write(`${mark}  ${check.name.padEnd(width)}  ${check.detail}${check.ok ? "" : `\n      fix: ${check.fix ?? ""}`}\n`);
      }
      const failed = checks.filter((c) => !c.ok && !c.optional).length;
      process.stdout.write(failed ? `\n${failed} check(s) failed.\n` : "\nall checks passed.\n");
      process.exitCode = failed ? 2 : 0;
    });
}
