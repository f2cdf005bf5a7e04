import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { z } from "zod";
import { GauntletConfigSchema, loadConfig } from "../../core/config/gauntlet-config.ts";
import { formatIssue, loadYamlFile, parseYamlText } from "../../core/config/yaml-config.ts";
import { isGauntletError } from "../../core/errors.ts";
import { BUILTIN_PLUGINS, builtinRegistry } from "../../cli/builtin.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/config", name);

/** Asserts `fn` throws a GauntletError with `code` whose message contains every part. */
function fails(fn: () => unknown, code: string, parts: string[]): string {
  try {
    fn();
  } catch (error) {
    if (!isGauntletError(error)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return error.message;
  }
  return assert.unreachable("bad config was accepted") as never;
}

test("no --config: every default", () => {
  assert.equal(loadConfig(undefined), { target: "sandbox", allowHosts: [], metricsPort: 8000, plugins: {} });
});

test("a sandbox config: values given override defaults; plugin sections pass through to the registry", () => {
  const config = loadConfig(fixture("gauntlet.yaml"));
  assert.is(config.target, "sandbox");
  assert.is(config.metricsPort, 9100);
  assert.equal(config.plugins, { "decision-flood": { rate: 500, thresholds: { p99Ms: 20 } } });
  const { config: flood } = builtinRegistry(config.plugins).scenario("decision-flood") as { config: { rate: number; thresholds: { p99Ms: number; p95Ms: number } } };
  assert.is(flood.rate, 500);
  assert.is(flood.thresholds.p99Ms, 20);
  assert.is(flood.thresholds.p95Ms, 10, "the rest keep their defaults");
});

test("an external target: URLs validated, defaults filled in", () => {
  const config = loadConfig(fixture("external.yaml"));
  assert.equal(config.target, {
    url: "http://127.0.0.1:7300",
    venue: { brokerPort: 7401, marketDataPort: 7402 },
    capabilities: {
      processMetrics: { url: "http://127.0.0.1:7300/metrics", rssMetric: "process_resident_memory_bytes" },
      redisMirror: { url: "redis://127.0.0.1:6379", stateKey: "gov:state" },
    },
    proxies: [],
    connectTimeoutSeconds: 30,
  });
  assert.equal(config.allowHosts, ["10.0.0.5"]);
});

test("wrong type: the file, the line and the field", () => {
  const file = fixture("metrics-port.fails.yaml");
  fails(() => loadConfig(file), "GAUNTLET_CONFIG_INVALID", [`${file}:3: metricsPort:`, "expected number, received string"]);
  fails(() => loadConfig(fixture("port-range.fails.yaml")), "GAUNTLET_CONFIG_INVALID", ["port-range.fails.yaml:2: metricsPort:", "65535"]);
});

test("an unknown key is named on its own line, not its parent's", () => {
  fails(() => loadConfig(fixture("unknown-key.fails.yaml")), "GAUNTLET_CONFIG_INVALID", ["unknown-key.fails.yaml:4: metricPort:", 'Unrecognized key: "metricPort"']);
});

test("every issue is listed, each with its line and path", () => {
  const message = fails(() => loadConfig(fixture("target.fails.yaml")), "GAUNTLET_CONFIG_INVALID", [
    'target.fails.yaml:3: target.url: target must be a URL such as http://127.0.0.1:9000 (got "not a url")',
    'target.fails.yaml:4: target.redis: Unrecognized key: "redis"',
    "target.fails.yaml:5: allowHosts: Invalid input: expected array, received string",
  ]);
  assert.is(message.split("\n").length, 3);
});

test("invalid YAML syntax is reported with its line", () => {
  fails(() => loadConfig(fixture("syntax.fails.yaml")), "GAUNTLET_CONFIG_INVALID", ["syntax.fails.yaml:5: not valid YAML", "same column"]);
  fails(() => loadConfig(fixture("duplicate-key.fails.yaml")), "GAUNTLET_CONFIG_INVALID", ["duplicate-key.fails.yaml:3: not valid YAML", "Map keys must be unique"]);
});

test("a missing file, a JSON file, and a caller-chosen error code", () => {
  fails(() => loadConfig(fixture("absent.yaml")), "GAUNTLET_CONFIG_INVALID", ["absent.yaml: no such file"]);
  fails(() => parseYamlText("gauntlet.json", '{\n  "metricsPort": "x"\n}', GauntletConfigSchema), "GAUNTLET_CONFIG_INVALID", ["gauntlet.json:2: metricsPort:"]);
  const profile = z.strictObject({ latency: z.number().min(0) });
  fails(() => parseYamlText("slow.yaml", "latency: fast\n", profile, "GAUNTLET_PROFILE_INVALID"), "GAUNTLET_PROFILE_INVALID", ["slow.yaml:1: latency:"]);
  fails(() => loadYamlFile(fixture("absent.yaml"), profile, "GAUNTLET_PROFILE_INVALID"), "GAUNTLET_PROFILE_INVALID", ["no such file"]);
  assert.is(formatIssue({ file: "f.yaml", line: undefined, path: "", message: "bad" }), "f.yaml: (root): bad");
});

test("plugin sections: the registry names the plugin and the path of the field", () => {
  const config = loadConfig(fixture("plugin-threshold.fails.yaml"));
  fails(() => builtinRegistry(config.plugins), "GAUNTLET_CONFIG_INVALID", ['plugin "decision-flood"', 'thresholds: Unrecognized key: "p99ms"', "thresholds.p95Ms:"]);
  const unknown = loadConfig(fixture("plugin-unknown.fails.yaml"));
  fails(() => builtinRegistry(unknown.plugins), "GAUNTLET_PLUGIN_INVALID", ['unknown plugin "moon-landing"', "decision-flood"]);
});

test("plugin sections: checked against the plugins' own schemas, a YAML error names plugins.x with its line", () => {
  // What a caller gets by composing the config schema with the registered plugins' schemas.
  const plugins = z.strictObject(Object.fromEntries(BUILTIN_PLUGINS.map((plugin) => [plugin.name, plugin.config.optional()])));
  const schema = GauntletConfigSchema.extend({ plugins: plugins.default({}) });
  fails(() => loadYamlFile(fixture("plugin-unknown.fails.yaml"), schema), "GAUNTLET_CONFIG_INVALID", [
    'plugin-unknown.fails.yaml:5: plugins.moon-landing: Unrecognized key: "moon-landing"',
  ]);
  fails(() => loadYamlFile(fixture("plugin-threshold.fails.yaml"), schema), "GAUNTLET_CONFIG_INVALID", [
    "plugin-threshold.fails.yaml:5: plugins.decision-flood.thresholds.p99ms:",
    "plugin-threshold.fails.yaml:6: plugins.decision-flood.thresholds.p95Ms: Invalid input: expected number, received string",
  ]);
  const flood = loadYamlFile(fixture("gauntlet.yaml"), schema).plugins["decision-flood"] as { rate: number; thresholds: { p99Ms: number; p95Ms: number } };
  assert.is(flood.rate, 500);
  assert.equal([flood.thresholds.p99Ms, flood.thresholds.p95Ms], [20, 10], "given, then defaulted");
});

test.run();
