// The metrics exporter: drains the governor's event list from Redis and serves it as Prometheus
// metrics. This is the "governor → Redis → exporter" pipeline the decision flood checks: the
// list must not build up (backlog) and a decision must become visible in a scrape quickly
// (pipeline latency, read from the newest-arrival gauge below).
import { createServer } from "node:http";
import { Redis } from "ioredis";
import client from "prom-client";
import { KEYS, loadSandboxConfig } from "../config.ts";

const config = loadSandboxConfig();
const stalls = config.seededFaults.includes("stalled-exporter");
const registry = new client.Registry();

const decisions = new client.Counter({
  name: "governor_decisions_total",
  help: "Decisions the governor answered, by verdict.",
  labelNames: ["verdict"] as const,
  registers: [registry],
});
const latency = new client.Histogram({
  name: "governor_decision_latency_seconds",
  help: "Decision latency measured inside the governor (arrival to answer).",
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.05, 0.1, 0.25, 1],
  registers: [registry],
});
const newestArrival = new client.Gauge({
  name: "governor_pipeline_newest_arrival_timestamp_seconds",
  help: "Arrival time (UNIX seconds) of the newest decision this exporter has applied.",
  registers: [registry],
});
const pipelineLatency = new client.Histogram({
  name: "governor_pipeline_latency_seconds",
  help: "Per decision: arrival at the governor → applied here, i.e. visible to the next scrape.",
  buckets: [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.05, 0.1, 0.25, 1, 5],
  registers: [registry],
});
const applied = new client.Counter({
  name: "governor_pipeline_events_applied_total",
  help: "Metrics events drained from Redis and applied.",
  registers: [registry],
});

const redis = new Redis(config.exporter.redisUrl, { maxRetriesPerRequest: null });
redis.on("error", () => undefined);
const startedAt = Date.now();

function apply(event: string): void {
  const first = event.indexOf(",");
  const second = event.indexOf(",", first + 1);
  const arrivalMs = Number(event.slice(0, first));
  decisions.inc({ verdict: event.slice(second + 1) });
  latency.observe(Number(event.slice(first + 1, second)) / 1000);
  newestArrival.set(arrivalMs / 1000);
  pipelineLatency.observe((performance.timeOrigin + performance.now() - arrivalMs) / 1000);
  applied.inc();
}

async function drain(): Promise<void> {
  for (;;) {
    if (stalls && Date.now() - startedAt > 5000) {
      // Seeded fault: the consumer hangs (think: a stuck downstream write) and never drains again.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    const popped = (await redis.blmpop(0.05, 1, KEYS.events, "LEFT", "COUNT", 2000).catch(() => null)) as
      | [string, string[]]
      | null;
    if (popped) for (const event of popped[1]) apply(event);
  }
}

const server = createServer(async (req, res) => {
  if (req.url === "/metrics") {
    res.writeHead(200, { "content-type": registry.contentType });
    res.end(await registry.metrics());
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(config.exporter.port, "127.0.0.1", resolve));
console.log(`exporter up on :${config.exporter.port}${stalls ? " (seeded fault: stalled-exporter)" : ""}`);
void drain();

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
