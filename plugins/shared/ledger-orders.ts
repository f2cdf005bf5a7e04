// The ledger's orders, read directly from PostgreSQL (not through the governor's proxy): when
// each was created, its terminal status and the reason given.
import pg from "pg";

export interface LedgerOrder {
  clientOrderId: string;
  decisionId: string;
  side: string;
  status: string;
  reason: string;
  createdAt: number;
}

export async function readLedgerOrders(url: string): Promise<LedgerOrder[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("select client_order_id, decision_id, side, status, reason, created_at from orders order by created_at");
    return (rows as Array<Record<string, string | number>>).map((row) => ({
      clientOrderId: String(row.client_order_id),
      decisionId: String(row.decision_id),
      side: String(row.side),
      status: String(row.status),
      reason: String(row.reason),
      createdAt: Number(row.created_at),
    }));
  } finally {
    await client.end();
  }
}
