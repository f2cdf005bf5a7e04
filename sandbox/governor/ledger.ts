// The PostgreSQL ledger: every decision, order and fill, written behind the decision path in
// batches. A batch that fails (PostgreSQL slow or cut) stays in memory and is retried until it
// lands; inserts are idempotent (primary keys, ON CONFLICT DO NOTHING), so a retry after a commit
// whose answer was lost cannot write a row twice.
import pg from "pg";

const FLUSH_MS = 50;

export interface DecisionRow {
  id: string;
  ts: number;
  action: number;
  verdict: string;
  shares: number;
  reason: string;
  latencyUs: number;
  orderId: string | null;
}
export interface OrderRow {
  clientOrderId: string;
  decisionId: string;
  side: string;
  qty: number;
  createdAt: number;
}
export interface OrderUpdate {
  clientOrderId: string;
  status: string;
  filledQty: number;
  reason: string;
}
export interface FillRow {
  fillId: string;
  seq: number;
  clientOrderId: string;
  side: string;
  qty: number;
  price: number;
  fee: number;
  at: number;
}

export const LEDGER_SCHEMA = `
create table if not exists decisions (
  id text primary key, ts double precision not null, action smallint not null, verdict text not null,
  shares double precision not null, reason text not null, latency_us integer not null, order_id text);
create table if not exists orders (
  client_order_id text primary key, decision_id text not null, side text not null,
  qty double precision not null, status text not null default 'new', filled_qty double precision not null default 0,
  reason text not null default '', created_at double precision not null);
create table if not exists fills (
  fill_id text primary key, seq integer not null, client_order_id text not null, side text not null,
  qty double precision not null, price double precision not null, fee double precision not null,
  at double precision not null);
`;

export class Ledger {
  private readonly pool: pg.Pool;
  private decisions: DecisionRow[] = [];
  private orders: OrderRow[] = [];
  private updates: OrderUpdate[] = [];
  private fills: FillRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  /** Rows waiting to be written; a checker can see a backlog build during a PostgreSQL outage. */
  failures = 0;

  /** Seeded fault ledger-drops-on-error: a batch PostgreSQL refused is thrown away. */
  dropsOnError = false;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 2000, query_timeout: 10000 });
    this.pool.on("error", () => undefined);
  }

  async migrate(): Promise<void> {
    await this.pool.query(LEDGER_SCHEMA);
  }

  pending(): number {
    return this.decisions.length + this.orders.length + this.updates.length + this.fills.length;
  }

  decision(row: DecisionRow): void {
    this.decisions.push(row);
    this.schedule();
  }
  order(row: OrderRow): void {
    this.orders.push(row);
    this.schedule();
  }
  orderUpdate(row: OrderUpdate): void {
    this.updates.push(row);
    this.schedule();
  }
  fill(row: FillRow): void {
    this.fills.push(row);
    this.schedule();
  }

  async reset(): Promise<void> {
    this.decisions = [];
    this.orders = [];
    this.updates = [];
    this.fills = [];
    // TRUNCATE takes each table's exclusive lock in turn; a write still in flight (a flush of this
    // process, fills the venue replays on connecting) can make PostgreSQL abort one side as a
    // deadlock (40P01, seen once in a self-test lane). The victim's work is undone, so the reset is
    // simply tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.pool.query("truncate decisions, orders, fills");
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private schedule(delay = FLUSH_MS): void {
    this.timer ??= setTimeout(() => void this.flush(), delay);
  }

  /** Write everything buffered; on failure put it back in front and try again later. */
  async flush(): Promise<boolean> {
    this.timer = undefined;
    if (this.flushing || this.pending() === 0) return this.pending() === 0;
    this.flushing = true;
    const batch = { decisions: this.decisions, orders: this.orders, updates: this.updates, fills: this.fills };
    this.decisions = [];
    this.orders = [];
    this.updates = [];
    this.fills = [];
    const client = await this.pool.connect().catch(() => undefined);
    // A connection cut while checked out (the postgres-outage profile) is emitted on the client,
    // not the pool: without a listener it would take the governor down with it.
    const onLost = () => undefined;
    client?.on("error", onLost);
    let broken = false;
    try {
      if (!client) throw new Error("no connection");
      await client.query("begin");
      await writeBatch(client, batch);
      await client.query("commit");
      this.failures = 0;
      return true;
    } catch {
      broken = true;
      await client?.query("rollback").catch(() => undefined);
      this.failures++;
      if (this.dropsOnError) return false;
      this.decisions = batch.decisions.concat(this.decisions);
      this.orders = batch.orders.concat(this.orders);
      this.updates = batch.updates.concat(this.updates);
      this.fills = batch.fills.concat(this.fills);
      return false;
    } finally {
      client?.off("error", onLost);
      client?.release(broken); // a failed batch's connection may be the cut one: do not reuse it
      this.flushing = false;
      if (this.pending() > 0) this.schedule(this.failures > 0 ? Math.min(1000, 100 * this.failures) : FLUSH_MS);
    }
  }

  async close(): Promise<void> {
    for (let attempt = 0; attempt < 20 && this.pending() > 0; attempt++) {
      if (!(await this.flush())) await new Promise((r) => setTimeout(r, 250));
    }
    await this.pool.end().catch(() => undefined);
  }
}

type Batch = { decisions: DecisionRow[]; orders: OrderRow[]; updates: OrderUpdate[]; fills: FillRow[] };

/**
 * Multi-row writes: each table's rows travel as one JSON parameter that PostgreSQL expands with
 * json_to_recordset. One string per batch instead of an array literal per column keeps the
 * garbage (and what the young generation promotes) small on the decision path's process.
 */
async function writeBatch(client: pg.PoolClient, batch: Batch): Promise<void> {
  const { decisions, orders, updates, fills } = batch;
  if (decisions.length > 0) {
    await client.query({
      name: "ledger_decisions",
      text: `insert into decisions (id, ts, action, verdict, shares, reason, latency_us, order_id)
             select id, ts, action, verdict, shares, reason, "latencyUs", "orderId"
             from json_to_recordset($1::json) as r(id text, ts float8, action int2, verdict text, shares float8, reason text, "latencyUs" int4, "orderId" text)
             on conflict (id) do nothing`,
      values: [JSON.stringify(decisions)],
    });
  }
  if (orders.length > 0) {
    await client.query({
      name: "ledger_orders",
      text: `insert into orders (client_order_id, decision_id, side, qty, created_at)
             select "clientOrderId", "decisionId", side, qty, "createdAt"
             from json_to_recordset($1::json) as r("clientOrderId" text, "decisionId" text, side text, qty float8, "createdAt" float8)
             on conflict (client_order_id) do nothing`,
      values: [JSON.stringify(orders)],
    });
  }
  if (fills.length > 0) {
    await client.query({
      name: "ledger_fills",
      text: `insert into fills (fill_id, seq, client_order_id, side, qty, price, fee, at)
             select "fillId", seq, "clientOrderId", side, qty, price, fee, at
             from json_to_recordset($1::json) as r("fillId" text, seq int4, "clientOrderId" text, side text, qty float8, price float8, fee float8, at float8)
             on conflict (fill_id) do nothing`,
      values: [JSON.stringify(fills)],
    });
  }
  // Status changes apply in order, so the last update of an order wins.
  for (const update of updates) {
    await client.query({
      name: "ledger_order_update",
      text: "update orders set status = $2, filled_qty = $3, reason = $4 where client_order_id = $1",
      values: [update.clientOrderId, update.status, update.filledQty, update.reason],
    });
  }
}
