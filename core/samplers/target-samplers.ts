// The samplers a scenario can ask for, built against what the target exposes. A sampler the
// target cannot support is simply absent; the gate that needs it then has no data and the run
// cannot be judged — it never passes by default.
import { Redis } from "ioredis";
import { LatencyHistogram } from "../analysis/latency-histogram.ts";
import type { SamplerRequest, TargetHandle } from "../plugins/contracts.ts";
import { PollingSampler } from "./polling-sampler.ts";
import { metricValue, scrape } from "./prometheus-scrape.ts";
import { emptySeries, type Series } from "./series.ts";
import { Worker } from "node:worker_threads";

export interface RunningSamplers {
  samplers: Map<SamplerRequest["name"], PollingSampler>;
  /** Every sampled series by name, the pipeline probe's included. */
  series(): Partial<Record<SamplerRequest["name"], Series>>;
  onPipelineSample(listener: (lagMs: number) => void): void;
  pipelineLag: LatencyHistogram;
  redis: Redis | undefined;
  stop(): Promise<void>;
}

/**
 * Staleness of the newest decision visible in a scrape of the exporter: the age of the freshest
 * data a dashboard would show, measured when the scrape has been received. It bounds the
 * per-decision pipeline latency from above (it adds the time since the exporter last applied a
 * batch), and it keeps growing when the exporter stalls. Runs in a worker thread.
 */
function startPipelineProbe(
  url: string,
  metric: string,
  intervalMs: number,
  histogram: LatencyHistogram,
  listeners: Array<(value: number) => void>,
): { series: Series; stop(): Promise<void> } {
  const series = emptySeries("pipeline-staleness", "ms");
  const worker = new Worker(new URL("./pipeline-probe.worker.mjs", import.meta.url), { workerData: { url, metric, intervalMs } });
  worker.on("message", (sample: { at: number; lag?: number }) => {
    if (sample.lag === undefined) {
      series.misses++;
      return;
    }
    series.t.push(sample.at);
    series.v.push(sample.lag);
    histogram.record(sample.lag);
    for (const listener of listeners) listener(sample.lag);
  });
  return {
    series,
    async stop() {
      worker.postMessage("stop");
      await worker.terminate();
    },
  };
}

export function startSamplers(target: TargetHandle, requests: readonly SamplerRequest[]): RunningSamplers {
  const samplers = new Map<SamplerRequest["name"], PollingSampler>();
  const probes: Array<{ series: Series; stop(): Promise<void> }> = [];
  const onPipelineSample: Array<(value: number) => void> = [];
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
          probes.push(startPipelineProbe(target.pipelineMetricsUrl, target.pipelineArrivalMetric, request.intervalMs, pipelineLag, onPipelineSample));
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
    series: () => ({
      ...Object.fromEntries([...samplers].map(([name, sampler]) => [name, sampler.series])),
      ...(probes[0] ? { "pipeline-lag": probes[0].series } : {}),
    }),
    onPipelineSample: (listener) => onPipelineSample.push(listener),
    pipelineLag,
    redis,
    async stop() {
      for (const sampler of samplers.values()) sampler.stop();
      await Promise.all(probes.map((probe) => probe.stop()));
      redis?.disconnect();
    },
  };
}
