// The four views of the books, read once the governor has gone quiet: what the governor says
// (/v1/state), what it mirrors in Redis, what its PostgreSQL ledger holds, and what the venue
// actually did (its journal — the ground truth).
import { Redis } from "ioredis";
import pg from "pg";
import Cursor from "pg-cursor";
import { DecisionIdSet, describeFetchError, GauntletError, type LedgerQueries } from "../../core/index.ts";
import { contractProblem, StateSchema } from "../../protocol/target-contract.ts";
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

/** GET /v1/state, checked against the target contract: a wrong shape names the field and the expected form. */
export async function readGovernor(baseUrl: string): Promise<GovernorView> {
  const response = await fetch(`${baseUrl}/v1/state`, { signal: AbortSignal.timeout(5000) }).catch((error: unknown) => {
    // A governor that died under the load: say so (and where), not "fetch failed".
    throw new GauntletError("GAUNTLET_TARGET_UNREACHABLE", `the governor stopped answering after the load: GET ${baseUrl}/v1/state: ${describeFetchError(`${baseUrl}/v1/state`, error)}`);
  });
  if (!response.ok) throw new GauntletError("GAUNTLET_TARGET_CONTRACT", `GET ${baseUrl}/v1/state answered ${response.status}; the target contract needs 200 with the governor's books`);
  const body = (await response.json().catch(() => undefined)) as unknown;
  const problem = contractProblem("GET /v1/state", StateSchema, body);
  if (problem) throw new GauntletError("GAUNTLET_TARGET_CONTRACT", problem);
  const state = body as Record<string, unknown> & { counters?: Record<string, number> };
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
export async function quiesce(target: { baseUrl: string }, timeoutMs = 15_000): Promise<{ quiet: boolean; waitedMs: number }> {
  // A governor that did not settle once in this run (the target handle is the run's) is not waited
  // for again: the scenario's gates and the integrity check would each sit out the whole timeout.
  const gaveUp = unsettled.get(target);
  if (gaveUp) return gaveUp;
  const settled = await waitUntilQuiet(target.baseUrl, timeoutMs);
  if (!settled.quiet) unsettled.set(target, settled);
  return settled;
}

const unsettled = new WeakMap<object, { quiet: boolean; waitedMs: number }>();

async function waitUntilQuiet(baseUrl: string, timeoutMs: number): Promise<{ quiet: boolean; waitedMs: number }> {
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

/** The ledger, through the capability's queries: decision ids streamed through a cursor (bounded memory), orders and fills whole. */
export async function readLedger(url: string, queries: LedgerQueries): Promise<LedgerView> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const decisionIds = new DecisionIdSet();
    let decisionRows = 0;
    const cursor = client.query(new Cursor(queries.decisions));
    for (;;) {
      const rows = (await cursor.read(20_000)) as Array<{ id: string }>;
      if (rows.length === 0) break;
      for (const row of rows) decisionIds.add(row.id);
      decisionRows += rows.length;
    }
    await cursor.close();
    const orders = new Map<string, string>();
    for (const row of (await client.query(queries.orders)).rows as Array<{ client_order_id: string; status: string }>) {
      orders.set(row.client_order_id, row.status);
    }
    const fills = ((await client.query(queries.fills)).rows as Array<Record<string, string | number>>).map(
      (row) => ({ fillId: String(row.fill_id), at: Number(row.at), clientOrderId: String(row.client_order_id), side: row.side as "buy" | "sell", qty: Number(row.qty), price: Number(row.price), fee: Number(row.fee) }),
    );
    return { decisionIds, decisionRows, orders, fills };
  } finally {
    await client.end();
  }
}
