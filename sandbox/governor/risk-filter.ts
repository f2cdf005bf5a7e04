// The risk filter: turns a proposed trade into one that respects every hard limit, or blocks it.
// Pure and synchronous — it is the part of the decision path that must never be wrong.
//
// Exposure counts orders in flight as if filled, so several orders outstanding at once can never
// add up past a limit. Risk-increasing trades also keep enough turnover budget in reserve to
// flatten the resulting position later, so the governor is never trapped in a position it may not
// close.
import type { Limits } from "../config.ts";

export type Verdict = "approved" | "reduced" | "blocked" | "paused";

export interface RiskInput {
  /** Signed USD the policy wants to trade (+ buy, − sell). */
  desiredUsd: number;
  /**
   * The price every USD amount is converted at. The governor passes a conservative one — the ask
   * plus a slippage buffer — so that an order sized to a cap still fits it when it fills at the
   * touch, and turnover reserved now covers what the fill will really cost.
   */
  mid: number | undefined;
  dataAgeMs: number;
  staleDataMs: number;
  /** Position plus orders in flight, signed shares. */
  exposureShares: number;
  turnoverUsd: number;
  equityUsd: number;
  /** Seeded faults: the equity the loss stop / the drawdown stops read (default: equityUsd). */
  lossEquityUsd?: number;
  drawdownEquityUsd?: number;
  peakEquityUsd: number;
  paused: boolean;
  /** The market-stress circuit breaker is tripped: risk-off. */
  marketStress?: boolean;
  /** Seeded fault: skip the notional cap. */
  ignoreNotionalCap?: boolean;
  /** Seeded fault: never flatten (stress, drawdown and loss stops are ignored). */
  neverFlatten?: boolean;
}

export interface RiskDecision {
  verdict: Verdict;
  /** Signed shares to trade; 0 when blocked. */
  shares: number;
  reason: string;
}

const MIN_TRADE_USD = 1;

const blocked = (reason: string): RiskDecision => ({ verdict: "blocked", shares: 0, reason });

export function drawdownPct(equity: number, peak: number): number {
  return peak > 0 ? Math.max(0, (peak - equity) / peak) * 100 : 0;
}

export function applyRiskFilter(input: RiskInput, limits: Limits): RiskDecision {
  if (input.paused) return { verdict: "paused", shares: 0, reason: "critical-pause" };
  const mid = input.mid;
  if (mid === undefined || !(mid > 0)) return blocked("no-market-data");
  if (input.dataAgeMs > input.staleDataMs) return blocked("stale-market-data");

  const exposureUsd = input.exposureShares * mid;
  const loss = limits.capitalUsd - (input.lossEquityUsd ?? input.equityUsd);
  const drawdown = drawdownPct(input.drawdownEquityUsd ?? input.equityUsd, input.peakEquityUsd);

  // Hard stops first: they override whatever the policy proposed.
  if (!input.neverFlatten) {
    if (loss >= limits.maxIntradayLossUsd) return flatten(input, limits, mid, "loss-limit");
    if (drawdown >= limits.drawdownForceFlatPct) return flatten(input, limits, mid, "drawdown-force-flat");
    if (input.marketStress) return flatten(input, limits, mid, "market-stress");
  }

  let desired = input.desiredUsd;
  let reason = "";
  const increasesRisk = Math.abs(exposureUsd + desired) > Math.abs(exposureUsd);
  if (drawdown >= limits.drawdownReducePct && increasesRisk) return blocked("drawdown-reduce-only");
  if (drawdown >= limits.drawdownCautionPct && increasesRisk) {
    desired /= 2;
    reason = "drawdown-caution";
  }
  if (Math.abs(desired) > limits.maxSingleTradeUsd) {
    desired = Math.sign(desired) * limits.maxSingleTradeUsd;
    reason ||= "single-trade-cap";
  }
  if (increasesRisk && !input.ignoreNotionalCap) {
    const room = limits.maxPositionNotionalUsd - Math.abs(exposureUsd);
    if (room < Math.abs(desired)) {
      desired = Math.sign(desired) * Math.max(0, room);
      reason ||= "notional-cap";
    }
  }
  // Turnover: a risk-increasing trade must leave enough budget to close the position it creates.
  const budget = limits.maxDailyTurnoverUsd - input.turnoverUsd;
  const reserve = increasesRisk ? Math.abs(exposureUsd + desired) : 0;
  if (Math.abs(desired) + reserve > budget) {
    const affordable = increasesRisk ? Math.max(0, (budget - Math.abs(exposureUsd)) / 2) : Math.max(0, budget);
    desired = Math.sign(desired) * Math.min(Math.abs(desired), affordable);
    reason ||= "turnover-cap";
  }
  if (Math.abs(desired) < MIN_TRADE_USD) return blocked(reason || (input.desiredUsd === 0 ? "hold" : "below-minimum"));
  const shares = desired / mid;
  return desired === input.desiredUsd
    ? { verdict: "approved", shares, reason: "within-limits" }
    : { verdict: "reduced", shares, reason };
}

/** Close exposure in slices no larger than the single-trade cap (and within turnover). */
function flatten(input: RiskInput, limits: Limits, mid: number, reason: string): RiskDecision {
  // No minimum size here: the last slice must be able to close a dust position exactly.
  if (Math.abs(input.exposureShares) < 1e-9) return blocked(reason);
  const exposureUsd = input.exposureShares * mid;
  const budget = Math.max(0, limits.maxDailyTurnoverUsd - input.turnoverUsd);
  const sliceUsd = Math.min(Math.abs(exposureUsd), limits.maxSingleTradeUsd, budget);
  if (sliceUsd <= 0) return blocked(`${reason}-no-turnover`);
  const shares = sliceUsd >= Math.abs(exposureUsd) ? -input.exposureShares : -Math.sign(exposureUsd) * (sliceUsd / mid);
  return { verdict: "reduced", shares, reason };
}
