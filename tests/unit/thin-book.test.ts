// A thin book scales sizes, never prices; on it the venue's walk fills in part, and the journal's
// depth effects count the partial fills and the walks past the touch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { thinBook } from "../../data/thin-book.ts";
import type { Tick } from "../../data/types.ts";
import { PARTIAL_FILL_REASON } from "../../protocol/venue-protocol.ts";
import { depthEffects } from "../../plugins/shared/venue-analysis.ts";
import { walkBook } from "../../venue/fill-model.ts";

const tick: Tick = {
  ts: 1,
  bid: 100,
  ask: 100.1,
  last: 100,
  volume: 0,
  bids: [{ price: 100, size: 300 }, { price: 99.9, size: 500 }],
  asks: [{ price: 100.1, size: 200 }, { price: 100.2, size: 400 }],
  source: { file: "t", line: 1 },
};

async function* once(t: Tick): AsyncGenerator<Tick> {
  yield t;
}

test("sizes × the factor, prices and everything else untouched", async () => {
  const out: Tick[] = [];
  for await (const t of thinBook(once(tick), 0.001)) out.push(t);
  assert.is(out.length, 1);
  assert.equal(out[0]!.asks.map((l) => [l.price, Number(l.size.toFixed(6))]), [[100.1, 0.2], [100.2, 0.4]]);
  assert.equal(out[0]!.bids.map((l) => l.price), [100, 99.9]);
  assert.is(out[0]!.bid, 100);
  assert.is(tick.asks[0]!.size, 200, "the source tick is not modified");
});

test("on the thin book an order walks both levels and fills in part", async () => {
  const [thin] = await (async () => {
    const all: Tick[] = [];
    for await (const t of thinBook(once(tick), 0.001)) all.push(t);
    return all;
  })();
  const walked = walkBook(thin!.asks, 0.75);
  assert.is(walked.levels, 2);
  assert.ok(Math.abs(walked.qty - 0.6) < 1e-12);
});

test("depth effects: partial fills (filled, then the rest cancelled for liquidity) and walks past the touch", () => {
  const fills = [
    { fillId: "F1", at: 1, clientOrderId: "O1", side: "buy" as const, qty: 0.6, price: 100.17, fee: 0.01, levels: 2 },
    { fillId: "F2", at: 2, clientOrderId: "O2", side: "sell" as const, qty: 0.1, price: 100, fee: 0.01, levels: 1 },
  ];
  const cancels = new Map([
    ["O1", { reason: PARTIAL_FILL_REASON }],
    ["O3", { reason: "stale order" }],
  ]);
  assert.equal(depthEffects({ fills, cancels }), { partialFills: 1, multiLevelFills: 1, deepestWalk: 2, fills: 2 });
});

test.run();
