// The governor's hot state in Redis: the portfolio hash, the pause flag, the order queue and the
// stream of metrics events the exporter turns into Prometheus metrics. Writes are coalesced (one
// RPUSH of many events every few milliseconds, the state hash at most once per flush) so the
// decision path never waits on Redis; if Redis is slow or cut, ioredis keeps the commands queued
// and they land when it is back.
import { Redis } from "ioredis";
import { KEYS } from "../config.ts";
import type { PortfolioSnapshot } from "./portfolio.ts";

const FLUSH_MS = 1;

export class HotState {
  readonly redis: Redis;
  private events: string[] = [];
  private snapshot: (() => PortfolioSnapshot) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set by the stalled-pipeline faults' counterpart in tests: how many events were pushed. */
  pushed = 0;

  constructor(url: string) {
    this.redis = new Redis(url, {
      maxRetriesPerRequest: null, // never drop a command: queue it until Redis is back
      enableAutoPipelining: true,
      retryStrategy: (times) => Math.min(times * 50, 500),
    });
    this.redis.on("error", () => undefined); // reconnects on its own; errors are expected in drills
  }

  /** A metrics event: `arrivalMs,latencyMs,verdict` — compact, the exporter parses it cheaply. */
  event(arrivalMs: number, latencyMs: number, verdict: string): void {
    this.events.push(`${arrivalMs.toFixed(3)},${latencyMs.toFixed(3)},${verdict}`);
    this.schedule();
  }

  /** Mark the portfolio changed; it is read once, at the next flush, not per decision. */
  portfolio(snapshot: () => PortfolioSnapshot): void {
    this.snapshot = snapshot;
    this.schedule();
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

  private schedule(): void {
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    this.timer = undefined;
    if (this.events.length > 0) {
      const batch = this.events;
      this.events = [];
      this.pushed += batch.length;
      quiet(this.redis.rpush(KEYS.events, ...batch));
    }
    if (this.snapshot) {
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
  }

  async close(): Promise<void> {
    this.flush();
    await this.redis.quit().catch(() => undefined);
  }
}

function quiet(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}
