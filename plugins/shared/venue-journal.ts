// The venue's journal (NDJSON written by the venue, venue/order-desk.ts): every order it received,
// every cancel, reject and fill, and every line it could not read — the ground truth that
// scenarios and the integrity check judge the governor against, never the governor's own word.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";

export interface VenueFill {
  fillId: string;
  /** Venue wall-clock time of the fill, epoch ms. */
  at: number;
  clientOrderId: string;
  side: "buy" | "sell";
  qty: number;
  /** When the governor created it (protocol field createdAt), epoch ms; absent when it did not say. */
  createdAt?: number;
  /** Volume-weighted over the levels the order walked. */
  price: number;
  /** How many levels of the book it walked (1 = the touch); absent in older journals. */
  levels?: number;
  fee: number;
  /** The book the order filled against; its mid is the mark at the fill. */
  bid?: number;
  ask?: number;
}

/** One order as the venue received it (every receipt, duplicates included). */
export interface VenueOrder {
  clientOrderId: string;
  /** The decision it answers; absent for the governor's own orders (flattening). */
  decisionId?: string;
  side: "buy" | "sell";
  qty: number;
  /** When the governor created it (protocol field createdAt), epoch ms; absent when it did not say. */
  createdAt?: number;
  /** Venue wall clock, epoch ms. */
  receivedAt: number;
  /** How old the governor's market data was when it decided (-1: unknown). */
  marketDataAgeMs: number;
}

export interface VenueView {
  orderIds: Set<string>;
  /** clientOrderIds the venue received more than once. */
  duplicateOrders: string[];
  /** Every receipt, in arrival order. */
  orders: VenueOrder[];
  /** Orders the venue rejected. */
  rejected: Set<string>;
  /** Orders given up, with the reason: by the governor (a cancel message), or the rest of a partial fill. */
  cancels: Map<string, { reason: string; at: number; known: boolean; remainingQty: number }>;
  fills: VenueFill[];
  /** Lines the venue could not read as protocol v1 messages. */
  protocolErrors: Array<{ line: string; why: string; at: number }>;
}

/** Stream the venue journal (NDJSON) into what the checks need. */
export async function readVenueJournal(path: string): Promise<VenueView | undefined> {
  if (!existsSync(path)) return undefined;
  const view: VenueView = { orderIds: new Set(), duplicateOrders: [], orders: [], rejected: new Set(), cancels: new Map(), fills: [], protocolErrors: [] };
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const record = JSON.parse(line) as {
      kind: string; clientOrderId: string; decisionId?: string; createdAt?: number; receivedAt?: number; marketDataAgeMs?: number;
      reason?: string; known?: boolean; remainingQty?: number; why?: string; line?: string; levels?: number;
    } & Partial<VenueFill>;
    if (record.kind === "order") {
      if (view.orderIds.has(record.clientOrderId)) view.duplicateOrders.push(record.clientOrderId);
      view.orderIds.add(record.clientOrderId);
      view.orders.push({
        clientOrderId: record.clientOrderId, decisionId: record.decisionId, side: record.side as "buy" | "sell", qty: Number(record.qty),
        createdAt: record.createdAt === undefined ? undefined : Number(record.createdAt),
        receivedAt: Number(record.receivedAt), marketDataAgeMs: Number(record.marketDataAgeMs ?? -1),
      });
    } else if (record.kind === "cancel") {
      view.cancels.set(record.clientOrderId, { reason: String(record.reason ?? ""), at: Number(record.at), known: Boolean(record.known), remainingQty: Number(record.remainingQty ?? 0) });
    } else if (record.kind === "protocol-error") {
      view.protocolErrors.push({ line: String(record.line), why: String(record.why), at: Number(record.at) });
    } else if (record.kind === "reject") {
      view.rejected.add(record.clientOrderId);
    } else if (record.kind === "fill") {
      view.fills.push({
        fillId: String(record.fillId), at: Number(record.at), clientOrderId: record.clientOrderId, side: record.side as "buy" | "sell",
        qty: Number(record.qty), price: Number(record.price), fee: Number(record.fee),
        levels: record.levels === undefined ? undefined : Number(record.levels),
        bid: record.bid === undefined ? undefined : Number(record.bid), ask: record.ask === undefined ? undefined : Number(record.ask),
      });
    }
  }
  return view;
}

/**
 * The first safe action after `after`: an order the venue received and did not reject, decided on
 * market data fresher than `maxDataAgeMs` (REQUIREMENTS.md scenario 3). Undefined when none came.
 */
export function firstSafeAction(view: VenueView, after: number, maxDataAgeMs = 500): VenueOrder | undefined {
  return view.orders.find(
    (order) => order.receivedAt > after && !view.rejected.has(order.clientOrderId) && order.marketDataAgeMs >= 0 && order.marketDataAgeMs < maxDataAgeMs,
  );
}
