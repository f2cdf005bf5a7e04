// The samplers a scenario can ask for, built against what the target exposes. A sampler the
// target cannot support is simply absent; the gate that needs it then has no data and the run
// cannot be judged — it never passes by default.
import { Redis } from "ioredis";
import { LatencyHistogram } from "../analysis/latency-histogram.ts";
import type { TargetHandle } from "../target/target-handle.ts";
import { PollingSampler } from "./polling-sampler.ts";
import { metricValue, scrape } from "./prometheus-scrape.ts";
import { emptySeries, type Series } from "./series.ts";
import { Worker } from "node:worker_threads";

/** A sampler the scenario wants running during the drive phase. */
export type SamplerName = "target-rss" | "redis-backlog" | "pipeline-lag" | "pause-flag";

export interface SamplerRequest {
  name: SamplerName;
  intervalMs: number;
}

export interface RunningSamplers {
  samplers: Map<SamplerName, PollingSampler>;
  /** Every sampled series by name, the pipeline probe's included. */
  series(): Partial<Record<SamplerName, Series>>;
  onPipelineSample(listener: (lagMs: number) => void): void;
  pipelineLag: LatencyHistogram;
  /** The metrics pipeline's Redis, when its backlog is sampled (drained after the load). */
  backlogRedis: Redis | undefined;
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

/** The pause flag over HTTP, for a target without a Redis mirror: `paused` of GET /v1/health. */
async function healthPaused(baseUrl: string): Promise<number | undefined> {
  const response = await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(500) });
  const health = (await response.json()) as { paused?: unknown };
  return typeof health.paused === "boolean" ? Number(health.paused) : undefined;
}

function redisClient(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 1000, enableOfflineQueue: false });
  redis.on("error", () => undefined);
  return redis;
}

export function startSamplers(target: TargetHandle, requests: readonly SamplerRequest[]): RunningSamplers {
  const samplers = new Map<SamplerName, PollingSampler>();
  const probes: Array<{ series: Series; stop(): Promise<void> }> = [];
  const onPipelineSample: Array<(value: number) => void> = [];
  const pipelineLag = new LatencyHistogram();
  const { processMetrics, redisMirror, metricsPipeline } = target.capabilities;
  const wants = (name: SamplerName) => requests.some((request) => request.name === name);
  const backlogRedis = metricsPipeline?.backlog && wants("redis-backlog") ? redisClient(metricsPipeline.backlog.redisUrl) : undefined;
  const mirrorRedis = redisMirror?.pausedKey && wants("pause-flag") ? redisClient(redisMirror.url) : undefined;

  for (const request of requests) {
    let sampler: PollingSampler | undefined;
    switch (request.name) {
      case "target-rss":
        if (processMetrics) {
          sampler = new PollingSampler("target-rss", "bytes", request.intervalMs, async () => metricValue(await scrape(processMetrics.url), processMetrics.rssMetric));
        }
        break;
      case "redis-backlog":
        if (backlogRedis && metricsPipeline?.backlog) {
          const key = metricsPipeline.backlog.key;
          sampler = new PollingSampler("redis-backlog", "events", request.intervalMs, () => backlogRedis.llen(key));
        }
        break;
      case "pause-flag":
        // Where the flag lives: the Redis mirror's pause key when declared, else the minimum contract's /v1/health.
        if (mirrorRedis && redisMirror?.pausedKey) {
          const key = redisMirror.pausedKey;
          sampler = new PollingSampler("pause-flag", "flag", request.intervalMs, () => mirrorRedis.exists(key));
        } else {
          sampler = new PollingSampler("pause-flag", "flag", request.intervalMs, () => healthPaused(target.baseUrl));
        }
        break;
      case "pipeline-lag":
        if (metricsPipeline?.arrivalMetric) {
          probes.push(startPipelineProbe(metricsPipeline.url, metricsPipeline.arrivalMetric, request.intervalMs, pipelineLag, onPipelineSample));
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
    backlogRedis,
    async stop() {
      for (const sampler of samplers.values()) sampler.stop();
      await Promise.all(probes.map((probe) => probe.stop()));
      backlogRedis?.disconnect();
      mirrorRedis?.disconnect();
    },
  };
}
