// The settle-wait after the load: a governor that never goes quiet is waited for once per run, so
// the scenario's gates and the integrity check do not each sit out the whole timeout.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { quiesce } from "../../plugins/integrity/sources.ts";

const BOOKS = { capitalUsd: 10_000, positionShares: 1, cashUsd: 9_900, mid: 100 };

async function governor(state: () => object) {
  let reads = 0;
  const server = createServer((_req, res) => {
    reads++;
    res.end(JSON.stringify(state()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, reads: () => reads, close: () => new Promise((resolve) => server.close(resolve)) };
}

test("a governor stuck with an open order: not quiet after the timeout, and not waited for again in the same run", async () => {
  const stuck = await governor(() => ({ ...BOOKS, counters: { decisions: 10, orders: 3, fills: 2 }, openOrders: 1, orderQueue: 0, ledgerPending: 0 }));
  const target = { baseUrl: stuck.baseUrl };
  const first = await quiesce(target, 600);
  assert.is(first.quiet, false);
  assert.ok(first.waitedMs >= 600, `${first.waitedMs}`);
  const readsBefore = stuck.reads();
  const started = Date.now();
  assert.equal(await quiesce(target, 600), first);
  assert.ok(Date.now() - started < 50, "the second wait returns at once");
  assert.is(stuck.reads(), readsBefore, "and does not ask the governor again");
  // Another run (another target handle) waits afresh.
  assert.is((await quiesce({ baseUrl: stuck.baseUrl }, 300)).quiet, false);
  assert.ok(stuck.reads() > readsBefore);
  await stuck.close();
});

test("a governor that settles is asked again each time: its books may have moved since", async () => {
  const calm = await governor(() => ({ ...BOOKS, counters: { decisions: 5, orders: 1, fills: 1 }, openOrders: 0, orderQueue: 0, ledgerPending: 0 }));
  const target = { baseUrl: calm.baseUrl };
  assert.is((await quiesce(target, 3000)).quiet, true);
  const reads = calm.reads();
  assert.is((await quiesce(target, 3000)).quiet, true);
  assert.ok(calm.reads() > reads);
  await calm.close();
});

test.run();
