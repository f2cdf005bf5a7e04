// Scenario 2 — decision flood: a fixed arrival rate of decisions (1,000/s by default) for 60 s
// (quick), 10 minutes (full, 600,000 decisions) or 20 s (selftest), with the whole metrics
// pipeline on.
import { definePlugin } from "../../core/plugins/registry.ts";
import type { FloodPlan } from "../../core/plan.ts";
import { FloodConfigSchema, type FloodConfig } from "./config.ts";
import { backlogGates, degradationGate, latencyGates, loadGates, memoryGate, pipelineGate } from "./gates.ts";

export default definePlugin({
  name: "decision-flood",
  description: "Open-model decision flood with latency, error, drop, degradation, backlog, memory and pipeline gates.",
  dependsOn: ["sandbox"],
  config: FloodConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario<FloodConfig>({
      name: "decision-flood",
      description: "1,000 decisions/s (open model) through the full metrics pipeline",
      script: "flood",
      k6Scenario: "decision_flood",
      profiles: ["quick", "full", "selftest"],
      defaultProfile: "quick",
      prepare({ runId, target, profile }) {
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
      judge(evidence) {
        const digest = evidence.k6.digest;
        return [
          ...latencyGates(digest, config),
          ...loadGates(digest, config),
          degradationGate(digest, config),
          ...backlogGates(evidence, config),
          memoryGate(evidence, digest, config),
          pipelineGate(evidence, digest, config),
        ];
      },
      selftest: [
        { fault: "slow-path", mustFail: ["latency_p99", "latency_p95"] },
        { fault: "history-scan", mustFail: ["latency_degradation"] },
        { fault: "event-loop-stall", mustFail: ["dropped_iterations"] },
        { fault: "error-burst", mustFail: ["error_rate"] },
        { fault: "memory-leak", mustFail: ["memory_growth"] },
        { fault: "stalled-exporter", mustFail: ["redis_backlog_max", "redis_backlog_end", "pipeline_latency_p99"] },
      ],
    });
  },
});
