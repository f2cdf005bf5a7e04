// The target contract over HTTP (see docs/target-contract.md):
//   POST /v1/decisions      one decision
//   GET  /v1/health         mode (always "shadow" here), broker link, data age, pause flag
//   GET  /v1/state          the governor's own counters and books (for the integrity check)
//   POST /v1/admin/reset    shadow only: forget all state
//   POST /v1/admin/pause    {"paused": true|false, "reason": "..."}: the emergency stop
//   GET  /metrics           process metrics (prom-client defaults: RSS, heap, event-loop lag)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import client from "prom-client";
import type { Limits } from "../config.ts";
import { OBSERVATION_SIZE, type DecisionRequest, type Governor } from "./governor.ts";

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: "governor_" });

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A hand-written check: this runs thousands of times a second, zod would dominate the path. */
function parseDecision(body: Buffer): DecisionRequest | string {
  let value: Partial<DecisionRequest>;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    return "body is not JSON";
  }
  if (typeof value.id !== "string" || value.id.length === 0) return "id must be a non-empty string";
  if (!Number.isInteger(value.action) || value.action! < 0 || value.action! > 4) return "action must be an integer 0..4";
  if (!Array.isArray(value.obs) || value.obs.length !== OBSERVATION_SIZE) return `obs must be an array of ${OBSERVATION_SIZE} numbers`;
  return value as DecisionRequest;
}

export function createApi(governor: Governor): Server {
  const server = createServer(async (req, res) => {
    const arrived = performance.now();
    const arrivedWall = performance.timeOrigin + arrived;
    try {
      if (req.method === "POST" && req.url === "/v1/decisions") {
        const body = await readBody(req);
        const request = parseDecision(body);
        if (typeof request === "string") return json(res, 400, { error: request });
        if (governor.faults.failsThisDecision()) return json(res, 500, { error: "internal error (seeded fault error-burst)" });
        const response = governor.decide(request, body, arrivedWall);
        // The ids are echoed in headers too: a load generator checks the answer and learns the order
        // without reading the body (target contract).
        json(res, 200, response, response.orderId ? { "x-decision-id": response.id, "x-order-id": response.orderId } : { "x-decision-id": response.id });
        governor.record(request, response, arrivedWall, performance.now() - arrived);
        return;
      }
      if (req.method === "GET" && req.url === "/v1/health") {
        return json(res, 200, {
          mode: "shadow",
          brokerConnected: governor.broker.connected,
          marketDataConnected: governor.marketData.connected,
          marketDataAgeMs: Number.isFinite(governor.marketData.ageMs()) ? governor.marketData.ageMs() : null,
          paused: governor.pause.paused,
          pauseReason: governor.pause.reason || null,
          riskOff: governor.stress.stressed(),
          riskOffReason: governor.stress.stressed() ? governor.stress.reason : null,
          seededFaults: governor.faults.list(),
        });
      }
      if (req.method === "GET" && req.url === "/v1/state") {
        const mid = governor.marketData.mid();
        return json(res, 200, {
          capitalUsd: governor.portfolio.capitalUsd,
          ...governor.portfolio.snapshot(),
          equityUsd: governor.portfolio.equityUsd(mid),
          mid: mid ?? null,
          paused: governor.pause.paused,
          orderQueue: governor.broker.queue.length + governor.broker.inFlightCount(),
          ledgerPending: governor.ledger.pending(),
          limits: governor.limits,
        });
      }
      if (req.method === "POST" && req.url === "/v1/admin/reset") {
        // The run's limits come with the reset (target contract); an empty body keeps the current ones.
        const body = JSON.parse((await readBody(req)).toString("utf8") || "{}") as { limits?: Partial<Limits> };
        await governor.reset(body.limits);
        return json(res, 200, { reset: true, limits: governor.limits });
      }
      if (req.method === "POST" && req.url === "/v1/admin/pause") {
        const body = JSON.parse((await readBody(req)).toString("utf8") || "{}") as { paused?: boolean; reason?: string };
        await governor.setPaused(body.paused !== false, body.reason ?? "manual");
        return json(res, 200, { paused: governor.pause.paused });
      }
      if (req.method === "GET" && req.url === "/metrics") {
        res.writeHead(200, { "content-type": registry.contentType });
        return res.end(await registry.metrics());
      }
      json(res, 404, { error: `no route ${req.method} ${req.url}` });
    } catch (error) {
      json(res, 500, { error: (error as Error).message });
    }
  });
  server.keepAliveTimeout = 60_000;
  return server;
}
