// The governor's books: position, cash, fees, turnover and the orders still in flight. Position
// and cash change only on fills reported by the venue; turnover is reserved when an order is
// approved (so two orders in flight cannot both spend the same budget).
import type { FillMessage } from "../../protocol/venue-protocol.ts";

export type OrderStatus = "queued" | "sent" | "acked" | "filled" | "rejected" | "cancelled";

export interface Order {
  clientOrderId: string;
  decisionId: string;
  side: "buy" | "sell";
  qty: number;
  status: OrderStatus;
  filledQty: number;
  reason: string;
  createdAt: number;
}

export interface PortfolioSnapshot {
  positionShares: number;
  cashUsd: number;
  feesUsd: number;
  turnoverUsd: number;
  peakEquityUsd: number;
  pendingShares: number;
  openOrders: number;
  counters: { decisions: number; orders: number; fills: number; rejects: number };
}

export class Portfolio {
  positionShares = 0;
  cashUsd: number;
  feesUsd = 0;
  turnoverUsd = 0;
  /** Σ qty × price of the fills (turnover as the venue saw it; turnoverUsd also reserves orders in flight). */
  filledTurnoverUsd = 0;
  /** What the open position cost (average-cost method), signed USD: for the "at cost" seeded faults. */
  costBasisUsd = 0;
  peakEquityUsd: number;
  readonly orders = new Map<string, Order>();
  readonly counters = { decisions: 0, orders: 0, fills: 0, rejects: 0 };
  private pending = 0;

  constructor(readonly capitalUsd: number) {
    this.cashUsd = capitalUsd;
    this.peakEquityUsd = capitalUsd;
  }

  /** Position plus every order not yet in a terminal state, signed shares. */
  exposureShares(): number {
    return this.positionShares + this.pending;
  }

  equityUsd(mid: number | undefined): number {
    return this.cashUsd + (mid === undefined ? 0 : this.positionShares * mid);
  }

  /** Equity with the position marked at what it cost: realized P&L only (unrealized ignored). */
  equityAtCostUsd(): number {
    return this.cashUsd + this.costBasisUsd;
  }

  /** Marks equity to market and moves the peak; called on every tick and fill. */
  mark(mid: number | undefined): void {
    const equity = this.equityUsd(mid);
    if (equity > this.peakEquityUsd) this.peakEquityUsd = equity;
  }

  openOrder(order: Order, mid: number): void {
    this.orders.set(order.clientOrderId, order);
    this.pending += order.side === "buy" ? order.qty : -order.qty;
    this.turnoverUsd += order.qty * mid;
    this.counters.orders++;
  }

  /** Returns false for a fill of an order we do not know (the integrity check will list it). */
  applyFill(fill: FillMessage): boolean {
    const order = this.orders.get(fill.clientOrderId);
    const sign = fill.side === "buy" ? 1 : -1;
    const before = this.positionShares;
    this.positionShares += sign * fill.qty;
    this.filledTurnoverUsd += fill.qty * fill.price;
    // Average cost: adding keeps the average price, reducing keeps it too, crossing zero restarts it.
    if (Math.sign(before) === sign || before === 0) this.costBasisUsd += sign * fill.qty * fill.price;
    else if (Math.sign(this.positionShares) === Math.sign(before)) this.costBasisUsd *= this.positionShares / before;
    else this.costBasisUsd = this.positionShares * fill.price;
    this.cashUsd -= sign * fill.qty * fill.price + fill.fee;
    this.feesUsd += fill.fee;
    this.counters.fills++;
    if (!order) return false;
    // The venue fills immediate-or-cancel: one fill ends the order; the rest is cancelled.
    this.closeOrder(order, "filled", fill.qty);
    return true;
  }

  reject(clientOrderId: string, reason: string): void {
    const order = this.orders.get(clientOrderId);
    if (!order) return;
    this.counters.rejects++;
    order.reason = reason;
    this.closeOrder(order, "rejected", 0);
  }

  /** Still working: terminal orders leave the map (see closeOrder). */
  isOpen(clientOrderId: string): boolean {
    return this.orders.has(clientOrderId);
  }

  /** An order given up on before it reached the venue (e.g. expired in a broker outage). */
  cancel(clientOrderId: string, reason: string): void {
    const order = this.orders.get(clientOrderId);
    if (!order) return;
    order.reason = reason;
    this.closeOrder(order, "cancelled", 0);
  }

  private closeOrder(order: Order, status: OrderStatus, filledQty: number): void {
    if (order.status === "filled" || order.status === "rejected" || order.status === "cancelled") return;
    this.pending -= order.side === "buy" ? order.qty : -order.qty;
    order.status = status;
    order.filledQty = filledQty;
    // Keep the map small on long runs: terminal orders live on in the ledger, not in memory.
    this.orders.delete(order.clientOrderId);
  }

  snapshot(): PortfolioSnapshot {
    return {
      positionShares: this.positionShares,
      cashUsd: this.cashUsd,
      feesUsd: this.feesUsd,
      turnoverUsd: this.turnoverUsd,
      peakEquityUsd: this.peakEquityUsd,
      pendingShares: this.pending,
      openOrders: this.orders.size,
      counters: { ...this.counters },
    };
  }
}
