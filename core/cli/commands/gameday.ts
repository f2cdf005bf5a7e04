// `gauntlet gameday <plan>`: a game day against the sandbox (or --target), with live progress,
// abort conditions and rollback; ends with the usual report.
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadYamlFile } from "../../config/yaml-config.ts";
import { GauntletError } from "../../errors.ts";
import { repoPath } from "../../paths.ts";
import { runScenario } from "../../orchestrator/run-scenario.ts";
import { builtinRegistry } from "../../../plugins/index.ts";
import { GamedayPlanSchema } from "../../../plugins/gameday/plan-schema.ts";
import { integer } from "../options.ts";
import { printOutcome } from "./run.ts";
import { ensureSetup } from "../../setup/run-setup.ts";

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
    .option("--metrics-port <port>", "live Prometheus metrics port (0 = off)", integer("--metrics-port", 0, 65535), 8000)
    .action(async (planArg: string, flags: { metricsPort: number }) => {
      await ensureSetup();
      const plan = loadYamlFile(resolvePlan(planArg), GamedayPlanSchema, "GAUNTLET_CONFIG_INVALID");
      const outcome = await runScenario({
        registry: builtinRegistry({ gameday: { plan } }),
        scenario: "gameday",
        profile: "plan",
        target: "sandbox",
        metricsPort: flags.metricsPort,
      });
      printOutcome(outcome);
      process.exitCode = outcome.exitCode;
    });
}
