// What `run`, `gameday`, `doctor` and `certify` share: the flags that choose a target and tune the
// plugins, turned into a run (gauntlet.yaml first, the flags over it).
import { loadConfig, type GauntletConfig } from "../core/config/gauntlet-config.ts";
import { GauntletError } from "../core/errors.ts";
import { runScenario, type RunOutcome } from "../core/orchestrator/run-scenario.ts";
import { loadRun } from "../core/history/run-refs.ts";
import { checkBaseline, type Baseline } from "../core/results/baseline.ts";
import { DEFAULT_TOLERANCE_PCT } from "../core/results/compare-results.ts";
import { BUILTIN_PLUGINS, builtinRegistry, REPORTERS } from "./builtin.ts";

export interface RunFlags {
  profile?: string;
  target?: string;
  targetCmd?: string;
  allowHost?: string[];
  seededFault?: string[];
  metricsPort?: number;
  config?: string;
  set?: string[];
  /** An earlier run of the same scenario to compare the latency with (folder, run id, latest, latest~N). */
  baseline?: string;
  baselineTolerance?: number;
  /** k6 processes splitting the load (execution segments). */
  instances?: number;
}

/** --baseline, read and checked before anything starts (a missing run or another scenario: exit 2). */
export function baselineFromFlags(scenario: string, flags: Pick<RunFlags, "baseline" | "baselineTolerance">): Baseline | undefined {
  if (!flags.baseline) return undefined;
  const baseline = { ...loadRun(flags.baseline), tolerancePct: flags.baselineTolerance ?? DEFAULT_TOLERANCE_PCT };
  checkBaseline(baseline, scenario);
  return baseline;
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

/**
 * Which target, from the flags and gauntlet.yaml: --target-cmd launches a governor, --target points
 * at one the user runs, else the config's target, else the sandbox. A flag keeps the config's
 * capabilities and proxies for the same governor.
 */
export function chooseTarget(configured: GauntletConfig["target"], flags: Pick<RunFlags, "target" | "targetCmd">): { target: string; targetOptions: Record<string, unknown> } {
  if (flags.target && flags.targetCmd) throw new GauntletError("GAUNTLET_USAGE", "give either --target <url> (a governor you run) or --target-cmd <command> (one Gauntlet launches), not both");
  const base = configured === "sandbox" ? {} : (({ url: _url, command: _command, ...rest }) => rest)(configured as Record<string, unknown>);
  if (flags.targetCmd) return { target: "command", targetOptions: { ...base, command: flags.targetCmd } };
  if (flags.target && flags.target !== "sandbox") return { target: "external", targetOptions: { ...base, url: flags.target } };
  if (flags.target === "sandbox" || configured === "sandbox") return { target: "sandbox", targetOptions: {} };
  return { target: "command" in configured ? "command" : "external", targetOptions: configured };
}

/** One run from the command line's flags and gauntlet.yaml; `plugins` adds settings no flag can carry (a game-day plan). */
export async function runFromFlags(scenario: string, flags: RunFlags, plugins: Record<string, unknown> = {}, baseline = baselineFromFlags(scenario, flags)): Promise<RunOutcome> {
  const config = loadConfig(flags.config, BUILTIN_PLUGINS);
  const registry = builtinRegistry({ ...applySettings(config.plugins, flags.set ?? []), ...plugins });
  const { target, targetOptions } = chooseTarget(config.target, flags);
  return runScenario({
    registry,
    scenario,
    profile: flags.profile,
    target,
    targetOptions,
    allowHosts: [...config.allowHosts, ...(flags.allowHost ?? [])],
    seededFaults: flags.seededFault ?? [],
    metricsPort: flags.metricsPort ?? config.metricsPort,
    reporters: REPORTERS,
    baseline,
    instances: flags.instances,
  });
}

