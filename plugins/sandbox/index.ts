// The bundled target: the reference governor with its venue, Redis, PostgreSQL and Toxiproxy.
import { z } from "zod";
import { definePlugin } from "../../core/plugins/registry.ts";
import { FAULTS, type FaultName } from "../../sandbox/config.ts";
import { GauntletError } from "../../core/errors.ts";
import { launchSandbox, PROXY_NAMES } from "./launch.ts";

export default definePlugin({
  name: "sandbox",
  description: "Reference risk governor, venue simulator and metrics exporter on private Redis/PostgreSQL/Toxiproxy.",
  config: z.strictObject({}),
  setup(ctx) {
    ctx.registerTarget({
      name: "sandbox",
      description: "the bundled reference governor (shadow mode)",
      async provision({ runDir, toxiproxyBinary, faults, events, options }) {
        const unknown = faults.filter((fault) => !(FAULTS as readonly string[]).includes(fault));
        if (unknown.length) {
          throw new GauntletError("GAUNTLET_USAGE", `unknown sandbox fault ${unknown.map((f) => `"${f}"`).join(", ")}; allowed: ${FAULTS.join(", ")}`);
        }
        const sandbox = await launchSandbox({
          dir: runDir,
          toxiproxyBinary,
          faults: faults as FaultName[],
          venue: options.venue as never,
          limits: options.limits as never,
          replay: options.replay as never,
        });
        for (const managed of sandbox.processes) events.emit("service.start", { name: managed.name, pid: managed.pid, log: managed.logFile });
        return {
          name: "sandbox",
          baseUrl: sandbox.governorUrl,
          metricsUrl: sandbox.governorMetricsUrl,
          rssMetric: "governor_process_resident_memory_bytes",
          pipelineMetricsUrl: sandbox.exporterMetricsUrl,
          pipelineLatencyMetric: "governor_pipeline_latency_seconds",
          pipelineArrivalMetric: "governor_pipeline_newest_arrival_timestamp_seconds",
          redisUrl: sandbox.redisUrl,
          keys: sandbox.keys,
          postgresUrl: sandbox.postgresUrl,
          toxiproxyUrl: sandbox.toxiproxyUrl,
          proxies: [...PROXY_NAMES],
          venueAdminUrl: sandbox.venueAdminUrl,
          venueJournal: sandbox.journal,
          venueMarketLog: sandbox.config.venue.marketLog,
          stop: sandbox.stop,
        };
      },
    });
  },
});
