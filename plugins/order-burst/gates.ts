// order-burst's gates, from the venue's journal (ground truth) and the governor's own books.
import { formatNumber as n, gateSpec, judge, noData, type Evidence, type GateResult, type TargetHandle } from "../../core/index.ts";
import { booksFromFills } from "../shared/books.ts";
import { breachesAtFills } from "../shared/venue-analysis.ts";
import { readVenueJournal } from "../shared/venue-journal.ts";
import { quiesce, readGovernor } from "../integrity/sources.ts";
import type { OrderBurstConfig } from "./config.ts";

export async function orderBurstGates(evidence: Evidence, target: TargetHandle, config: OrderBurstConfig): Promise<GateResult[]> {
  const breachSpec = gateSpec("limit_breaches", "Hard-limit breaches at any fill", "safety", "CRITICAL", "breaches", "==", 0);
  const pnlSpec = gateSpec("pnl_delta", "Fee-adjusted P&L, governor vs venue fills", "integrity", "HIGH", "USD", "<=", config.maxPnlDeltaUsd);
  const fillSpec = gateSpec("filled_ratio", "Orders filled", "load", "HIGH", "%", ">", config.minFilledPct);
  if (!target.venueJournal) {
    const why = "the target has no venue journal: these gates are judged from the venue's fills only";
    return [noData(breachSpec, why), noData(pnlSpec, why), noData(fillSpec, why)];
  }
  await quiesce(target);
  const [venue, governor] = await Promise.all([readVenueJournal(target.venueJournal), readGovernor(target.baseUrl)]);
  if (!venue || venue.orderIds.size === 0) {
    const why = `the venue received no order from ${n(evidence.k6.digest.requests)} decisions`;
    return [noData(breachSpec, why), noData(pnlSpec, why), noData(fillSpec, why)];
  }
  const breaches = breachesAtFills(venue.fills, [], config.limits);
  const truth = booksFromFills(venue.fills, governor.capitalUsd);
  const mid = governor.mid ?? Number.NaN;
  const pnl = (books: { positionShares: number; cashUsd: number }) => books.cashUsd + books.positionShares * mid - governor.capitalUsd;
  const filledOrders = new Set(venue.fills.map((fill) => fill.clientOrderId)).size;
  return [
    judge(
      breachSpec,
      breaches.length,
      breaches.length
        ? breaches.slice(0, 5).map((b) => `${b.limit} at fill ${b.fillId} (${b.clientOrderId}): ${n(b.value)} > ${n(b.limitValue)}`).join("; ")
        : `every one of ${venue.fills.length} fills checked against single trade, position notional, turnover and intraday loss`,
    ),
    judge(
      pnlSpec,
      Number.isNaN(mid) ? undefined : Math.abs(pnl(governor) - pnl(truth)),
      `governor P&L ${n(pnl(governor))} USD vs ${n(pnl(truth))} USD implied by the venue's ${venue.fills.length} fills (fees ${n(venue.fills.reduce((s, f) => s + f.fee, 0))} USD), marked at mid ${n(mid)}`,
    ),
    judge(fillSpec, (filledOrders / venue.orderIds.size) * 100, `${filledOrders} of ${venue.orderIds.size} orders the venue received were filled (${venue.duplicateOrders.length} received twice)`),
  ];
}
