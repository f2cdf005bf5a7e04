// Scenario 2 — decision flood: a fixed arrival rate of decisions (1,000/s by default) for 60 s
// (quick) or 10 minutes (full, 600,000 decisions), after a 10 s warm-up ramp, with the whole
// metrics pipeline on. The self-test uses quick: a shorter run cannot tell a leak from the heap's
// normal climb between two major collections.
import { definePlugin, parseHistogram, scrape, sleepUnlessAborted, type HistogramSnapshot } from "../../core/index.ts";
import { FloodConfigSchema, floodPlan, type FloodConfig, type FloodPlan } from "./plan.ts";
import { backlogGates, degradationGate, latencyGates, loadGates, memoryGate, pipelineGate } from "./gates.ts";
import { withReplayNote } from "../shared/market-data-notes.ts";

async function scrapeHistogram(url: string, metric: string): Promise<HistogramSnapshot | undefined> {
  return parseHistogram(await scrape(url, 3000).catch(() => ""), metric);
}

export default definePlugin({
  name: "decision-flood",
  description: "Open-model decision flood with latency, error, drop, degradation, backlog, memory and pipeline gates.",
  dependsOn: ["sandbox"],
  config: FloodConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario<FloodConfig, FloodPlan, HistogramSnapshot | undefined>({
      name: "decision-flood",
      description: "1,000 decisions/s (open model) through the full metrics pipeline",
      script: "flood",
      k6Scenario: "decision-flood",
      gates: [
        { id: "latency_p99" }, { id: "latency_p95" }, { id: "latency_mean" }, { id: "error_rate" }, { id: "dropped_iterations" }, { id: "latency_degradation" },
        { id: "redis_backlog_max", requires: ["metricsPipeline"] }, { id: "redis_backlog_end", requires: ["metricsPipeline"] },
        { id: "memory_growth", requires: ["processMetrics"] }, { id: "pipeline_latency_p99", requires: ["metricsPipeline"] },
      ],
      profiles: ["quick", "full", "smoke", "smoke-cold"],
      defaultProfile: "quick",
      // The correct governor is judged on the 60 s flood. Its P99 over one second swings from 3 to
      // 25 ms on a busy 2-core machine, so over the 13 s smoke flood the whole P99 lands either
      // side of the 15 ms threshold (15.1 and 16.8 ms seen in the full suite); 60 s average the
      // bursts out (9.7 ms in a quiet run). The seeded faults still run on smoke, where each trips
      // its gate by a wide margin,
      // after a 2 s warm-up (smoke-cold): 8 s less a row, and a cold start only adds to a fault.
      correctGovernorProfile: "quick",
      // Latency, throughput and the pipeline's delay; memory growth, errors and the backlog count
      // what the governor did, whatever ran beside it.
      timingGates: ["latency_p99", "latency_p95", "latency_mean", "dropped_iterations", "latency_degradation", "pipeline_latency_p99"],
      // 1,000 decisions/s take a core: no other row runs beside any of its rows.
      runsAlone: true,
      // The fleet-sized load: k6 splits it by execution segment (gauntlet k8s render, merge), and
      // these gates are judged over the merged outputs; the rest need the target itself.
      judgeLoad: (digest) => [...latencyGates(digest, config), ...loadGates(digest, config), degradationGate(digest, config)],
      plan: floodPlan,
      expectedSeconds: (plan) => plan.warmupSeconds + plan.durationSeconds,
      samplers: [
        { name: "target-rss", intervalMs: 1000 },
        { name: "redis-backlog", intervalMs: 100 },
        { name: "pipeline-lag", intervalMs: 50 },
      ],
      /** The pipeline histogram's baseline: scraped at the end of k6's warm-up ramp. */
      async during({ target, plan }, signal) {
        const pipeline = target.capabilities.metricsPipeline;
        if (!pipeline) return undefined;
        await sleepUnlessAborted((plan as FloodPlan).warmupSeconds * 1000, signal);
        return signal.aborted ? undefined : scrapeHistogram(pipeline.url, pipeline.latencyMetric);
      },
      async judge(evidence, { target }, baseline) {
        const digest = evidence.k6.digest;
        const { capabilities } = target;
        const pipeline = capabilities.metricsPipeline;
        const after = pipeline ? await scrapeHistogram(pipeline.url, pipeline.latencyMetric) : undefined;
        const gates = [
          ...latencyGates(digest, config),
          ...loadGates(digest, config),
          degradationGate(digest, config),
          ...backlogGates(evidence, config, capabilities),
          memoryGate(evidence, digest, config, capabilities),
          pipelineGate(evidence, digest, config, { before: baseline, after }, capabilities),
        ];
        return withReplayNote(gates, target.venueAdminUrl);
      },
      selftest: [
        { seededFault: "slow-path", mustFail: ["latency_p99", "latency_p95", "latency_mean"], profile: "smoke-cold" },
        { seededFault: "history-scan", mustFail: ["latency_degradation"], profile: "smoke-cold" },
        { seededFault: "event-loop-stall", mustFail: ["dropped_iterations"], profile: "smoke-cold" },
        { seededFault: "error-burst", mustFail: ["error_rate"], profile: "smoke-cold" },
        { seededFault: "memory-leak", mustFail: ["memory_growth"], profile: "smoke-cold" },
        { seededFault: "stalled-exporter", mustFail: ["redis_backlog_max", "redis_backlog_end", "pipeline_latency_p99"], profile: "smoke-cold" },
      ],
    });
  },
});
