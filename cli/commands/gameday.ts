// `gauntlet gameday <plan>`: a game day against the sandbox (or --target), with live progress,
// abort conditions and rollback; ends with the usual report.
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadYamlFile } from "../../core/config/yaml-config.ts";
import { GauntletError } from "../../core/errors.ts";
import { repoPath } from "../../core/paths.ts";
import { GamedayPlanSchema } from "../../plugins/gameday/plan-schema.ts";
import { collect, integer } from "../options.ts";
import { runFromFlags, type RunFlags } from "../run-options.ts";
import { printOutcome } from "./run.ts";
import { ensureSetup } from "../setup.ts";

export function resolvePlan(arg: string): string {
  if (existsSync(arg)) return arg;
  const named = join(repoPath("gamedays"), arg.endsWith(".yaml") ? arg : `${arg}.yaml`);
  if (existsSync(named)) return named;
  throw new GauntletError("GAUNTLET_USAGE", `no game-day plan "${arg}" (not a file, nor gamedays/${arg}.yaml)`);
}

export function registerGameday(program: Command): void {
  program
    .command("gameday")
    .description("play a game-day plan: fault profiles in sequence under load, abort and roll back on a critical condition")
    .argument("<plan>", "a plan in gamedays/ (e.g. broker-and-latency) or a path")
    .option("--metrics-port <port>", "live Prometheus metrics port (0 = off)", integer("--metrics-port", 0, 65535))
    .option("-t, --target <url>", "play it against a governor you run (connected to the venue ports it is told)")
    .option("--target-cmd <command>", "launch your governor with this command and play it there")
    .option("-c, --config <file>", "gauntlet.yaml: the target, its capabilities and proxies, allowed hosts")
    .option("--allow-host <host>", "allow a non-loopback target host (repeatable)", collect)
    .action(async (planArg: string, flags: RunFlags) => {
      await ensureSetup();
      const plan = loadYamlFile(resolvePlan(planArg), GamedayPlanSchema, "GAUNTLET_CONFIG_INVALID");
      const outcome = await runFromFlags("gameday", { ...flags, profile: "plan" }, { gameday: { plan } });
      printOutcome(outcome);
      process.exitCode = outcome.exitCode;
    });
}
