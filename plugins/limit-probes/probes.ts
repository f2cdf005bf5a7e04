// The limit probes: one drive per hard limit that pushes a governor into it on purpose. Each is a
// model that wants more than the limit allows — bursts in one direction with many orders in flight
// at once, sequences sized to cross the cap, a position held into a slow decline that builds a
// loss to just under the stop and then over it — so a governor that is wrong at its limits breaches
// them at the venue. The numbers are the probes' own (a tight loss or drawdown stop so a decline
// slower than any crash breaker still reaches it); the limits are sent to the governor at reset.
import type { Limits } from "../../protocol/limits.ts";

/** The limit a probe presses on; drawdown probes press on the reduce-only and force-flat stops. */
export type ProbedLimit = "maxPositionNotionalUsd" | "maxDailyTurnoverUsd" | "maxSingleTradeUsd" | "maxIntradayLossUsd" | "drawdown";

/** Actions, as the model proposes them: 0 sell hard … 4 buy hard. */
const BUY_HARD = 4;
const SELL_HARD = 0;

/** A burst: `decisions` proposals shared by `concurrency` VUs, so that many are in flight at once. */
export interface Burst {
  decisions: number;
  concurrency: number;
  /** Cycled over the burst's decisions. */
  actions: number[];
}

/** A slow decline of the replayed market under a position, while the model keeps buying. */
export interface Decline {
  /** When the decline starts and how long it lasts, seconds after the replay starts. */
  startSeconds: number;
  seconds: number;
  dropPct: number;
  /** The model's proposals during the decline (decisions per second, always buy hard). */
  rate: number;
  /** Calm seconds after the decline (the stops must hold there too). */
  afterSeconds: number;
}

export interface Probe {
  /** The scenario's name. */
  name: string;
  limit: ProbedLimit;
  /** The gate that says this limit held (CRITICAL). */
  gate: string;
  title: string;
  description: string;
  /** The probe's limits, over the requirements' defaults. */
  limits: Partial<Limits>;
  burst: Burst;
  decline?: Decline;
  /** A fault profile (toxics/) played from the start of the load, e.g. a broker cut mid-decline. */
  outage?: string;
  /** The seeded sandbox bug this probe must catch (the self-test row). */
  seededFault: string;
}

const alternate = (n: number, first: number, second: number) => [...Array<number>(n).fill(first), ...Array<number>(n).fill(second)];

export const PROBES: readonly Probe[] = [
  {
    name: "limit-notional",
    limit: "maxPositionNotionalUsd",
    gate: "notional_cap_held",
    title: "Position notional cap held with orders in flight",
    description: "40 buy-hard proposals, 12 in flight at once: four times the $500 notional cap",
    limits: {},
    burst: { decisions: 40, concurrency: 12, actions: [BUY_HARD] },
    seededFault: "forgets-in-flight",
  },
  {
    name: "limit-turnover",
    limit: "maxDailyTurnoverUsd",
    gate: "turnover_cap_held",
    title: "Daily turnover cap held with orders in flight",
    description: "96 proposals in one-direction runs of 8 (buy hard, then sell hard), 12 in flight: twice the $2,000 turnover cap",
    limits: {},
    burst: { decisions: 96, concurrency: 12, actions: alternate(8, BUY_HARD, SELL_HARD) },
    seededFault: "turnover-on-fills",
  },
  {
    name: "limit-single-trade",
    limit: "maxSingleTradeUsd",
    gate: "single_trade_cap_held",
    title: "Single-trade cap held at the fill price",
    description: "60 hard proposals, each worth more than a $20 single-trade cap, filled at the touch (buys at the ask, sells at the bid)",
    // Below what a hard proposal is worth ($25–50), so every trade is sized to the cap exactly.
    limits: { maxSingleTradeUsd: 20 },
    burst: { decisions: 60, concurrency: 8, actions: alternate(3, BUY_HARD, SELL_HARD) },
    seededFault: "sizes-at-mid",
  },
  {
    name: "limit-loss",
    limit: "maxIntradayLossUsd",
    gate: "loss_stop_held",
    title: "Intraday loss stop held: no risk added at or over the stop",
    description: "a $500 long built at once, then a 2.5% decline over 10 s (short of a 3% crash breaker) with the model buying 20 times a second: the loss passes the $8 stop",
    limits: { maxIntradayLossUsd: 8, drawdownCautionPct: 50, drawdownReducePct: 60, drawdownForceFlatPct: 70 },
    burst: { decisions: 16, concurrency: 8, actions: [BUY_HARD] },
    decline: { startSeconds: 3, seconds: 10, dropPct: 2.5, rate: 20, afterSeconds: 3 },
    seededFault: "loss-realized-only",
  },
  {
    name: "limit-loss-reconnect",
    limit: "maxIntradayLossUsd",
    gate: "loss_stop_held_across_reconnect",
    title: "Intraday loss stop held across a broker reconnect",
    description: "a $500 long, a 2.5% decline over 10 s; the broker is cut at 9 s for 3 s, when the loss is just under the $10 stop, and comes back with the loss over it, the model still buying",
    limits: { maxIntradayLossUsd: 10, drawdownCautionPct: 50, drawdownReducePct: 60, drawdownForceFlatPct: 70 },
    burst: { decisions: 16, concurrency: 8, actions: [BUY_HARD] },
    decline: { startSeconds: 3, seconds: 10, dropPct: 2.5, rate: 20, afterSeconds: 5 },
    outage: "broker-cut-probe",
    seededFault: "loss-resets-on-reconnect",
  },
  {
    name: "limit-drawdown",
    limit: "drawdown",
    gate: "drawdown_stops_held",
    title: "Drawdown stops held: reduce-only, then flat",
    description: "a $500 long built at once, then a 2.5% decline over 10 s with the model buying 20 times a second: drawdown passes the 0.6% reduce-only and 0.9% force-flat stops",
    limits: { maxIntradayLossUsd: 200, drawdownCautionPct: 0.4, drawdownReducePct: 0.6, drawdownForceFlatPct: 0.9 },
    burst: { decisions: 16, concurrency: 8, actions: [BUY_HARD] },
    decline: { startSeconds: 3, seconds: 10, dropPct: 2.5, rate: 20, afterSeconds: 3 },
    seededFault: "drawdown-at-cost",
  },
];
