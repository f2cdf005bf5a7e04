// gauntlet.yaml (optional, --config): which target, which hosts may be driven, and per-plugin
// settings (every threshold and rate of REQUIREMENTS.md can be overridden here).
import { z } from "zod";
import { CapabilitiesSchema } from "../target/capabilities.ts";
import { loadYamlFile } from "./yaml-config.ts";

const common = {
  /** What the governor offers beyond the minimum contract; undeclared capabilities make their gates "not applicable". */
  capabilities: CapabilitiesSchema.default({}),
  /**
   * The governor's own paths (a Redis, a database) put on Gauntlet's Toxiproxy, so fault profiles can
   * name them: point the governor at 127.0.0.1:<listenPort> instead of <upstream>.
   */
  proxies: z
    .array(z.strictObject({ name: z.string().regex(/^[A-Za-z0-9_-]+$/), upstream: z.string().regex(/^[^:]+:\d+$/, "host:port"), listenPort: z.number().int().min(1).max(65535) }))
    .default([]),
  /** How long the governor has to connect to the venue (both connections) before the run is given up. */
  connectTimeoutSeconds: z.number().positive().default(30),
};

/** A governor the user runs: Gauntlet drives it at `url`; the venue's proxies listen on fixed ports it was told. */
export const UrlTargetSchema = z.strictObject({
  url: z.url({ error: (iss) => `target must be a URL such as http://127.0.0.1:9000 (got ${JSON.stringify(iss.input)})` }),
  venue: z
    .strictObject({
      /** Order entry (the broker proxy) and market data: where the governor connects. */
      brokerPort: z.number().int().min(1).max(65535).default(7401),
      marketDataPort: z.number().int().min(1).max(65535).default(7402),
    })
    .default({ brokerPort: 7401, marketDataPort: 7402 }),
  ...common,
});

/** A governor Gauntlet launches (`--target-cmd`): the addresses reach it as environment variables. */
export const CommandTargetSchema = z.strictObject({
  command: z.string().min(1),
  /** The governor's HTTP port (GAUNTLET_GOVERNOR_PORT); a free one when absent. */
  port: z.number().int().min(1).max(65535).optional(),
  /** Extra environment for the command. */
  env: z.record(z.string(), z.string()).default({}),
  /** Working folder of the command (default: where gauntlet runs). */
  cwd: z.string().optional(),
  ...common,
});

export type UrlTarget = z.output<typeof UrlTargetSchema>;
export type CommandTarget = z.output<typeof CommandTargetSchema>;

export const GauntletConfigSchema = z.strictObject({
  target: z.union([z.literal("sandbox"), UrlTargetSchema, CommandTargetSchema]).default("sandbox"),
  allowHosts: z.array(z.string()).default([]),
  metricsPort: z.number().int().min(0).max(65535).default(8000),
  plugins: z.record(z.string(), z.unknown()).default({}),
  /**
   * Off unless given: a Slack-compatible message is POSTed here when a run or a certification ends
   * (`--webhook` overrides it). Loopback only unless the host is in allowHosts; a failed post is a
   * warning, never a change of verdict or exit code.
   */
  webhook: z
    .strictObject({
      url: z.url({ protocol: /^https?$/, error: (iss) => `webhook.url must be an http(s) URL such as https://hooks.slack.com/services/… (got ${typeof iss.input === "string" ? "a string that is not one" : JSON.stringify(iss.input)})` }),
    })
    .optional(),
});

export type GauntletConfig = z.infer<typeof GauntletConfigSchema>;

/**
 * Load gauntlet.yaml, checking each plugin's section against that plugin's own schema in the
 * same pass, so that a bad threshold is reported with the file, its line and its full path
 * (e.g. `gauntlet.yaml:7: plugins.decision-flood.thresholds.p99Ms: …`).
 */
export function loadConfig(file: string | undefined, plugins: ReadonlyArray<{ name: string; config: z.ZodType }> = []): GauntletConfig {
  if (!file) return GauntletConfigSchema.parse({});
  if (plugins.length === 0) return loadYamlFile(file, GauntletConfigSchema);
  const pluginSections = Object.fromEntries(plugins.map((plugin) => [plugin.name, plugin.config.optional()]));
  const schema = GauntletConfigSchema.extend({ plugins: z.strictObject(pluginSections).default({}) });
  return loadYamlFile(file, schema) as GauntletConfig;
}
