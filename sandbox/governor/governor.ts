// The reference risk governor: one decision = policy inference + risk filter + (maybe) an order.
// The answer never waits on Redis, PostgreSQL or the venue: those are written behind the decision
// path, so their faults show up as backlog and recovery, not as lost answers.
import type { FaultName, Limits } from "../config.ts";
import type { FillMessage } from "../../protocol/venue-protocol.ts";
import { BrokerLink, DEFAULT_BROKER_POLICY } from "./broker-link.ts";
import { PauseControl } from "./pause-control.ts";
import { DEFAULT_SAFETY, SafetyMonitor } from "./safety-monitor.ts";
import { Faults } from "./faults.ts";
import { HotState } from "./hot-state.ts";
import { Ledger } from "./ledger.ts";
import { MarketDataClient } from "../../protocol/market-data-client.ts";
import { MarketStress } from "./market-stress.ts";
import { PolicyNetwork } from "./policy-network.ts";
import { Portfolio, type PortfolioSnapshot } from "./portfolio.ts";
import { applyRiskFilter, type Verdict } from "./risk-filter.ts";

export const OBSERVATION_SIZE = 16;

/** Extra price margin when sizing: fills can walk past the touch. */
const SLIPPAGE_BUFFER = 0.001;

/** USD the policy proposes per action, before the network's confidence scales it. */
const ACTION_USD = [-50, -25, 0, 25, 50] as const;

export interface DecisionRequest {
  id: string;
  ts: number;
  symbol: string;
  action: number;
  obs: number[];
}

export interface DecisionResponse {
  id: string;
  verdict: Verdict;
  increment: number;
  orderId?: string;
  reason: string;
  marketDataAgeMs: number;
  brokerConnected: boolean;
}

export interface GovernorOptions {
  brokerAddress: string;
  marketDataAddress: string;
  redisUrl: string;
  postgresUrl: string;
  staleDataMs: number;
  eventFlushMs: number;
  stateFlushMs: number;
  seed: number;
  limits: Limits;
  faults: readonly FaultName[];
}

export class Governor {
  readonly policy: PolicyNetwork;
  readonly marketData: MarketDataClient;
  readonly broker: BrokerLink;
  readonly hotState: HotState;
  readonly ledger: Ledger;
  readonly faults: Faults;
  portfolio: Portfolio;
  readonly pause: PauseControl;
  readonly safety: SafetyMonitor;
  private orderSeq = 0;
  stress = new MarketStress();
  /** The hard limits in force: from the config at start, then from each reset. */
  limits: Limits;
  /** stale-prices fault: a price cache refreshed once a minute. */
  private stalePrice: { mid: number; at: number } | undefined;
  private frozen: PortfolioSnapshot | undefined;
  /** loss-resets-on-reconnect: the equity the day's loss is counted from after the last reconnect. */
  private lossBaselineUsd: number | undefined;
  /** What the Redis state hash mirrors (the redis-drift fault freezes it after 5 fills). */
  private readonly snapshot = (): PortfolioSnapshot => {
    const now = this.portfolio.snapshot();
    if (!this.faults.has("redis-drift")) return now;
    if (now.counters.fills < 5 || !this.frozen) this.frozen = now;
    return { ...now, positionShares: this.frozen.positionShares, cashUsd: this.frozen.cashUsd, feesUsd: this.frozen.feesUsd };
  };

  constructor(private readonly options: GovernorOptions) {
    this.policy = new PolicyNetwork(OBSERVATION_SIZE, 32, options.seed);
    this.limits = options.limits;
    this.portfolio = new Portfolio(options.limits.capitalUsd);
    this.faults = new Faults(options.faults);
    this.hotState = new HotState(options.redisUrl, options.eventFlushMs, options.stateFlushMs);
    this.ledger = new Ledger(options.postgresUrl);
    this.ledger.dropsOnError = this.faults.has("ledger-drops-on-error");
    this.marketData = new MarketDataClient(options.marketDataAddress, {
      trustCrossed: this.faults.has("trusts-crossed-book"),
      ageFromArrival: this.faults.has("age-from-arrival"),
    });
    this.marketData.onTick((tick) => {
      this.refreshStalePrice(tick.sentAt);
      this.stress.observe(tick.sentAt, this.priceView()!);
      this.portfolio.mark(this.priceView());
    });
    this.pause = new PauseControl(this.hotState);
    this.broker = new BrokerLink(options.brokerAddress, {
      onAck: (ack) => {
        // An ack may come after the order is over (a late ack): it must not reopen it.
        if (this.portfolio.isOpen(ack.clientOrderId) || this.faults.has("ack-reopens-order")) {
          this.ledger.orderUpdate({ clientOrderId: ack.clientOrderId, status: "acked", filledQty: 0, reason: "" });
        }
      },
      onFill: (fill) => this.onFill(fill),
      onReject: (reject) => {
        this.portfolio.reject(reject.clientOrderId, reject.reason);
        this.ledger.orderUpdate({ clientOrderId: reject.clientOrderId, status: "rejected", filledQty: 0, reason: reject.reason });
        this.hotState.portfolio(this.snapshot);
      },
      onSent: (order) => {
        this.hotState.dequeueOrder(order.clientOrderId);
        this.ledger.orderUpdate({ clientOrderId: order.clientOrderId, status: "sent", filledQty: 0, reason: "" });
      },
      onCancel: (order, reason) => {
        this.portfolio.cancel(order.clientOrderId, reason);
        this.hotState.dequeueOrder(order.clientOrderId);
        this.ledger.orderUpdate({ clientOrderId: order.clientOrderId, status: "cancelled", filledQty: 0, reason });
        this.hotState.portfolio(this.snapshot);
      },
      onConnectionChange: (connected) => {
        // Seeded fault: a reconnect re-baselines the day's loss at the equity of that moment.
        if (connected && this.faults.has("loss-resets-on-reconnect")) this.lossBaselineUsd = this.portfolio.equityUsd(this.priceView());
        // Seeded fault: dump the whole position the moment the broker goes away.
        if (!connected && this.faults.has("panic-sells-on-disconnect")) while (this.flattenSlice("panic-sell")) { /* queue every slice */ }
      },
    }, {
      ...DEFAULT_BROKER_POLICY,
      retryMs: this.faults.has("reconnects-slowly") ? 30_000 : DEFAULT_BROKER_POLICY.retryMs,
      resendTwice: this.faults.has("sends-queued-twice"),
      dropInDoubt: this.faults.has("drops-queue"),
      fillSeqHighWater: this.faults.has("fill-seq-high-water"),
    });
    this.safety = new SafetyMonitor(
      {
        brokerConnected: () => this.broker.connected,
        dataAgeMs: () => this.marketData.ageMs(),
        autoPaused: () => this.pause.autoPaused,
        setAutoPause: (paused, reason) => this.pause.setAuto(paused, reason),
        flattenStep: () => !this.flattenSlice("stale-data-flatten"),
      },
      { ...DEFAULT_SAFETY, neverFlatten: this.faults.has("never-flattens"), pauseDelayMs: this.faults.has("late-pause") ? 4000 : 0 },
    );
  }

  /**
   * Place one flattening order (≤ the single-trade cap) for what is still exposed; false once
   * nothing is left to flatten. Used by the safety monitor and by the panic-sell fault.
   */
  private flattenSlice(reason: string): boolean {
    const price = this.riskPrice();
    const exposure = this.portfolio.exposureShares();
    if (price === undefined || Math.abs(exposure) < 1e-9) return false;
    const maxShares = this.limits.maxSingleTradeUsd / price;
    const shares = -Math.sign(exposure) * Math.min(Math.abs(exposure), maxShares);
    this.placeOrder(reason, shares, price, false);
    return true;
  }

  /** The mid the governor watches: the market's, or (stale-prices) its cache. */
  private priceView(): number | undefined {
    return this.faults.has("stale-prices") && this.stalePrice ? this.stalePrice.mid : this.marketData.mid();
  }

  /**
   * The price limits are computed at: the ask (or the watched mid plus half the spread) plus a
   * slippage buffer, so a buy sized to a cap still fits it at the touch.
   */
  private riskPrice(): number | undefined {
    const mid = this.priceView();
    const last = this.marketData.last;
    if (mid === undefined || !last) return mid;
    return (mid + (last.ask - last.bid) / 2) * (1 + SLIPPAGE_BUFFER);
  }

  private refreshStalePrice(at: number): void {
    const mid = this.marketData.mid();
    if (mid !== undefined && (!this.stalePrice || at - this.stalePrice.at > 60_000)) this.stalePrice = { mid, at };
  }

  async start(): Promise<void> {
    await this.ledger.migrate();
    this.marketData.start();
    this.broker.start();
  }

  decide(request: DecisionRequest, body: Buffer, arrivedAt: number): DecisionResponse {
    this.faults.onDecision(arrivedAt, body);
    const probabilities = this.policy.infer(request.obs);
    // The network's confidence in the proposed action scales its size between 50% and 100%.
    const desiredUsd = ACTION_USD[request.action]! * (0.5 + 0.5 * probabilities[request.action]!);
    // sizes-at-mid: USD converted at the mid, so a buy sized to a cap fills over it at the ask.
    const mid = this.faults.has("sizes-at-mid") ? this.priceView() : this.riskPrice();
    const now = Date.now();
    const dataAgeMs = this.marketData.ageMs(now);
    const risk = applyRiskFilter(
      {
        desiredUsd,
        mid,
        dataAgeMs,
        staleDataMs: this.options.staleDataMs,
        exposureShares: this.faults.has("forgets-in-flight") ? this.portfolio.positionShares : this.portfolio.exposureShares(),
        turnoverUsd: this.faults.has("turnover-on-fills") ? this.portfolio.filledTurnoverUsd : this.portfolio.turnoverUsd,
        equityUsd: this.portfolio.equityUsd(this.priceView()),
        ...(this.faults.has("loss-realized-only") ? { lossEquityUsd: this.portfolio.equityAtCostUsd() } : {}),
        ...(this.lossBaselineUsd !== undefined ? { lossEquityUsd: this.portfolio.equityUsd(this.priceView()) + this.limits.capitalUsd - this.lossBaselineUsd } : {}),
        ...(this.faults.has("drawdown-at-cost") ? { drawdownEquityUsd: this.portfolio.equityAtCostUsd() } : {}),
        peakEquityUsd: this.portfolio.peakEquityUsd,
        paused: this.pause.paused && !this.faults.has("leaks-orders-while-paused"),
        // Risk-off: the market is crashing, or the data went stale long enough to flatten.
        marketStress: this.stress.stressed(now) || this.safety.flattenPending,
        ignoreNotionalCap: this.faults.has("ignore-notional-cap"),
        neverFlatten: this.faults.has("never-flattens"),
      },
      this.limits,
    );
    this.portfolio.counters.decisions++;
    // With the broker away the governor holds its position: no new order is queued behind a dead
    // link (orders already in flight are the broker link's business).
    const holding = risk.shares !== 0 && !this.broker.connected && !this.faults.has("leaks-orders-while-paused");
    const decision = holding ? { verdict: "blocked" as const, shares: 0, reason: "broker-disconnected" } : risk;
    let orderId: string | undefined;
    if (decision.shares !== 0 && mid !== undefined) orderId = this.placeOrder(request.id, decision.shares, mid, true);
    const response: DecisionResponse = {
      id: request.id,
      verdict: decision.verdict,
      increment: decision.shares,
      reason: decision.reason,
      marketDataAgeMs: Number.isFinite(dataAgeMs) ? dataAgeMs : -1,
      brokerConnected: this.broker.connected,
    };
    if (orderId) response.orderId = orderId;
    return response;
  }

  /** Book-keeping after the answer is on its way: ledger row and metrics event. */
  record(request: DecisionRequest, response: DecisionResponse, arrivedAtWall: number, latencyMs: number): void {
    if (!this.faults.skipsLedgerRow()) this.ledger.decision({
      id: request.id,
      ts: arrivedAtWall,
      action: request.action,
      verdict: response.verdict,
      shares: response.increment,
      reason: response.reason,
      latencyUs: Math.round(latencyMs * 1000),
      orderId: response.orderId ?? null,
    });
    this.hotState.event(arrivedAtWall, latencyMs, response.verdict);
    this.hotState.portfolio(this.snapshot);
  }

  /** `origin` is the decision id, or the reason for the governor's own order (a flattening slice). */
  private placeOrder(origin: string, shares: number, mid: number, fromDecision: boolean): string {
    const decisionId = origin;
    const clientOrderId = `O${++this.orderSeq}`;
    const side = shares > 0 ? "buy" : "sell";
    const qty = Math.abs(shares);
    const createdAt = Date.now();
    this.portfolio.openOrder(
      { clientOrderId, decisionId, side, qty, status: "queued", filledQty: 0, reason: "", createdAt },
      mid,
    );
    this.ledger.order({ clientOrderId, decisionId, side, qty, createdAt });
    if (!this.broker.connected) this.hotState.queueOrder(clientOrderId);
    const age = this.marketData.ageMs(createdAt);
    // A decision's order names its decision; the governor's own (flattening) orders carry none.
    this.broker.submit(
      { type: "order", clientOrderId, side, qty, createdAt, sentAt: createdAt, marketDataAgeMs: Number.isFinite(age) ? Math.round(age) : -1, ...(fromDecision ? { decisionId } : {}) },
      createdAt,
    );
    return clientOrderId;
  }

  private onFill(venueFill: FillMessage): void {
    // fee-miscalc: the books use a flat 1 bp of the notional, not the commission the venue charged.
    const feeBooked = this.faults.has("fee-miscalc") ? { ...venueFill, fee: (venueFill.qty * venueFill.price) / 10_000 } : venueFill;
    // books-order-size: a partial fill booked as if the whole order had filled.
    const ordered = this.portfolio.orders.get(venueFill.clientOrderId)?.qty;
    const fill = this.faults.has("books-order-size") && ordered !== undefined ? { ...feeBooked, qty: ordered } : feeBooked;
    // ignores-unknown-fills: a fill for an order it never sent (a manual trade) is dropped.
    if (ordered === undefined && this.faults.has("ignores-unknown-fills")) return;
    this.portfolio.applyFill(fill);
    if (this.faults.has("double-count-fill")) this.portfolio.applyFill(fill);
    this.portfolio.mark(this.marketData.mid());
    this.ledger.fill({
      fillId: fill.fillId, seq: fill.seq, clientOrderId: fill.clientOrderId, side: fill.side,
      qty: fill.qty, price: fill.price, fee: fill.fee, at: fill.at,
    });
    this.ledger.orderUpdate({ clientOrderId: fill.clientOrderId, status: "filled", filledQty: fill.qty, reason: "" });
    this.hotState.portfolio(this.snapshot);
  }

  /** The emergency stop (POST /v1/admin/pause). */
  setPaused(paused: boolean, reason: string): Promise<void> {
    return this.pause.setManual(paused, reason);
  }

  /**
   * Shadow-only: forget everything (state, Redis keys, ledger rows, the venue's fill sequence) and
   * trade the next run under `limits` (the target contract's reset).
   */
  async reset(limits?: Partial<Limits>): Promise<void> {
    this.limits = { ...this.limits, ...limits };
    this.broker.reset();
    this.portfolio = new Portfolio(this.limits.capitalUsd);
    // The previous run's market is not this one's: a cached price or a stress window carried
    // over would judge this run on the last one's crash.
    this.stress = new MarketStress();
    this.stalePrice = undefined;
    this.frozen = undefined;
    this.lossBaselineUsd = undefined;
    this.pause.reset();
    await this.hotState.reset();
    await this.ledger.reset();
    this.hotState.portfolio(this.snapshot);
  }

  async close(): Promise<void> {
    this.faults.stop();
    this.safety.stop();
    this.broker.stop();
    this.marketData.stop();
    await this.ledger.close();
    await this.hotState.close();
  }
}
