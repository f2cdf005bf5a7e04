import { test } from "uvu";
import * as assert from "uvu/assert";
import { z } from "zod";
import { isGauntletError } from "../../core/errors.ts";
import type { ScenarioDefinition, TargetDefinition } from "../../core/plugins/contracts.ts";
import { definePlugin, Registry, type Plugin } from "../../core/plugins/registry.ts";
import { BUILTIN_PLUGINS, builtinRegistry } from "../../cli/builtin.ts";

function fails(fn: () => unknown, code: string, parts: string[]): void {
  try {
    fn();
  } catch (error) {
    if (!isGauntletError(error)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return;
  }
  assert.unreachable("the registry accepted it");
}

function scenario(name: string): ScenarioDefinition {
  return {
    name,
    description: name,
    script: name,
    k6Scenario: name,
    gates: [],
    profiles: ["quick"],
    defaultProfile: "quick",
    plan: ({ runId, target }) => ({ scenario: name, runId, targetUrl: target.baseUrl }),
    judge: () => [],
  };
}

function target(name: string): TargetDefinition {
  return { name, description: name, provision: () => Promise.reject(new Error("not in a unit test")) };
}

const base = definePlugin({
  name: "base",
  description: "a target",
  config: z.strictObject({}),
  setup(ctx) {
    ctx.registerTarget(target("base"));
  },
});

const seen: unknown[] = [];
const brokerFailure = definePlugin({
  name: "broker-failure",
  description: "cuts the broker link",
  dependsOn: ["base"],
  config: z.strictObject({ cutSeconds: z.number().positive().default(10), cuts: z.number().int().min(1).default(2) }),
  setup(ctx, config) {
    seen.push(config);
    ctx.registerScenario(scenario("broker-failure"));
  },
});

test("definePlugin freezes the plugin; the registry parses its config (defaults filled) and registers what setup adds", () => {
  assert.ok(Object.isFrozen(brokerFailure));
  seen.length = 0;
  const registry = new Registry().register([base, brokerFailure as Plugin], { "broker-failure": { cuts: 3 } });
  assert.equal(seen, [{ cutSeconds: 10, cuts: 3 }]);
  assert.equal(registry.scenario("broker-failure").config, { cutSeconds: 10, cuts: 3 });
  assert.is(registry.scenario("broker-failure").scenario.name, "broker-failure");
  assert.is(registry.target("base").name, "base");
  assert.equal([...registry.plugins.keys()], ["base", "broker-failure"]);
});

test("two plugins with one name", () => {
  fails(() => new Registry().register([base, base]), "GAUNTLET_PLUGIN_INVALID", ['two plugins are named "base"']);
});

test("a dependency that is not registered", () => {
  fails(() => new Registry().register([brokerFailure as Plugin]), "GAUNTLET_PLUGIN_INVALID", ['plugin "broker-failure" depends on "base"', "not registered"]);
});

test("a config that fails the plugin's schema: the plugin, the path and zod's message", () => {
  fails(() => new Registry().register([base, brokerFailure as Plugin], { "broker-failure": { cuts: 0 } }), "GAUNTLET_CONFIG_INVALID", [
    'plugin "broker-failure"',
    "cuts: Too small: expected number to be >=1",
  ]);
  fails(() => new Registry().register([base, brokerFailure as Plugin], { "broker-failure": { cutSecs: 5 } }), "GAUNTLET_CONFIG_INVALID", [
    'plugin "broker-failure"',
    '(root): Unrecognized key: "cutSecs"',
  ]);
  fails(() => new Registry().register([base, brokerFailure as Plugin], { "broker-failure": { cutSeconds: "ten", cuts: 1.5 } }), "GAUNTLET_CONFIG_INVALID", [
    "cutSeconds: Invalid input: expected number, received string",
    "; cuts:",
  ]);
});

test("config for a plugin nobody registered", () => {
  fails(() => new Registry().register([base], { "broker-failure": {} }), "GAUNTLET_PLUGIN_INVALID", ['config given for unknown plugin "broker-failure"', "known: base"]);
});

test("a scenario or a target registered twice", () => {
  const again = definePlugin({
    name: "again",
    description: "registers broker-failure too",
    config: z.strictObject({}),
    setup(ctx) {
      ctx.registerScenario(scenario("broker-failure"));
    },
  });
  fails(() => new Registry().register([base, brokerFailure as Plugin, again]), "GAUNTLET_PLUGIN_INVALID", ['scenario "broker-failure" is registered twice', 'plugin "again"']);
  const twin = definePlugin({ name: "twin", description: "", config: z.strictObject({}), setup: (ctx) => ctx.registerTarget(target("base")) });
  fails(() => new Registry().register([base, twin]), "GAUNTLET_PLUGIN_INVALID", ['target "base" is registered twice', 'plugin "twin"']);
});

test("unknown scenario or target names list the known ones", () => {
  const registry = new Registry().register([base]);
  fails(() => registry.scenario("flood"), "GAUNTLET_USAGE", ['unknown scenario "flood"']);
  fails(() => registry.target("prod"), "GAUNTLET_USAGE", ['unknown target "prod"', "known: base"]);
});

test("builtinRegistry: scenarios, the sandbox and external targets, the integrity check", () => {
  assert.equal(BUILTIN_PLUGINS.map((plugin) => plugin.name), ["sandbox", "external-target", "integrity", "order-burst", "decision-flood", "flash-crash", "broker-failure", "hard-kill", "state-faults", "venue-faults", "limit-probes", "limit-property", "gameday"]);
  const registry = builtinRegistry();
  assert.equal([...registry.targets.keys()].sort(), ["command", "external", "sandbox"]);
  assert.equal([...registry.scenarios.keys()], [
    "order-burst",
    "decision-flood",
    "flash-crash",
    "broker-failure",
    "hard-kill",
    "state-faults",
    "venue-faults",
    "limit-notional",
    "limit-turnover",
    "limit-single-trade",
    "limit-loss",
    "limit-loss-reconnect",
    "limit-drawdown",
    "limit-property",
  ]);
  assert.equal([...registry.checks.keys()], ["integrity"]);
  const { scenario: flood, config } = registry.scenario("decision-flood");
  assert.is(flood.k6Scenario, "decision-flood");
  assert.is(flood.defaultProfile, "quick");
  assert.ok(flood.profiles.includes("full"));
  assert.is((config as { rate: number }).rate, 1000);
  for (const plugin of BUILTIN_PLUGINS) for (const dependency of plugin.dependsOn ?? []) assert.ok(registry.plugins.has(dependency));
});

test("builtinRegistry: a bad decision-flood config is refused with the plugin's name and path", () => {
  fails(() => builtinRegistry({ "decision-flood": { thresholds: { p99Ms: -1 } } }), "GAUNTLET_CONFIG_INVALID", ['plugin "decision-flood"', "thresholds.p99Ms: Too small"]);
  fails(() => builtinRegistry({ sandbox: { port: 1 } }), "GAUNTLET_CONFIG_INVALID", ['plugin "sandbox"', 'Unrecognized key: "port"']);
});

test.run();
