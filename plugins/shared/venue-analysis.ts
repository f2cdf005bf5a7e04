// What the flash-crash gates measure, computed from the VENUE's journal (the ground truth: every
// fill it executed, with the book it filled against) and the mid-price series — never from the
// governor's own report of its position or P&L. Pure functions: no I/O, no clock.
//
// Definitions (quoted by the report):
// - capital C: limits.capitalUsd, the cash at the start; the position starts at 0.
// - cash after a fill: C − Σ over buys (qty × price + fee) + Σ over sells (qty × price − fee),
//   in journal order. Fees always reduce cash.
// - mark at a time t: the last mid sample with t_sample ≤ t. At a fill, the mid of the book the
//   venue filled against ((bid + ask) / 2 from the journal record) when it has one; else the
//   last mid sample at or before the fill; else, before any sample, the fill price.
// - equity(t) = cash(t) + position(t) × mark(t), evaluated at every mid sample and every fill
//   (a sample at the same instant as a fill is taken before it).
// - peak(t) = max(C, every equity up to and including t): the starting capital counts, so a loss
//   on the very first trade is drawdown.
// - drawdown%(t) = 100 × (peak(t) − equity(t)) / peak(t); max drawdown = its maximum.
// - intraday loss at a fill = C − equity at that fill (fees and slippage against the mid included).
// `at` of fills and `t` of mids must be on one clock (the journal's `at` is the venue's wall clock).
import { formatNumber as n } from "../../core/index.ts";
import type { Limits } from "../../protocol/limits.ts";
import { PARTIAL_FILL_REASON } from "../../protocol/venue-protocol.ts";
import type { VenueFill } from "./venue-journal.ts";

export type { VenueFill };

export interface MidSample {
  t: number;
  mid: number;
}

export interface FillState {
  fillId: string;
  clientOrderId: string;
  at: number;
  /** Signed shares after the fill (long > 0). */
  position: number;
  cash: number;
  /** Cumulative fees and turnover (Σ qty × price, fees excluded) up to and including this fill. */
  fees: number;
  turnover: number;
}

/** Position and cash after every fill, in journal order. */
export function replayFills(fills: readonly VenueFill[], capital: number): FillState[] {
  let position = 0;
  let cash = capital;
  let fees = 0;
  let turnover = 0;
  return fills.map((f) => {
    const notional = f.qty * f.price;
    position += f.side === "buy" ? f.qty : -f.qty;
    cash += (f.side === "buy" ? -notional : notional) - f.fee;
    fees += f.fee;
    turnover += notional;
    return { fillId: f.fillId, clientOrderId: f.clientOrderId, at: f.at, position, cash, fees, turnover };
  });
}

export interface EquityPoint {
  t: number;
  kind: "mid" | "fill";
  mark: number;
  position: number;
  cash: number;
  equity: number;
  peak: number;
  drawdownPct: number;
}

export interface EquitySeries {
  points: EquityPoint[];
  peak: number;
  maxDrawdownPct: number;
  /** When the max drawdown was reached (undefined when there are no points). */
  maxDrawdownAt: number | undefined;
  finalEquity: number;
}

/** Mark-to-market equity at every mid sample and every fill; see the definitions at the top. */
export function equitySeries(fills: readonly VenueFill[], mids: readonly MidSample[], capital: number): EquitySeries {
  const sorted = sortMids(mids);
  const states = replayFills(fills, capital);
  const points: EquityPoint[] = [];
  let peak = capital;
  let max = 0;
  let maxAt: number | undefined;
  let position = 0;
  let cash = capital;
  const push = (t: number, kind: EquityPoint["kind"], mark: number) => {
    const equity = cash + position * mark;
    peak = Math.max(peak, equity);
    const drawdownPct = (100 * (peak - equity)) / peak;
    if (maxAt === undefined || drawdownPct > max) {
      max = drawdownPct;
      maxAt = t;
    }
    points.push({ t, kind, mark, position, cash, equity, peak, drawdownPct });
  };
  let next = 0; // next mid sample to emit
  fills.forEach((fill, i) => {
    for (; next < sorted.length && (sorted[next] as MidSample).t <= fill.at; next++) {
      push((sorted[next] as MidSample).t, "mid", (sorted[next] as MidSample).mid);
    }
    const state = states[i] as FillState;
    position = state.position;
    cash = state.cash;
    push(fill.at, "fill", markAtFill(fill, sorted));
  });
  for (; next < sorted.length; next++) push((sorted[next] as MidSample).t, "mid", (sorted[next] as MidSample).mid);
  return { points, peak, maxDrawdownPct: max, maxDrawdownAt: maxAt, finalEquity: points.at(-1)?.equity ?? capital };
}

export type LimitName = "maxSingleTradeUsd" | "maxPositionNotionalUsd" | "maxDailyTurnoverUsd" | "maxIntradayLossUsd";

export interface Breach {
  limit: LimitName;
  at: number;
  fillId: string;
  clientOrderId: string;
  value: number;
  limitValue: number;
  /** The fill shrank |position| (e.g. the flattening sale after a loss): the required reaction, still a moment over the limit. */
  reducesRisk: boolean;
}

/**
 * Tolerance on every dollar limit: one millionth of a dollar. It absorbs float rounding only
 * (qty × VWAP re-multiplied, a sum of a few thousand fills: errors near 1e-12 $) and is far below
 * a cent, so a governor cannot hide a real overshoot in it. Slippage is NOT tolerated: a
 * governor that sizes to exactly $50 at the quote and fills at a worse VWAP has traded over $50.
 */
export const TOLERANCE_USD = 1e-6;

type BreachLimits = Pick<Limits, "capitalUsd" | LimitName>;

/**
 * Every fill at which a hard limit is exceeded, one entry per limit exceeded (see the definitions
 * at the top). A single trade is one journal fill record: the venue fills each order in one record
 * at its VWAP over the levels walked, so qty × price is the order's whole notional (aggregate the
 * records per order first if a venue ever splits them). Position notional is |position| × the fill
 * price; turnover is cumulative and, once over, every later fill is a breach too.
 */
export function breachesAtFills(fills: readonly VenueFill[], mids: readonly MidSample[], limits: BreachLimits): Breach[] {
  const sorted = sortMids(mids);
  const states = replayFills(fills, limits.capitalUsd);
  const breaches: Breach[] = [];
  let before = 0; // position before the fill
  fills.forEach((fill, i) => {
    const s = states[i] as FillState;
    const reducesRisk = Math.abs(s.position) < Math.abs(before);
    before = s.position;
    const equity = s.cash + s.position * markAtFill(fill, sorted);
    const checks: Array<[LimitName, number]> = [
      ["maxSingleTradeUsd", fill.qty * fill.price],
      ["maxPositionNotionalUsd", Math.abs(s.position) * fill.price],
      ["maxDailyTurnoverUsd", s.turnover],
      ["maxIntradayLossUsd", limits.capitalUsd - equity],
    ];
    for (const [limit, value] of checks) {
      if (value > limits[limit] + TOLERANCE_USD) {
        breaches.push({ limit, at: fill.at, fillId: fill.fillId, clientOrderId: fill.clientOrderId, value, limitValue: limits[limit], reducesRisk });
      }
    }
  });
  return breaches;
}

/**
 * The breaches a gate counts. A fill that reduces the position while the loss is over the limit is
 * the governor doing what the limit demands (the market moved, not the governor): it is listed
 * apart, not counted. One rule for every scenario (flash crash, probes, drills).
 */
export function countedBreaches(breaches: readonly Breach[]): Breach[] {
  return breaches.filter((b) => !(b.limit === "maxIntradayLossUsd" && b.reducesRisk));
}

/** One breach as a person reads it: which limit, at which fill and order, by how much. */
export function describeBreach(b: Breach): string {
  return `${b.limit} at fill ${b.fillId} (${b.clientOrderId}): ${n(b.value)} > ${n(b.limitValue)}`;
}

/** How the book's depth shaped the fills: orders filled in part (the rest cancelled), and walks past the touch. */
export interface DepthEffects {
  partialFills: number;
  multiLevelFills: number;
  deepestWalk: number;
  fills: number;
}

export function depthEffects(view: { fills: readonly VenueFill[]; cancels: ReadonlyMap<string, { reason: string }> }): DepthEffects {
  const filled = new Set(view.fills.map((fill) => fill.clientOrderId));
  let partialFills = 0;
  for (const [id, cancel] of view.cancels) if (filled.has(id) && cancel.reason === PARTIAL_FILL_REASON) partialFills++;
  const walks = view.fills.map((fill) => fill.levels ?? 1);
  return { partialFills, multiLevelFills: walks.filter((levels) => levels > 1).length, deepestWalk: Math.max(0, ...walks), fills: view.fills.length };
}

export interface FlatCheck {
  /** Σ signed qty of the fills with at ≤ t. */
  position: number;
  /** |position| ≤ tolerance (default 0.01 shares, the requirement's "flat"). */
  flat: boolean;
  /** Fills after t and the largest |position| after any of them (journal order): re-entering after t shows here. */
  fillsAfter: number;
  maxAbsPositionAfter: number;
}

export function flatAfter(fills: readonly VenueFill[], t: number, tolerance = 0.01): FlatCheck {
  let position = 0;
  let atT = 0;
  let fillsAfter = 0;
  let maxAfter = 0;
  for (const f of fills) {
    const signed = f.side === "buy" ? f.qty : -f.qty;
    position += signed;
    if (f.at <= t) atT += signed;
    else {
      fillsAfter++;
      maxAfter = Math.max(maxAfter, Math.abs(position));
    }
  }
  return { position: atT, flat: Math.abs(atT) <= tolerance, fillsAfter, maxAbsPositionAfter: maxAfter };
}

function sortMids(mids: readonly MidSample[]): MidSample[] {
  return [...mids].sort((a, b) => a.t - b.t);
}

/** The mid of the book filled against; else the last sample at or before the fill; else the fill price. */
function markAtFill(fill: VenueFill, sorted: readonly MidSample[]): number {
  if (fill.bid !== undefined && fill.ask !== undefined) return (fill.bid + fill.ask) / 2;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if ((sorted[m] as MidSample).t <= fill.at) lo = m + 1;
    else hi = m;
  }
  return lo > 0 ? (sorted[lo - 1] as MidSample).mid : fill.price;
}
