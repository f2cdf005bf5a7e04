// Real Redis, PostgreSQL and toxiproxy-server, started the way a run starts them, and a real
// fault through Toxiproxy's API: a latency toxic slows a Redis round trip; disabling the proxy
// refuses connections; removing the toxic and resetting puts everything back.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { ToxiproxyApi } from "../../core/faults/toxiproxy-api.ts";
import { freePort } from "../../core/process/ports.ts";
import { startPostgres, type PostgresInstance } from "../../core/services/postgres-server.ts";
import { startRedis, type RedisInstance } from "../../core/services/redis-server.ts";
import { startToxiproxy, type ToxiproxyInstance } from "../../core/services/toxiproxy-server.ts";
import { requireTool } from "../../core/tools/tools.ts";
import { tempDir } from "../support/cli.ts";

let redis: RedisInstance;
let postgres: PostgresInstance;
let toxiproxy: ToxiproxyInstance;
const dir = tempDir();

test.before(async () => {
  const binary = (await requireTool("toxiproxy")).path;
  [redis, postgres, toxiproxy] = await Promise.all([
    startRedis(join(dir, "redis"), await freePort()),
    startPostgres(join(dir, "pg"), await freePort()),
    startToxiproxy(binary, join(dir, "toxi"), await freePort()),
  ]);
});

test.after(async () => {
  for (const service of [toxiproxy, postgres, redis]) await service?.process.stop();
});

test("Redis runs on its own loopback port, not the machine's default", async () => {
  assert.is.not(redis.port, 6379);
  const client = new Redis(redis.url);
  assert.is(await client.ping(), "PONG");
  await client.quit();
});

test("PostgreSQL runs as its own cluster and accepts the ledger schema", async () => {
  assert.is.not(postgres.port, 5432);
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  const { LEDGER_SCHEMA } = await import("../../sandbox/governor/ledger.ts");
  await client.query(LEDGER_SCHEMA);
  const tables = await client.query("select tablename from pg_tables where schemaname = 'public' order by 1");
  assert.equal(tables.rows.map((r: { tablename: string }) => r.tablename), ["decisions", "fills", "orders"]);
  await client.end();
});

async function timedPing(port: number): Promise<number> {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await client.connect();
  const started = performance.now();
  await client.ping();
  const ms = performance.now() - started;
  client.disconnect();
  return ms;
}

test("a latency toxic on the Redis proxy slows a round trip; removing it restores it", async () => {
  const api = new ToxiproxyApi(toxiproxy.apiUrl);
  const listen = await freePort();
  await api.populate([{ name: "redis", listen: `127.0.0.1:${listen}`, upstream: `127.0.0.1:${redis.port}` }]);
  const before = await timedPing(listen);
  await api.addToxic("redis", { name: "slow", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 200, jitter: 0 } });
  const slowed = await timedPing(listen);
  assert.ok(slowed >= 190, `ping through the toxic took ${slowed.toFixed(1)} ms`);
  await api.removeToxic("redis", "slow");
  const after = await timedPing(listen);
  assert.ok(after < 50 && before < 50, `before ${before.toFixed(1)} ms, after ${after.toFixed(1)} ms`);
});

test("a disabled proxy refuses connections (the hard cut); reset re-enables it", async () => {
  const api = new ToxiproxyApi(toxiproxy.apiUrl);
  const proxy = await api.proxy("redis");
  const port = Number(proxy.listen.split(":").pop());
  await api.setEnabled("redis", false);
  let refused = false;
  await timedPing(port).catch(() => (refused = true));
  assert.ok(refused, "connection should be refused while the proxy is disabled");
  await api.reset();
  assert.ok((await timedPing(port)) < 50);
});

test("Toxiproxy's error text reaches the user (unknown proxy → 404 with its message)", async () => {
  const api = new ToxiproxyApi(toxiproxy.apiUrl);
  try {
    await api.addToxic("nope", { name: "x", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 1 } });
    assert.unreachable("should have failed");
  } catch (error) {
    assert.is((error as { code?: string }).code, "GAUNTLET_TOXIPROXY_API");
    assert.match((error as Error).message, /404/);
    assert.match((error as Error).message, /proxy not found/i);
  }
});

test.run();
