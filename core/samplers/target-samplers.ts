// The samplers a scenario can ask for, built against what the target exposes. A sampler the
// target cannot support is simply absent; the gate that needs it then has no data and the run
// cannot be judged — it never passes by default.
import { Redis } from "ioredis";
import { LatencyHistogram } from "../analysis/latency-histogram.ts";
import type { SamplerRequest, TargetHandle } from "../plugins/contracts.ts";
import { PollingSampler } from "./polling-sampler.ts";
import { metricValue, scrape } from "./prometheus-scrape.ts";

export interface RunningSamplers {
  samplers: Map<SamplerRequest["name"], PollingSampler>;
  pipelineLag: LatencyHistogram;
  redis: Redis | undefined;
  stop(): Promise<void>;
}

export function startSamplers(target: TargetHandle, requests: readonly SamplerRequest[]): RunningSamplers {
  const samplers = new Map<SamplerRequest["name"], PollingSampler>();
  const pipelineLag = new LatencyHistogram();
  const needsRedis = requests.some((r) => r.name === "redis-backlog" || r.name === "pause-flag");
  const redis = needsRedis && target.redisUrl
    ? new Redis(target.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 1000, enableOfflineQueue: false })
    : undefined;
  redis?.on("error", () => undefined);

  for (const request of requests) {
    let sampler: PollingSampler | undefined;
    switch (request.name) {
      case "target-rss":
        if (target.metricsUrl && target.rssMetric) {
          const { metricsUrl, rssMetric } = target;
          sampler = new PollingSampler("target-rss", "bytes", request.intervalMs, async () => metricValue(await scrape(metricsUrl), rssMetric));
        }
        break;
      case "redis-backlog":
        if (redis && target.keys?.events) {
          const key = target.keys.events;
          sampler = new PollingSampler("redis-backlog", "events", request.intervalMs, () => redis.llen(key));
        }
        break;
      case "pause-flag":
        if (redis && target.keys?.paused) {
          const key = target.keys.paused;
          sampler = new PollingSampler("pause-flag", "flag", request.intervalMs, () => redis.exists(key));
        }
        break;
      case "pipeline-lag":
        if (target.pipelineMetricsUrl && target.pipelineArrivalMetric) {
          const { pipelineMetricsUrl, pipelineArrivalMetric } = target;
          // Staleness of the newest decision visible in a scrape, measured when the scrape has
          // been received (conservative: it includes the scrape itself). Under a steady flood
          // this is the pipeline's latency, biased high by at most one inter-arrival gap.
          sampler = new PollingSampler("pipeline-lag", "ms", request.intervalMs, async () => {
            const text = await scrape(pipelineMetricsUrl);
            const newest = metricValue(text, pipelineArrivalMetric);
            if (newest === undefined || newest === 0) return undefined;
            const lag = Math.max(0, performance.timeOrigin + performance.now() - newest * 1000);
            pipelineLag.record(lag);
            return lag;
          });
        }
        break;
    }
    if (sampler) {
      samplers.set(request.name, sampler);
      sampler.start();
    }
  }
  return {
    samplers,
    pipelineLag,
    redis,
    async stop() {
      for (const sampler of samplers.values()) sampler.stop();
      redis?.disconnect();
    },
  };
}
