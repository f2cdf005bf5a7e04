// Do the books agree? Position and cash from every source against the venue's fills (fees
// included); Redis vs PostgreSQL vs the governor's own counters; and a complete transaction log.
// Pure: the sources are read elsewhere (sources.ts). Every discrepancy carries the ids a person
// needs to look it up.
import type { DecisionIdSet } from "../../core/index.ts";
import { formatNumber as n, judge, noData, notApplicable, type GateResult, type GateSpec } from "../../core/index.ts";
import { booksFromFills } from "../shared/books.ts";
import type { VenueView } from "../shared/venue-journal.ts";
import type { Books, GovernorView, LedgerView } from "./sources.ts";

export interface IntegrityThresholds {
  maxPositionDeltaUsd: number;
  maxCashDeltaUsd: number;
}

export interface Discrepancy {
  kind: string;
  ids: string[];
  /** How many there are in all (ids lists at most LISTED of them). */
  count: number;
  detail: string;
}

export interface IntegrityInput {
  governor: GovernorView;
  /** The settle-wait after the load: did the governor go quiet (no decisions moving, nothing open or queued)? */
  settled?: { quiet: boolean; waitedMs: number };
  redis?: Books;
  ledger?: LedgerView;
  venue?: VenueView;
  /** Decisions k6 saw answered (2xx), every scenario. */
  answered: DecisionIdSet;
  /** Every order id the governor answered with (X-Order-Id), as k6 saw them. */
  orders: ReadonlyMap<string, { decisionId: string; atMs: number }>;
  /** What the target declared: the comparisons it cannot offer are not applicable, never passed. */
  declares: { redisMirror: boolean; ledger: boolean };
}

const LISTED = 1000;
/** Float noise on sums of a few thousand fills; far below a cent. */
const EPSILON = 1e-6;

function discrepancy(kind: string, ids: Iterable<string>, detail: string): Discrepancy | undefined {
  const listed: string[] = [];
  let count = 0;
  for (const id of ids) {
    if (listed.length < LISTED) listed.push(id);
    count++;
  }
  return count === 0 ? undefined : { kind, ids: listed, count, detail };
}

function* filter<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

/**
 * What the minimum contract lets Gauntlet check of any governor, from k6's answers, /v1/state and
 * the venue's journal: every order it answered with reached the venue or was cancelled there with a
 * reason; none was sent twice; every message it sent the venue was readable; it counts the fills
 * the venue made.
 */
export function venueDiscrepancies(input: IntegrityInput): Discrepancy[] {
  const { venue, orders, governor } = input;
  if (!venue) return [];
  const found = [
    discrepancy("order-sent-twice", venue.duplicateOrders, "client order ids the venue received more than once"),
    discrepancy("unreadable-venue-message", venue.protocolErrors.map((e) => `${e.why}: ${e.line.slice(0, 80)}`), "lines the governor sent the venue that are not venue protocol v1"),
  ];
  if (governor.fills !== undefined && governor.fills !== venue.fills.length) {
    found.push({ kind: "fills-miscounted", ids: [], count: Math.abs(governor.fills - venue.fills.length), detail: `the governor counts ${governor.fills} fills; the venue made ${venue.fills.length}` });
  }
  return found.filter((d): d is Discrepancy => d !== undefined);
}

/**
 * Every order accounted for: each order id the governor answered with is at the venue or was
 * cancelled there with a reason, every order the venue received ended (filled, rejected or
 * cancelled), and nothing is still open on the governor's side once it has settled.
 */
export function unaccountedOrders(input: IntegrityInput): Discrepancy[] {
  const { venue, orders, governor } = input;
  if (!venue) return [];
  const filled = new Set(venue.fills.map((fill) => fill.clientOrderId));
  const found = [
    discrepancy("order-not-at-venue", filter(orders.keys(), (id) => !venue.orderIds.has(id) && !venue.cancels.has(id)), "the governor answered with these orders; the venue neither received them nor a cancel with a reason"),
    discrepancy("order-never-ended", filter(venue.orderIds, (id) => !filled.has(id) && !venue.rejected.has(id) && !venue.cancels.has(id)), "orders the venue received that were never filled, rejected or cancelled"),
  ];
  if (governor.openOrders > 0) found.push({ kind: "order-still-open", ids: [], count: governor.openOrders, detail: `the governor still counts ${governor.openOrders} open order(s) after the settle-wait` });
  return found.filter((d): d is Discrepancy => d !== undefined);
}

/** With a ledger: every decision, order and fill in it exactly once, and in agreement with the venue. */
export function logDiscrepancies(input: IntegrityInput): Discrepancy[] {
  const { ledger, venue, answered } = input;
  if (!ledger) return [];
  const ledgerFillIds = new Set(ledger.fills.map((f) => f.fillId));
  const found = [
    discrepancy("decision-missing-from-ledger", filter(answered.ids(), (id) => !ledger.decisionIds.has(id)), "k6 saw these decisions answered; the ledger has no row for them"),
    discrepancy("order-not-terminal", filter(ledger.orders.keys(), (id) => !["filled", "rejected", "cancelled"].includes(ledger.orders.get(id)!)), "orders with neither fills nor a terminal state"),
    // A fill the venue made without an order of the governor's (a manual trade on the account: the
    // unknown-order-fill venue fault) is booked with no order to go with it, rightly.
    discrepancy("fill-without-order", ledger.fills.filter((f) => !ledger.orders.has(f.clientOrderId) && (!venue || venue.orderIds.has(f.clientOrderId))).map((f) => f.fillId), "ledger fills whose order the ledger does not have"),
  ];
  if (venue) {
    const venueFillIds = new Set(venue.fills.map((f) => f.fillId));
    found.push(
      discrepancy("venue-order-missing-from-ledger", filter(venue.orderIds, (id) => !ledger.orders.has(id)), "orders the venue received that the ledger lacks"),
      discrepancy("venue-fill-missing-from-ledger", venue.fills.filter((f) => !ledgerFillIds.has(f.fillId)).map((f) => f.fillId), "fills the venue made that the ledger lacks"),
      discrepancy("ledger-fill-not-at-venue", ledger.fills.filter((f) => !venueFillIds.has(f.fillId)).map((f) => f.fillId), "ledger fills the venue never made"),
    );
  }
  return found.filter((d): d is Discrepancy => d !== undefined);
}

/** Field-by-field comparison of the governor, Redis and the ledger. */
export function stateMismatches(input: IntegrityInput): Array<{ field: string; values: Record<string, number | undefined> }> {
  const { governor, redis, ledger } = input;
  const ledgerBooks = ledger ? { ...booksFromFills(ledger.fills, governor.capitalUsd), decisions: ledger.decisionRows, orders: ledger.orders.size } : undefined;
  const sources: Record<string, Books | undefined> = { governor, redis, ledger: ledgerBooks };
  const mismatches: Array<{ field: string; values: Record<string, number | undefined> }> = [];
  for (const field of ["positionShares", "cashUsd", "decisions", "orders", "fills"] as const) {
    const values = Object.fromEntries(Object.entries(sources).filter(([, books]) => books).map(([name, books]) => [name, books![field]]));
    const present = Object.values(values).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (present.length >= 2 && Math.max(...present) - Math.min(...present) > EPSILON) mismatches.push({ field, values });
  }
  return mismatches;
}

export function integrityGates(input: IntegrityInput, thresholds: IntegrityThresholds): { gates: GateResult[]; facts: Record<string, unknown> } {
  const { governor, redis, ledger, venue } = input;
  const spec = (id: string, title: string, unit: string, comparator: GateSpec["comparator"], threshold: number): GateSpec => ({
    id, title, category: "integrity", severity: "HIGH", unit, comparator, threshold,
  });
  const positionSpec = spec("integrity_position", "Position vs the venue's fills (all sources)", "USD", "<=", thresholds.maxPositionDeltaUsd);
  const cashSpec = spec("integrity_cash", "Cash vs the venue's fills, fees included (all sources)", "USD", "<=", thresholds.maxCashDeltaUsd);
  const syncSpec = spec("integrity_state_synced", "Redis ↔ PostgreSQL ↔ governor counters", "mismatches", "==", 0);
  const logSpec = spec("integrity_log_complete", "Transaction log complete (decisions, orders, fills)", "discrepancies", "==", 0);
  // An order nobody can find is money at risk, not a bookkeeping gap: CRITICAL.
  const accountedSpec: GateSpec = { ...spec("orders_accounted", "Every order at the venue or cancelled with a reason, none left open", "orders", "==", 0), severity: "CRITICAL" };

  const truth = venue ? booksFromFills(venue.fills, governor.capitalUsd) : undefined;
  const ledgerBooks = ledger ? booksFromFills(ledger.fills, governor.capitalUsd) : undefined;
  const sources = { governor, redis, ledger: ledgerBooks };
  const mid = governor.mid ?? undefined;
  const positionDeltas: Record<string, number> = {};
  const cashDeltas: Record<string, number> = {};
  if (truth) {
    for (const [name, books] of Object.entries(sources)) {
      if (!books) continue;
      if (mid !== undefined) positionDeltas[name] = Math.abs(books.positionShares - truth.positionShares) * mid;
      cashDeltas[name] = Math.abs(books.cashUsd - truth.cashUsd);
    }
  }
  const worst = (deltas: Record<string, number>) => (Object.keys(deltas).length ? Math.max(...Object.values(deltas)) : undefined);
  const describe = (deltas: Record<string, number>) => Object.entries(deltas).map(([name, d]) => `${name} ${n(d)}`).join(", ");
  const mismatches = stateMismatches(input);
  const discrepancies = [...venueDiscrepancies(input), ...logDiscrepancies(input)];
  const unaccounted = unaccountedOrders(input);
  const unaccountedCount = unaccounted.reduce((sum, d) => sum + d.count, 0);
  const settled = input.settled ?? { quiet: true, waitedMs: 0 };
  const discrepancyCount = discrepancies.reduce((sum, d) => sum + d.count, 0);
  const { declares } = input;
  const logChecked = [
    `no order sent twice, every line the governor sent the venue readable, fills counted alike`,
    ...(ledger ? [`${n(input.answered.size)} answered decisions each once in the ledger (${n(ledger.decisionRows)} rows); every order terminal; ledger fills match the venue`] : []),
  ].join("; ");

  const listed = (found: Discrepancy[]) => found.map((d) => `${d.kind}: ${n(d.count)}${d.ids.length ? ` (e.g. ${d.ids.slice(0, 5).join(", ")})` : ` (${d.detail})`}`).join("; ");
  const gates = [
    !venue
      ? noData(accountedSpec, "the venue's journal could not be read")
      : !settled.quiet
        // A governor that never settles has orders (or work) in flight nobody can account for.
        ? judge(accountedSpec, Math.max(1, unaccountedCount), `the governor did not settle within ${n(settled.waitedMs / 1000)} s of the load's end (decisions still moving, or orders open or queued)${unaccounted.length ? `; ${listed(unaccounted)}` : ""}`)
        : judge(accountedSpec, unaccountedCount, unaccounted.length ? listed(unaccounted) : `${n(input.orders.size)} orders the governor answered with and ${n(venue.orderIds.size)} the venue received: each at the venue or cancelled there with a reason, each ended; none open after ${n(settled.waitedMs / 1000)} s of settling`),
    truth && mid !== undefined
      ? judge(positionSpec, worst(positionDeltas), `|position − venue position| × mid ${n(mid)}: ${describe(positionDeltas)} USD; venue position ${n(truth.positionShares)} shares from ${venue!.fills.length} fills`)
      : noData(positionSpec, truth ? "the governor reported no mid price" : "the target has no venue journal to reconcile against"),
    truth
      ? judge(cashSpec, worst(cashDeltas), `|cash − venue cash| (capital ${n(governor.capitalUsd)} − Σ side·qty·price − Σ fee): ${describe(cashDeltas)} USD`)
      : noData(cashSpec, "the target has no venue journal to reconcile against"),
    !declares.redisMirror && !declares.ledger
      ? notApplicable(syncSpec, "the target declares neither a Redis mirror nor a ledger (capabilities.redisMirror, capabilities.ledger)")
      : (declares.redisMirror && !redis) || (declares.ledger && !ledger)
        ? noData(syncSpec, `a declared ${declares.redisMirror && !redis ? "Redis mirror" : "ledger"} could not be read`)
        : judge(syncSpec, mismatches.length, mismatches.length ? mismatches.map((m) => `${m.field}: ${Object.entries(m.values).map(([k, v]) => `${k}=${v === undefined ? "—" : n(v)}`).join(" ")}`).join("; ") : `position, cash, decisions, orders and fills agree across the governor${redis ? ", Redis" : ""}${ledger ? ", the ledger" : ""}`),
    !venue
      ? noData(logSpec, "the venue's journal could not be read")
      : declares.ledger && !ledger
        ? noData(logSpec, "the declared ledger could not be read")
        : judge(logSpec, discrepancyCount, discrepancies.length ? listed(discrepancies) : logChecked),
  ];
  return {
    gates,
    facts: {
      venue: truth ?? null,
      governor: { positionShares: governor.positionShares, cashUsd: governor.cashUsd, decisions: governor.decisions, orders: governor.orders, fills: governor.fills },
      redis: redis ?? null,
      ledger: ledgerBooks ? { ...ledgerBooks, decisions: ledger!.decisionRows, orders: ledger!.orders.size } : null,
      positionDeltasUsd: positionDeltas,
      cashDeltasUsd: cashDeltas,
      stateMismatches: mismatches,
      discrepancies,
      unaccountedOrders: unaccounted,
      answeredDecisions: input.answered.size,
    },
  };
}
