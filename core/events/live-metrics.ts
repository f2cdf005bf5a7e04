// Gauntlet's own Prometheus endpoint during a run (default :8000/metrics): what k6 sees, what
// the samplers see, which faults are active, and an alert gauge when the rolling P99 passes
// 20 ms (ops/prometheus/gauntlet-alerts.yaml has the same rule for a real Prometheus).
import { createServer, type Server } from "node:http";
import client from "prom-client";
import { GauntletError } from "../errors.ts";
import { isPortFree } from "../process/ports.ts";

export const LATENCY_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class LiveMetrics {
  readonly registry = new client.Registry();
  readonly decisionLatency = new client.Histogram({
    name: "gauntlet_decision_latency_seconds",
    help: "Decision latency as k6 measured it (request sent to response received).",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly decisions = new client.Counter({ name: "gauntlet_decisions_total", help: "Decisions answered (k6 samples).", registers: [this.registry] });
  readonly errors = new client.Counter({ name: "gauntlet_decision_errors_total", help: "Decisions that failed (HTTP error or timeout).", registers: [this.registry] });
  readonly dropped = new client.Counter({ name: "gauntlet_dropped_iterations_total", help: "Decisions k6 could not start on time (open model).", registers: [this.registry] });
  readonly rollingP99 = new client.Gauge({ name: "gauntlet_decision_latency_p99_seconds", help: "P99 decision latency over the last 10 s.", registers: [this.registry] });
  readonly alert = new client.Gauge({ name: "gauntlet_alert_active", help: "1 while an alert condition holds.", labelNames: ["alert"] as const, registers: [this.registry] });
  readonly activeFaults = new client.Gauge({ name: "gauntlet_active_faults", help: "Faults currently applied, by proxy and fault.", labelNames: ["proxy", "fault"] as const, registers: [this.registry] });
  readonly recoveryTime = new client.Gauge({ name: "gauntlet_recovery_time_seconds", help: "Last measured recovery time after a fault.", registers: [this.registry] });
  readonly redisBacklog = new client.Gauge({ name: "gauntlet_redis_backlog_events", help: "Metrics events waiting in the target's Redis list.", registers: [this.registry] });
  readonly pipelineLatency = new client.Histogram({ name: "gauntlet_pipeline_latency_seconds", help: "Decision arrival → visible in a scrape of the target's exporter.", buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly targetRss = new client.Gauge({ name: "gauntlet_target_resident_memory_bytes", help: "Resident memory of the governor under test.", registers: [this.registry] });
  readonly runInfo = new client.Gauge({ name: "gauntlet_run_info", help: "The run being driven.", labelNames: ["run_id", "scenario", "profile"] as const, registers: [this.registry] });
  private server: Server | undefined;

  async listen(port: number): Promise<void> {
    if (!(await isPortFree(port, "0.0.0.0"))) {
      throw new GauntletError("GAUNTLET_PORT_IN_USE", `port ${port} (live Prometheus metrics) is already in use`, {
        hint: `Stop what listens on ${port}, or pass --metrics-port <port> (0 turns the endpoint off).`,
      });
    }
    this.server = createServer(async (req, res) => {
      if (req.url === "/metrics") {
        res.writeHead(200, { "content-type": this.registry.contentType });
        res.end(await this.registry.metrics());
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
