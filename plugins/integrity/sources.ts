// The four views of the books, read once the governor has gone quiet: what the governor says
// (/v1/state), what it mirrors in Redis, what its PostgreSQL ledger holds, and what the venue
// actually did (its journal — the ground truth).
import { Redis } from "ioredis";
import pg from "pg";
import Cursor from "pg-cursor";
import { DecisionIdSet } from "../../core/analysis/decision-ids.ts";
import type { Books } from "../shared/books.ts";
import type { VenueFill } from "../shared/venue-journal.ts";

export interface GovernorView extends Books {
  capitalUsd: number;
  mid: number | null;
  ledgerPending: number;
  openOrders: number;
  orderQueue: number;
}

export type { Books };

export interface LedgerView {
  decisionIds: DecisionIdSet;
  decisionRows: number;
  orders: Map<string, string>; // client_order_id → status
  fills: VenueFill[];
}

export async function readGovernor(baseUrl: string): Promise<GovernorView> {
  const response = await fetch(`${baseUrl}/v1/state`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${baseUrl}/v1/state → ${response.status}`);
  const state = (await response.json()) as Record<string, unknown> & { counters?: Record<string, number> };
  return {
    positionShares: Number(state.positionShares),
    cashUsd: Number(state.cashUsd),
    capitalUsd: Number(state.capitalUsd),
    mid: typeof state.mid === "number" ? state.mid : null,
    decisions: state.counters?.decisions,
    orders: state.counters?.orders,
    fills: state.counters?.fills,
    ledgerPending: Number(state.ledgerPending ?? 0),
    openOrders: Number(state.openOrders ?? 0),
    orderQueue: Number(state.orderQueue ?? 0),
  };
}

/**
 * Wait until nothing is in flight (ledger written, orders answered, queue empty) and the decision
 * counter has stopped moving, twice in a row: a slow governor may still be working through
 * requests k6 has already given up on.
 */
export async function quiesce(baseUrl: string, timeoutMs = 15_000): Promise<{ quiet: boolean; waitedMs: number }> {
  const started = Date.now();
  let calm = 0;
  let lastDecisions: number | undefined;
  while (Date.now() - started < timeoutMs) {
    const view = await readGovernor(baseUrl).catch(() => undefined);
    const settled = view !== undefined && view.decisions === lastDecisions;
    lastDecisions = view?.decisions;
    calm = view && settled && view.ledgerPending === 0 && view.openOrders === 0 && view.orderQueue === 0 ? calm + 1 : 0;
    if (calm >= 2) {
      // The Redis state hash is written behind the books (at most every 20 ms in the sandbox).
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { quiet: true, waitedMs: Date.now() - started };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { quiet: false, waitedMs: Date.now() - started };
}

export async function readRedis(url: string, key: string): Promise<Books | undefined> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const hash = await redis.hgetall(key);
    if (Object.keys(hash).length === 0) return undefined;
    const number = (field: string) => (hash[field] === undefined ? undefined : Number(hash[field]));
    return {
      positionShares: Number(hash.positionShares ?? 0),
      cashUsd: Number(hash.cashUsd ?? Number.NaN),
      decisions: number("decisions"),
      orders: number("orders"),
      fills: number("fills"),
    };
  } finally {
    redis.disconnect();
  }
}

/** The ledger: decision ids streamed through a cursor (bounded memory), orders and fills whole. */
export async function readLedger(url: string): Promise<LedgerView> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const decisionIds = new DecisionIdSet();
    let decisionRows = 0;
    const cursor = client.query(new Cursor("select id from decisions"));
    for (;;) {
      const rows = (await cursor.read(20_000)) as Array<{ id: string }>;
      if (rows.length === 0) break;
      for (const row of rows) decisionIds.add(row.id);
      decisionRows += rows.length;
    }
    await cursor.close();
    const orders = new Map<string, string>();
    for (const row of (await client.query("select client_order_id, status from orders")).rows as Array<{ client_order_id: string; status: string }>) {
      orders.set(row.client_order_id, row.status);
    }
    const fills = ((await client.query("select fill_id, client_order_id, side, qty, price, fee, at from fills order by seq")).rows as Array<Record<string, string | number>>).map(
      (row) => ({ fillId: String(row.fill_id), at: Number(row.at), clientOrderId: String(row.client_order_id), side: row.side as "buy" | "sell", qty: Number(row.qty), price: Number(row.price), fee: Number(row.fee) }),
    );
    return { decisionIds, decisionRows, orders, fills };
  } finally {
    await client.end();
  }
}
