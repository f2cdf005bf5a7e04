// `gauntlet run <scenario>`: one scenario against the sandbox (default) or a user's governor.
import type { Command } from "commander";
import { loadConfig } from "../../config/gauntlet-config.ts";
import { GauntletError } from "../../errors.ts";
import { log } from "../../log.ts";
import { runScenario, type RunOutcome } from "../../orchestrator/run-scenario.ts";
import { BUILTIN_PLUGINS, builtinRegistry } from "../../../plugins/index.ts";
import { textTable } from "../../../reports/gate-table.ts";
import { collect, integer } from "../options.ts";
import { ensureSetup } from "../../setup/run-setup.ts";

export interface RunFlags {
  profile?: string;
  target?: string;
  allowHost?: string[];
  fault?: string[];
  metricsPort?: number;
  config?: string;
  set?: string[];
}

/**
 * `--set flash-crash.source=binance`: one plugin setting from the command line (the value is JSON
 * when it parses as JSON, a string otherwise). The plugin's schema then checks it like a file.
 */
export function applySettings(plugins: Record<string, unknown>, settings: string[]): Record<string, unknown> {
  const merged = structuredClone(plugins) as Record<string, Record<string, unknown>>;
  for (const setting of settings) {
    const match = /^([\w-]+)\.([\w.-]+)=(.*)$/.exec(setting);
    if (!match) throw new GauntletError("GAUNTLET_USAGE", `--set expects <plugin>.<field>=<value>, e.g. flash-crash.source=binance (got "${setting}")`);
    const [, plugin, path, raw] = match as unknown as [string, string, string, string];
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    let node = (merged[plugin] ??= {});
    const keys = path.split(".");
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = value;
  }
  return merged;
}

export function printOutcome(outcome: RunOutcome): void {
  const { results } = outcome;
  const out = process.stdout;
  out.write("\n");
  for (const note of results.notes) out.write(`note: ${note}\n`);
  if (results.notes.length > 0) out.write("\n");
  if (results.gates.length > 0) out.write(`${textTable(results.gates)}\n\n`);
  if (results.error) {
    out.write(`could not judge: ${results.error.code} — ${results.error.message}\n`);
    if (results.error.hint) out.write(`  Hint: ${results.error.hint}\n`);
  }
  out.write(`${results.scenario} (${results.profile}): ${results.verdict.toUpperCase()} · Go/No-Go ${results.goNoGo} · exit ${results.exitCode}\n`);
  out.write(`report: ${outcome.runDir}/report.html · results.json · junit.xml · summary.md · events.ndjson\n`);
}

export async function runFromFlags(scenario: string, flags: RunFlags): Promise<RunOutcome> {
  const config = loadConfig(flags.config, BUILTIN_PLUGINS);
  const registry = builtinRegistry(applySettings(config.plugins, flags.set ?? []));
  let target = "sandbox";
  let targetOptions: Record<string, unknown> = {};
  if (flags.target && flags.target !== "sandbox") {
    target = "external";
    targetOptions = { url: flags.target };
  } else if (!flags.target && config.target !== "sandbox") {
    target = "external";
    targetOptions = config.target;
  }
  return runScenario({
    registry,
    scenario,
    profile: flags.profile,
    target,
    targetOptions,
    allowHosts: [...config.allowHosts, ...(flags.allowHost ?? [])],
    faults: flags.fault ?? [],
    metricsPort: flags.metricsPort ?? config.metricsPort,
  });
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run one scenario and judge every gate (exit 0 pass, 1 a gate failed, 2 could not judge)")
    .argument("<scenario>", "scenario name, e.g. decision-flood (see `gauntlet scenarios`)")
    .option("-p, --profile <profile>", "scenario profile: quick | full | selftest")
    .option("-t, --target <url>", "drive a governor you run (must be a shadow instance); default: the bundled sandbox")
    .option("--allow-host <host>", "allow a non-loopback target host (repeatable)", collect)
    .option("--fault <fault>", "switch on a seeded fault in the sandbox governor (repeatable)", collect)
    .option("--metrics-port <port>", "live Prometheus metrics port (0 = off)", integer("--metrics-port", 0, 65535))
    .option("-c, --config <file>", "gauntlet.yaml with target, allowed hosts and plugin settings")
    .option("--set <plugin.field=value>", "one plugin setting, e.g. --set flash-crash.source=binance (repeatable)", collect)
    .action(async (scenario: string, flags: RunFlags) => {
      await ensureSetup();
      const outcome = await runFromFlags(scenario, flags);
      printOutcome(outcome);
      log.debug(`exit ${outcome.exitCode}`);
      process.exitCode = outcome.exitCode;
    });
}
