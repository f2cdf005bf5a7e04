// The reference governor end to end on its real dependencies: a decision is answered within the
// limits, written to the PostgreSQL ledger, mirrored to Redis, and its order filled by the venue,
// which journals it; a shadow reset forgets it all.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { startSandboxStack, type SandboxStack } from "../../cli/sandbox-stack.ts";
import { KEYS } from "../../sandbox/config.ts";
import { tempDir, waitFor } from "../support/cli.ts";

let stack: SandboxStack;
let sandbox: SandboxStack["sandbox"];

test.before(async () => {
  stack = await startSandboxStack({ dir: join(tempDir(), "sandbox") });
  sandbox = stack.sandbox;
});
test.after(async () => {
  await stack?.stop();
});

const obs = Array.from({ length: 16 }, (_, i) => (i % 3) / 10);

async function decide(id: string, action: number): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.governorUrl}/v1/decisions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id, ts: Date.now(), symbol: "AAPL", action, obs }),
  });
  assert.is(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

test("health declares a shadow instance with live broker and market data", async () => {
  // The first book may still be on its way right after launch: poll for up to 5 s.
  let health: Record<string, unknown> = {};
  await waitFor(async () => {
    health = (await (await fetch(`${sandbox.governorUrl}/v1/health`)).json()) as Record<string, unknown>;
    return typeof health.marketDataAgeMs === "number" && health.marketDataAgeMs < 500;
  }, 5000);
  assert.is(health.mode, "shadow");
  assert.is(health.brokerConnected, true);
  assert.ok(typeof health.marketDataAgeMs === "number" && (health.marketDataAgeMs as number) < 500);
});

test("a buy within the limits is approved, ledgered, mirrored to Redis and filled by the venue", async () => {
  const answer = await decide("t-1", 4);
  assert.is(answer.id, "t-1");
  assert.ok(["approved", "reduced"].includes(answer.verdict as string), String(answer.verdict));
  assert.ok((answer.increment as number) > 0);
  // Single-trade cap: $50 at an AAPL price near $585.
  assert.ok((answer.increment as number) * 585 <= 50.5);
  const orderId = answer.orderId as string;
  assert.ok(orderId);

  assert.ok(await waitFor(() => readFileSync(stack.market.journal, "utf8").includes(`"kind":"fill","type":"fill"`), 5000), "venue journals the fill");
  const journal = readFileSync(stack.market.journal, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.ok(journal.some((r) => r.kind === "order" && r.clientOrderId === orderId));
  const fill = journal.find((r) => r.kind === "fill" && r.clientOrderId === orderId)!;
  assert.ok((fill.price as number) >= (fill.ask as number), "a buy fills at the ask or deeper in the book");

  const db = new pg.Client({ connectionString: sandbox.postgresUrl });
  await db.connect();
  let rows = 0;
  for (let i = 0; i < 50 && rows === 0; i++) {
    rows = (await db.query("select count(*)::int as n from fills where client_order_id = $1", [orderId])).rows[0].n;
    if (!rows) await new Promise((r) => setTimeout(r, 100));
  }
  const decision = await db.query("select verdict, order_id from decisions where id = 't-1'");
  await db.end();
  assert.is(rows, 1, "the fill is in the ledger once");
  assert.is(decision.rows[0].order_id, orderId);

  const redis = new Redis(sandbox.redisUrl);
  const state = await redis.hgetall(KEYS.state);
  redis.disconnect();
  assert.ok(Math.abs(Number(state.positionShares) - (fill.qty as number)) < 1e-9, JSON.stringify(state));
});

test("HOLD is blocked with a reason and no order", async () => {
  const answer = await decide("t-2", 2);
  assert.is(answer.verdict, "blocked");
  assert.is(answer.increment, 0);
  assert.is(answer.orderId, undefined);
});

test("a malformed decision is a 400 naming the field", async () => {
  const response = await fetch(`${sandbox.governorUrl}/v1/decisions`, { method: "POST", body: JSON.stringify({ id: "x", action: 9, obs }) });
  assert.is(response.status, 400);
  assert.match(((await response.json()) as { error: string }).error, /action/);
});

test("the answer echoes the decision and its order in headers (X-Decision-Id, X-Order-Id)", async () => {
  const response = await fetch(`${sandbox.governorUrl}/v1/decisions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: "t-3", ts: Date.now(), symbol: "AAPL", action: 0, obs }),
  });
  const answer = (await response.json()) as { orderId?: string };
  assert.is(response.headers.get("x-decision-id"), "t-3");
  assert.ok(answer.orderId, "a sell of the position places an order");
  assert.is(response.headers.get("x-order-id"), answer.orderId);
});

test("a shadow reset forgets state and ledger, and takes the run's limits", async () => {
  const reset = await fetch(`${sandbox.governorUrl}/v1/admin/reset`, { method: "POST", body: JSON.stringify({ limits: { maxDailyTurnoverUsd: 12345 } }) });
  assert.is(((await reset.json()) as { limits: { maxDailyTurnoverUsd: number } }).limits.maxDailyTurnoverUsd, 12345);
  const state = (await (await fetch(`${sandbox.governorUrl}/v1/state`)).json()) as { positionShares: number; counters: { decisions: number } };
  assert.is(state.positionShares, 0);
  assert.is(state.counters.decisions, 0);
  const db = new pg.Client({ connectionString: sandbox.postgresUrl });
  await db.connect();
  assert.is((await db.query("select count(*)::int as n from decisions")).rows[0].n, 0);
  await db.end();
});

test.run();
