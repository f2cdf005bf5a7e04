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
    await this.pool.query("truncate decisions, orders, fills");
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
    try {
      if (!client) throw new Error("no connection");
      await client.query("begin");
      await writeBatch(client, batch);
      await client.query("commit");
      this.failures = 0;
      return true;
    } catch {
      await client?.query("rollback").catch(() => undefined);
      this.failures++;
      this.decisions = batch.decisions.concat(this.decisions);
      this.orders = batch.orders.concat(this.orders);
      this.updates = batch.updates.concat(this.updates);
      this.fills = batch.fills.concat(this.fills);
      return false;
    } finally {
      client?.release();
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

/** Multi-row writes with unnest(): one statement per table, whatever the batch size. */
async function writeBatch(client: pg.PoolClient, batch: Batch): Promise<void> {
  const { decisions, orders, updates, fills } = batch;
  if (decisions.length > 0) {
    await client.query(
      `insert into decisions (id, ts, action, verdict, shares, reason, latency_us, order_id)
       select * from unnest($1::text[], $2::float8[], $3::int2[], $4::text[], $5::float8[], $6::text[], $7::int4[], $8::text[])
       on conflict (id) do nothing`,
      [
        decisions.map((d) => d.id), decisions.map((d) => d.ts), decisions.map((d) => d.action),
        decisions.map((d) => d.verdict), decisions.map((d) => d.shares), decisions.map((d) => d.reason),
        decisions.map((d) => d.latencyUs), decisions.map((d) => d.orderId),
      ],
    );
  }
  if (orders.length > 0) {
    await client.query(
      `insert into orders (client_order_id, decision_id, side, qty, created_at)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[])
       on conflict (client_order_id) do nothing`,
      [orders.map((o) => o.clientOrderId), orders.map((o) => o.decisionId), orders.map((o) => o.side), orders.map((o) => o.qty), orders.map((o) => o.createdAt)],
    );
  }
  if (fills.length > 0) {
    await client.query(
      `insert into fills (fill_id, seq, client_order_id, side, qty, price, fee, at)
       select * from unnest($1::text[], $2::int4[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
       on conflict (fill_id) do nothing`,
      [fills.map((f) => f.fillId), fills.map((f) => f.seq), fills.map((f) => f.clientOrderId), fills.map((f) => f.side), fills.map((f) => f.qty), fills.map((f) => f.price), fills.map((f) => f.fee), fills.map((f) => f.at)],
    );
  }
  // Status changes apply in order, so the last update of an order wins.
  for (const update of updates) {
    await client.query(
      "update orders set status = $2, filled_qty = $3, reason = $4 where client_order_id = $1",
      [update.clientOrderId, update.status, update.filledQty, update.reason],
    );
  }
}
