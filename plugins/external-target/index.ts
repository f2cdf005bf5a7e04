// A governor the user runs themselves, described in gauntlet.yaml (`target:`) or by --target URL.
// Gauntlet provisions nothing here; whatever the target does not expose (Redis, a pipeline gauge)
// leaves the gates that need it without data, so the run says "could not judge" for them.
import { z } from "zod";
import { definePlugin } from "../../core/plugins/registry.ts";
import { ExternalTargetSchema } from "../../core/config/gauntlet-config.ts";

export default definePlugin({
  name: "external-target",
  description: "Drive a governor you run yourself (it must answer /v1/health with mode shadow).",
  config: z.strictObject({}),
  setup(ctx) {
    ctx.registerTarget({
      name: "external",
      description: "a user-run governor at a URL",
      async provision({ options }) {
        const target = ExternalTargetSchema.parse(options);
        return {
          name: "external",
          baseUrl: target.url.replace(/\/$/, ""),
          metricsUrl: target.metricsUrl,
          rssMetric: target.rssMetric,
          pipelineMetricsUrl: target.pipelineMetricsUrl,
          pipelineLatencyMetric: target.pipelineLatencyMetric,
          pipelineArrivalMetric: target.pipelineArrivalMetric,
          redisUrl: target.redisUrl,
          keys: target.keys,
          postgresUrl: target.postgresUrl,
          toxiproxyUrl: target.toxiproxyUrl,
          async stop() {},
        };
      },
    });
  },
});
