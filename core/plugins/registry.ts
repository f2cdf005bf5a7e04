// definePlugin and the registry. Registration checks everything up front, by name, with a clear
// error: a duplicate name, a dependency that is not registered, a config that fails the plugin's
// schema (the zod message, the plugin and the path of the field).
import { z } from "zod";
import { GauntletError } from "../errors.ts";
import type { CheckDefinition, K6Plan, ScenarioDefinition, TargetDefinition } from "./contracts.ts";

export interface PluginContext {
  registerScenario<C, P extends K6Plan = K6Plan, D = unknown>(scenario: ScenarioDefinition<C, P, D>): void;
  registerTarget(target: TargetDefinition): void;
  /** A check runs after every scenario, in registration order. */
  registerCheck(check: CheckDefinition): void;
}

export interface Plugin<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  dependsOn?: string[];
  config: S;
  setup(ctx: PluginContext, config: z.output<S>): void;
}

export function definePlugin<S extends z.ZodType>(plugin: Plugin<S>): Plugin<S> {
  return Object.freeze(plugin);
}

export function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`)
    .join("; ");
}

export class Registry {
  readonly plugins = new Map<string, Plugin>();
  readonly scenarios = new Map<string, { scenario: ScenarioDefinition<unknown>; config: unknown }>();
  readonly targets = new Map<string, TargetDefinition>();
  readonly checks = new Map<string, CheckDefinition>();

  register(plugins: readonly Plugin[], configs: Record<string, unknown> = {}): this {
    for (const plugin of plugins) {
      if (this.plugins.has(plugin.name)) {
        throw new GauntletError("GAUNTLET_PLUGIN_INVALID", `two plugins are named "${plugin.name}"`);
      }
      this.plugins.set(plugin.name, plugin);
    }
    for (const name of Object.keys(configs)) {
      if (!this.plugins.has(name)) {
        throw new GauntletError("GAUNTLET_PLUGIN_INVALID", `config given for unknown plugin "${name}" (known: ${[...this.plugins.keys()].join(", ")})`);
      }
    }
    for (const plugin of plugins) {
      for (const dependency of plugin.dependsOn ?? []) {
        if (!this.plugins.has(dependency)) {
          throw new GauntletError("GAUNTLET_PLUGIN_INVALID", `plugin "${plugin.name}" depends on "${dependency}", which is not registered`);
        }
      }
      const parsed = plugin.config.safeParse(configs[plugin.name] ?? {});
      if (!parsed.success) {
        throw new GauntletError("GAUNTLET_CONFIG_INVALID", `plugin "${plugin.name}": ${formatZodIssues(parsed.error)}`);
      }
      const config = parsed.data;
      plugin.setup(
        {
          registerScenario: (scenario) => {
            if (this.scenarios.has(scenario.name)) {
              throw new GauntletError("GAUNTLET_PLUGIN_INVALID", `scenario "${scenario.name}" is registered twice (plugin "${plugin.name}")`);
            }
            this.scenarios.set(scenario.name, { scenario: scenario as unknown as ScenarioDefinition<unknown>, config });
          },
          registerTarget: (target) => {
            if (this.targets.has(target.name)) {
              throw new GauntletError("GAUNTLET_PLUGIN_INVALID", `target "${target.name}" is registered twice (plugin "${plugin.name}")`);
            }
            this.targets.set(target.name, target);
          },
          registerCheck: (check) => {
            if (this.checks.has(check.name)) {
              throw new GauntletError("GAUNTLET_PLUGIN_INVALID", `check "${check.name}" is registered twice (plugin "${plugin.name}")`);
            }
            this.checks.set(check.name, check);
          },
        },
        config,
      );
    }
    return this;
  }

  scenario(name: string): { scenario: ScenarioDefinition<unknown>; config: unknown } {
    const found = this.scenarios.get(name);
    if (!found) {
      throw new GauntletError("GAUNTLET_USAGE", `unknown scenario "${name}"; known: ${[...this.scenarios.keys()].join(", ")}`);
    }
    return found;
  }

  target(name: string): TargetDefinition {
    const found = this.targets.get(name);
    if (!found) throw new GauntletError("GAUNTLET_USAGE", `unknown target "${name}"; known: ${[...this.targets.keys()].join(", ")}`);
    return found;
  }
}
