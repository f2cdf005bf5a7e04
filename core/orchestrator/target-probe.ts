// `gauntlet doctor --target`: every route of the target contract tried with a sample payload, on
// the real venue (provisioned as for a run), and every declared capability read once. Each probe
// says what it found; a wrong shape names the route, the field and the expected form.
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import pg from "pg";
import { LimitsSchema } from "../../protocol/limits.ts";
import { contractProblem, DecisionResponseSchema, HealthSchema, StateSchema } from "../../protocol/target-contract.ts";
import type { EventLog } from "../events/event-log.ts";
import { startMarket, type Market } from "../market/market.ts";
import type { ProvisionedTarget } from "../plugins/contracts.ts";
import type { Registry } from "../plugins/registry.ts";
import { sleep } from "../process/child-process.ts";
import { metricValue, scrape } from "../samplers/prometheus-scrape.ts";
import type { Capabilities } from "../target/capabilities.ts";
import { describeFetchError, requireAllowedHost, requireVenueConnection, resetTarget, urlsIn } from "./target-safety.ts";

export interface Probe {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface ProbeReport {
  probes: Probe[];
  capabilities: Capabilities;
  proxies: string[];
}

const OBS = JSON.stringify(Array.from({ length: 16 }, () => 0));

async function call(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

async function attempt(name: string, fix: string, probe: () => Promise<string>): Promise<Probe> {
  try {
    return { name, ok: true, detail: await probe() };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, fix };
  }
}

function decide(baseUrl: string, id: string, action: number) {
  return call(`${baseUrl}/v1/decisions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: `{"id":"${id}","ts":${Date.now()},"symbol":"AAPL","action":${action},"obs":${OBS}}`,
  });
}

/** The contract's routes, in the order a run uses them. */
async function contractProbes(target: ProvisionedTarget, market: Market, events: EventLog): Promise<Probe[]> {
  const base = target.baseUrl;
  const probes: Probe[] = [];
  probes.push(
    await attempt("GET /v1/health", 'answer 200 {"mode":"shadow","paused":false,…}', async () => {
      const { status, body } = await call(`${base}/v1/health`);
      if (status !== 200) throw new Error(`answered ${status}`);
      const problem = contractProblem("GET /v1/health", HealthSchema, body);
      if (problem) throw new Error(problem);
      return `shadow mode, paused ${(body as { paused: boolean }).paused}`;
    }),
  );
  probes.push(
    await attempt("venue connection", `connect to order entry ${market.brokerAddress} and market data ${market.marketDataAddress} (docs/venue-protocol.md)`, async () => {
      await requireVenueConnection(market, { ...target, name: target.name }, events, target.connectTimeoutMs ?? 30_000);
      return `order entry ${market.brokerAddress} and market data ${market.marketDataAddress} both connected`;
    }),
  );
  probes.push(
    await attempt("POST /v1/admin/reset", "accept {limits} and forget all state (shadow only)", async () => {
      await market.reset({});
      await resetTarget(base, { limits: LimitsSchema.parse({}) });
      return "reset accepted with the run's limits";
    }),
  );
  await sleep(500); // a fresh tick after the reset
  probes.push(
    await attempt("POST /v1/decisions (hold)", "answer 200 with the id echoed in the body and in X-Decision-Id", async () => {
      const { status, headers, body, text } = await decide(base, "doctor-hold", 2);
      if (status !== 200) throw new Error(`answered ${status}: ${text.slice(0, 200)}`);
      const problem = contractProblem("POST /v1/decisions", DecisionResponseSchema, body);
      if (problem) throw new Error(problem);
      if ((body as { id: string }).id !== "doctor-hold") throw new Error(`POST /v1/decisions: id: expected "doctor-hold" (the request's), got ${JSON.stringify((body as { id: unknown }).id)}`);
      if (headers.get("x-decision-id") !== "doctor-hold") throw new Error(`header X-Decision-Id: expected "doctor-hold", got ${JSON.stringify(headers.get("x-decision-id"))}`);
      return `verdict ${(body as { verdict: string }).verdict}, id echoed in body and X-Decision-Id`;
    }),
  );
  probes.push(
    await attempt("POST /v1/decisions (buy) → venue", "send the order to the venue with decisionId, and answer with orderId and X-Order-Id", async () => {
      const { status, headers, body } = await decide(base, "doctor-buy", 4);
      if (status !== 200) throw new Error(`answered ${status}`);
      const answer = body as { orderId?: string; verdict: string; reason: string };
      if (!answer.orderId) return `no order placed (verdict ${answer.verdict}: ${answer.reason}); the order path was not exercised`;
      if (headers.get("x-order-id") !== answer.orderId) throw new Error(`header X-Order-Id: expected "${answer.orderId}" (the body's orderId), got ${JSON.stringify(headers.get("x-order-id"))}`);
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        const journal = readFileSync(market.journal, "utf8");
        const line = journal.split("\n").find((l) => l.includes(`"kind":"order"`) && l.includes(`"clientOrderId":${JSON.stringify(answer.orderId)}`));
        if (line) {
          const order = JSON.parse(line) as { decisionId?: string };
          if (order.decisionId !== "doctor-buy") throw new Error(`venue order ${answer.orderId}: decisionId: expected "doctor-buy", got ${JSON.stringify(order.decisionId ?? null)}`);
          return `order ${answer.orderId} reached the venue with its decisionId; X-Order-Id set`;
        }
        await sleep(100);
      }
      throw new Error(`order ${answer.orderId} never reached the venue within 3 s`);
    }),
  );
  probes.push(
    await attempt("GET /v1/state", "answer {capitalUsd, positionShares, cashUsd, mid, openOrders, counters: {decisions, orders, fills}}", async () => {
      const { status, body } = await call(`${base}/v1/state`);
      if (status !== 200) throw new Error(`answered ${status}`);
      const problem = contractProblem("GET /v1/state", StateSchema, body);
      if (problem) throw new Error(problem);
      const state = body as { positionShares: number; counters: { decisions: number } };
      return `position ${state.positionShares}, ${state.counters.decisions} decisions counted`;
    }),
  );
  probes.push(
    await attempt("POST /v1/admin/pause", "raise the pause on {paused:true} (visible in /v1/health within 2 s) and lower it on {paused:false}", async () => {
      const pause = (paused: boolean) => call(`${base}/v1/admin/pause`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ paused, reason: "doctor" }) });
      const paused = async () => ((await call(`${base}/v1/health`)).body as { paused?: boolean }).paused;
      const requested = Date.now();
      await pause(true);
      while ((await paused()) !== true) {
        if (Date.now() - requested > 2000) throw new Error("/v1/health: paused: still false 2 s after POST /v1/admin/pause {paused:true}");
        await sleep(20);
      }
      const seen = Date.now() - requested;
      await pause(false);
      await sleep(200);
      if ((await paused()) !== false) throw new Error("/v1/health: paused: still true after POST /v1/admin/pause {paused:false}");
      return `paused visible after ${seen} ms, released`;
    }),
  );
  return probes;
}

async function capabilityProbes(capabilities: Capabilities): Promise<Probe[]> {
  const probes: Probe[] = [];
  const { processMetrics, redisMirror, ledger, metricsPipeline } = capabilities;
  if (processMetrics) {
    probes.push(await attempt("capability processMetrics", `serve ${processMetrics.rssMetric} at ${processMetrics.url}`, async () => {
      const value = metricValue(await scrape(processMetrics.url, 3000), processMetrics.rssMetric);
      if (value === undefined) throw new Error(`${processMetrics.url} has no ${processMetrics.rssMetric}`);
      return `${processMetrics.rssMetric} ${(value / 2 ** 20).toFixed(1)} MiB`;
    }));
  }
  if (redisMirror) {
    probes.push(await attempt("capability redisMirror", `keep a hash at ${redisMirror.stateKey} with positionShares, cashUsd, decisions, orders, fills`, async () => {
      const redis = new Redis(redisMirror.url, { maxRetriesPerRequest: 1, lazyConnect: true });
      try {
        await redis.connect();
        const hash = await redis.hgetall(redisMirror.stateKey);
        const missing = ["positionShares", "cashUsd"].filter((field) => !(field in hash));
        if (missing.length) throw new Error(`${redisMirror.stateKey}: missing field(s) ${missing.join(", ")}`);
        return `${redisMirror.stateKey} has ${Object.keys(hash).length} fields`;
      } finally {
        redis.disconnect();
      }
    }));
  }
  if (ledger) {
    probes.push(await attempt("capability ledger", "make the three queries answer (capabilities.ledger.queries)", async () => {
      const client = new pg.Client({ connectionString: ledger.url });
      await client.connect();
      try {
        const counts = [];
        for (const [name, query] of Object.entries(ledger.queries)) counts.push(`${name} ${(await client.query(query)).rowCount}`);
        return `queries answer: ${counts.join(", ")} rows`;
      } finally {
        await client.end();
      }
    }));
  }
  if (metricsPipeline) {
    probes.push(await attempt("capability metricsPipeline", `serve the histogram ${metricsPipeline.latencyMetric} at ${metricsPipeline.url}`, async () => {
      const text = await scrape(metricsPipeline.url, 3000);
      if (!text.includes(`${metricsPipeline.latencyMetric}_bucket`)) throw new Error(`${metricsPipeline.url} has no histogram ${metricsPipeline.latencyMetric}`);
      return `${metricsPipeline.latencyMetric} present`;
    }));
  }
  return probes;
}

export async function probeTarget(input: {
  registry: Registry;
  target: string;
  targetOptions: Record<string, unknown>;
  allowHosts: readonly string[];
  toxiproxyBinary: string;
  dir: string;
  events: EventLog;
}): Promise<ProbeReport> {
  const definition = input.registry.target(input.target);
  for (const url of urlsIn(input.targetOptions)) requireAllowedHost(url, input.allowHosts);
  const market = await startMarket({ dir: input.dir, toxiproxyBinary: input.toxiproxyBinary, ports: definition.marketPorts?.(input.targetOptions) });
  let target: ProvisionedTarget | undefined;
  try {
    target = await definition.provision({ runDir: input.dir, market, seededFaults: [], events: input.events, options: input.targetOptions });
    requireAllowedHost(target.baseUrl, input.allowHosts);
    const reachable = await call(`${target.baseUrl}/v1/health`).then(
      () => undefined,
      (error: unknown) => describeFetchError(target!.baseUrl, error),
    );
    if (reachable) return { probes: [{ name: `target ${target.baseUrl}`, ok: false, detail: reachable, fix: "Start the governor (in shadow mode) or fix the URL." }], capabilities: target.capabilities, proxies: market.proxyNames() };
    const probes = [...(await contractProbes(target, market, input.events)), ...(await capabilityProbes(target.capabilities))];
    return { probes, capabilities: target.capabilities, proxies: market.proxyNames() };
  } finally {
    await target?.stop().catch(() => undefined);
    await market.stop();
  }
}
