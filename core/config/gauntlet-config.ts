// gauntlet.yaml (optional, --config): which target, which hosts may be driven, and per-plugin
// settings (every threshold and rate of REQUIREMENTS.md can be overridden here).
import { z } from "zod";
import { loadYamlFile } from "./yaml-config.ts";

export const ExternalTargetSchema = z.strictObject({
  url: z.url(),
  metricsUrl: z.url().optional(),
  rssMetric: z.string().default("process_resident_memory_bytes"),
  pipelineMetricsUrl: z.url().optional(),
  pipelineLatencyMetric: z.string().optional(),
  pipelineArrivalMetric: z.string().optional(),
  redisUrl: z.string().optional(),
  keys: z.strictObject({ state: z.string(), paused: z.string(), orderQueue: z.string(), events: z.string() }).partial().optional(),
  postgresUrl: z.string().optional(),
  toxiproxyUrl: z.url().optional(),
});

export const GauntletConfigSchema = z.strictObject({
  target: z.union([z.literal("sandbox"), ExternalTargetSchema]).default("sandbox"),
  allowHosts: z.array(z.string()).default([]),
  metricsPort: z.number().int().min(0).max(65535).default(8000),
  plugins: z.record(z.string(), z.unknown()).default({}),
});

export type GauntletConfig = z.infer<typeof GauntletConfigSchema>;
export type ExternalTarget = z.infer<typeof ExternalTargetSchema>;

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
