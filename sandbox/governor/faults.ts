// Switchable seeded faults. Each is a small, realistic bug that a specific gate must catch; the
// self-test runs the matrix (fault → gate that must fail) and the correct governor must pass all.
//
//   slow-path         under load, an expensive synchronous check runs per decision  → latency P99/P95/mean
//   history-scan      every decision re-scans all past decisions (cost grows)         → first/last-window degradation
//   event-loop-stall  a periodic 1.5 s synchronous stall (think: a huge JSON dump)    → dropped iterations
//   error-burst       2% of decisions fail with HTTP 500                              → error rate
//   memory-leak       every decision's request is retained forever                    → memory growth
//   stalled-exporter  (exporter) stops draining the event list after 5 s             → Redis backlog, pipeline latency
//   skip-ledger-row   one decision in 25 never reaches the PostgreSQL ledger          → ledger completeness
//   redis-drift       the Redis state hash stops following the books after 5 fills    → state synced (Redis vs ledger)
//   fee-miscalc       books its own flat 1 bp fee instead of the venue's commission   → cash vs the venue's fills
//   double-count-fill applies every fill to the books twice                           → position and cash vs the venue
//   never-flattens    ignores the stress breaker, drawdown and loss stops             → flat after the crash, drawdown
//   ignore-notional-cap  skips the position notional cap                              → hard-limit breaches at fills
//   stale-prices      prices from a cache refreshed once a minute (age looks fresh)    → flat after the crash
//   books-order-size  books a fill at the order's size, not the size filled             → position vs the venue (thin book)
//   sends-queued-twice   in-doubt orders sent twice after a reconnect                  → order queue intact
//   drops-queue       in-doubt orders forgotten after a reconnect                      → order queue intact
//   panic-sells-on-disconnect  dumps the position when the broker goes away            → positions held
//   reconnects-slowly retries the broker every 30 s                                    → recovery time
//   leaks-orders-while-paused  trades through the critical pause                       → orders while paused
//   late-pause        raises the critical pause 4 s into a double fault                 → pause within 2 s
//   ledger-drops-on-error  discards a ledger batch PostgreSQL refused                  → ledger complete
//   forgets-in-flight exposure counts filled shares only, not orders in flight        → notional cap (limit-notional)
//   turnover-on-fills turnover counted when fills arrive, not when orders are sent    → turnover cap (limit-turnover)
//   sizes-at-mid      converts the trade's USD at the mid, fills at the ask/bid         → single-trade cap (limit-single-trade)
//   loss-realized-only  the loss stop reads realized P&L (position at cost)           → loss stop (limit-loss)
//   drawdown-at-cost  the drawdown stops mark the position at cost, not the market    → drawdown stops (limit-drawdown)
//   loss-resets-on-reconnect  the day's loss starts again from the equity at a broker reconnect → loss stop (limit-loss-reconnect)
//   fill-seq-high-water  a fill seq below the last one seen is taken for a duplicate   → position vs the venue (out-of-order fills)
//   ignores-unknown-fills  a fill for an order it did not send is not booked           → position vs the venue (unknown-order fill)
//   ack-reopens-order  a late ack sets a filled order back to "acked" in the ledger    → every order terminal (late ack)
//   trusts-crossed-book  takes a crossed book for a price                            → no trading on bad market data
//   age-from-arrival  measures data age from arrival, so a frozen feed looks fresh     → no trading on bad market data
import type { FaultName } from "../config.ts";

/** How many times history-scan walks the history per decision: enough to show within a 15 s flood. */
const HISTORY_PASSES = 12;

const LEAK_PADDING_BYTES = 8192;

export class Faults {
  private readonly active: Set<FaultName>;
  private readonly arrivals: number[] = [];
  private readonly history: Array<{ latency: number; verdict: string }> = [];
  private readonly leaked: Buffer[] = [];
  private stallTimer: NodeJS.Timeout | undefined;
  private decisions = 0;

  constructor(faults: readonly FaultName[]) {
    this.active = new Set(faults);
    if (this.active.has("event-loop-stall")) {
      this.stallTimer = setInterval(() => spin(1500), 5000);
      this.stallTimer.unref();
    }
  }

  has(fault: FaultName): boolean {
    return this.active.has(fault);
  }

  list(): FaultName[] {
    return [...this.active];
  }

  /** Runs inside the decision path, before the risk filter. */
  onDecision(now: number, body: Buffer): void {
    this.decisions++;
    if (this.active.has("slow-path")) {
      // "Under load": more than 300 decisions in the last second.
      this.arrivals.push(now);
      while (this.arrivals.length > 0 && this.arrivals[0]! < now - 1000) this.arrivals.shift();
      if (this.arrivals.length > 300) spin(0.9);
    }
    if (this.active.has("history-scan")) {
      // A per-decision statistic recomputed over the whole history, a dozen ways: cheap at first,
      // it grows with every decision until it dominates the decision path.
      let worst = 0;
      for (let pass = 0; pass < HISTORY_PASSES; pass++) {
        for (const past of this.history) if (past.latency > worst && past.verdict !== "x") worst = past.latency;
        for (const past of this.history) if (past.latency * 0.5 > worst + pass) worst = past.latency;
      }
      this.history.push({ latency: worst + (this.decisions % 7), verdict: "approved" });
    }
    if (this.active.has("memory-leak")) {
      // 8 KiB a decision (≈ 8 MB/s at 1,000/s): well clear of the heap's own ±20 MB sawtooth
      // even on a 13-second smoke flood; outside the pooled-buffer size so each one is resident.
      const kept = Buffer.alloc(body.length + LEAK_PADDING_BYTES, 1);
      body.copy(kept);
      this.leaked.push(kept);
    }
  }

  /** skip-ledger-row: this decision's ledger row is "lost". */
  skipsLedgerRow(): boolean {
    return this.active.has("skip-ledger-row") && this.decisions % 25 === 0;
  }

  /** True when this decision should fail with HTTP 500. */
  failsThisDecision(): boolean {
    return this.active.has("error-burst") && this.decisions % 50 === 0;
  }

  stop(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
  }
}

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: this is the fault
  }
}
