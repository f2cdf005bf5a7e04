// Scenario 2 — decision flood: a fixed arrival rate of decisions (1,000/s by default) for 60 s
// (quick) or 10 minutes (full, 600,000 decisions), after a 10 s warm-up ramp, with the whole
// metrics pipeline on. The self-test uses quick: a shorter run cannot tell a leak from the heap's
// normal climb between two major collections.
import { definePlugin } from "../../core/plugins/registry.ts";
import type { FloodPlan } from "../../core/plan.ts";
import { FloodConfigSchema, type FloodConfig } from "./config.ts";
import { backlogGates, degradationGate, latencyGates, loadGates, memoryGate, pipelineGate } from "./gates.ts";
import { parseHistogram, type HistogramSnapshot } from "../../core/samplers/prometheus-histogram.ts";
import { scrape } from "../../core/samplers/prometheus-scrape.ts";

async function scrapeHistogram(url: string, metric: string): Promise<HistogramSnapshot | undefined> {
  return parseHistogram(await scrape(url, 3000).catch(() => ""), metric);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export default definePlugin({
  name: "decision-flood",
  description: "Open-model decision flood with latency, error, drop, degradation, backlog, memory and pipeline gates.",
  dependsOn: ["sandbox"],
  config: FloodConfigSchema,
  setup(ctx, config) {
    let pipelineBaseline: HistogramSnapshot | undefined;
    ctx.registerScenario<FloodConfig>({
      name: "decision-flood",
      description: "1,000 decisions/s (open model) through the full metrics pipeline",
      script: "flood",
      k6Scenario: "decision_flood",
      profiles: ["quick", "full"],
      defaultProfile: "quick",
      prepare({ runId, target, profile }) {
        pipelineBaseline = undefined; // per-run state: a registry can run the scenario many times
        const durationSeconds = config.profiles[profile as keyof FloodConfig["profiles"]];
        const t = config.thresholds;
        const plan: FloodPlan = {
          scenario: "decision-flood",
          runId,
          targetUrl: target.baseUrl,
          symbol: config.symbol,
          rate: config.rate,
          durationSeconds,
          warmupSeconds: config.warmupSeconds,
          preAllocatedVUs: config.preAllocatedVUs,
          maxVUs: config.maxVUs,
          requestTimeoutMs: config.requestTimeoutMs,
          thresholds: {
            p99Ms: t.p99Ms,
            p95Ms: t.p95Ms,
            meanMs: t.meanMs,
            maxErrorRate: t.maxErrorRate,
            maxDroppedIterations: Math.floor(config.rate * durationSeconds * t.maxDroppedRatio),
          },
        };
        return {
          plan: { ...plan },
          samplers: [
            { name: "target-rss", intervalMs: 1000 },
            { name: "redis-backlog", intervalMs: 100 },
            { name: "pipeline-lag", intervalMs: 50 },
          ],
        };
      },
      async during({ target }, signal) {
        // The pipeline histogram's baseline: the end of k6's warm-up ramp.
        if (!target.pipelineMetricsUrl || !target.pipelineLatencyMetric) return;
        const { pipelineMetricsUrl, pipelineLatencyMetric } = target;
        await abortableSleep(config.warmupSeconds * 1000, signal);
        if (!signal.aborted) pipelineBaseline = await scrapeHistogram(pipelineMetricsUrl, pipelineLatencyMetric);
      },
      async judge(evidence, { target }) {
        const digest = evidence.k6.digest;
        const after = target.pipelineMetricsUrl && target.pipelineLatencyMetric
          ? await scrapeHistogram(target.pipelineMetricsUrl, target.pipelineLatencyMetric)
          : undefined;
        return [
          ...latencyGates(digest, config),
          ...loadGates(digest, config),
          degradationGate(digest, config),
          ...backlogGates(evidence, config),
          memoryGate(evidence, digest, config),
          pipelineGate(evidence, digest, config, { before: pipelineBaseline, after }),
        ];
      },
      selftest: [
        { fault: "slow-path", mustFail: ["latency_p99", "latency_p95", "latency_mean"] },
        { fault: "history-scan", mustFail: ["latency_degradation"] },
        { fault: "event-loop-stall", mustFail: ["dropped_iterations"] },
        { fault: "error-burst", mustFail: ["error_rate"] },
        { fault: "memory-leak", mustFail: ["memory_growth"] },
        { fault: "stalled-exporter", mustFail: ["redis_backlog_max", "redis_backlog_end", "pipeline_latency_p99"] },
      ],
    });
  },
});
