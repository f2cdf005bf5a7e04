// The governor's hot state in Redis: the portfolio hash, the pause flag, the order queue and the
// stream of metrics events the exporter turns into Prometheus metrics. Writes are coalesced so
// the decision path never waits on Redis: one RPUSH of all metrics events every `eventFlushMs`,
// the state hash at most every `stateFlushMs`. Batching is a trade: each flush costs a round trip
// through Toxiproxy, Redis and the exporter, CPU the decision path shares on a small machine.
// If Redis is slow or cut, ioredis keeps the commands queued and they land when it is back.
import { Redis } from "ioredis";
import { KEYS } from "../config.ts";
import type { PortfolioSnapshot } from "./portfolio.ts";

export class HotState {
  readonly redis: Redis;
  private events: string[] = [];
  private snapshot: (() => PortfolioSnapshot) | undefined;
  private eventsTimer: NodeJS.Timeout | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  /** Metrics events handed to Redis so far. */
  pushed = 0;

  constructor(
    url: string,
    private readonly eventFlushMs: number,
    private readonly stateFlushMs: number,
  ) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: null, // never drop a command: queue it until Redis is back
      // No auto-pipelining: writes are already batched here, and ioredis's auto-pipeline
      // bookkeeping kept ~750 bytes per decision alive long enough to be promoted to the old
      // generation — a heap sawtooth of tens of MB that looks like a leak on a one-minute run.
      enableAutoPipelining: false,
      retryStrategy: (times) => Math.min(times * 50, 500),
    });
    this.redis.on("error", () => undefined); // reconnects on its own; errors are expected in drills
  }

  /** A metrics event: `arrivalMs,latencyMs,verdict` — compact, the exporter parses it cheaply. */
  event(arrivalMs: number, latencyMs: number, verdict: string): void {
    this.events.push(`${arrivalMs.toFixed(3)},${latencyMs.toFixed(3)},${verdict}`);
    this.eventsTimer ??= setTimeout(() => this.flushEvents(), this.eventFlushMs);
  }

  /** Mark the portfolio changed; it is read once, at the next flush, not per decision. */
  portfolio(snapshot: () => PortfolioSnapshot): void {
    this.snapshot = snapshot;
    this.stateTimer ??= setTimeout(() => this.flushState(), this.stateFlushMs);
  }

  async setPaused(paused: boolean, reason: string): Promise<void> {
    if (paused) await this.redis.set(KEYS.paused, JSON.stringify({ reason, at: Date.now() }));
    else await this.redis.del(KEYS.paused);
  }

  queueOrder(clientOrderId: string): void {
    quiet(this.redis.rpush(KEYS.orderQueue, clientOrderId));
  }

  dequeueOrder(clientOrderId: string): void {
    quiet(this.redis.lrem(KEYS.orderQueue, 1, clientOrderId));
  }

  async reset(): Promise<void> {
    this.events = [];
    this.snapshot = undefined;
    await this.redis.del(KEYS.state, KEYS.paused, KEYS.orderQueue, KEYS.events);
  }

  private flushEvents(): void {
    if (this.eventsTimer) clearTimeout(this.eventsTimer);
    this.eventsTimer = undefined;
    if (this.events.length === 0) return;
    const batch = this.events;
    this.events = [];
    this.pushed += batch.length;
    quiet(this.redis.rpush(KEYS.events, ...batch));
  }

  private flushState(): void {
    this.stateTimer = undefined;
    if (!this.snapshot) return;
    const s = this.snapshot();
    this.snapshot = undefined;
    quiet(this.redis.hset(KEYS.state, {
      positionShares: s.positionShares,
      cashUsd: s.cashUsd,
      feesUsd: s.feesUsd,
      turnoverUsd: s.turnoverUsd,
      peakEquityUsd: s.peakEquityUsd,
      pendingShares: s.pendingShares,
      openOrders: s.openOrders,
      decisions: s.counters.decisions,
      orders: s.counters.orders,
      fills: s.counters.fills,
      rejects: s.counters.rejects,
      updatedAt: Date.now(),
    }));
  }

  /** Write whatever is pending now (shutdown, and before a checker reads the state). */
  flush(): void {
    this.flushEvents();
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.flushState();
  }

  async close(): Promise<void> {
    this.flush();
    await this.redis.quit().catch(() => undefined);
  }
}

function quiet(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}
