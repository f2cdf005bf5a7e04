import { test } from "uvu";
import * as assert from "uvu/assert";
import type { BookLevel } from "../../data/types.ts";
import { Portfolio, type Order } from "../../sandbox/governor/portfolio.ts";
import { feeFor, minimumLevel, roundTripDelay, walkBook } from "../../venue/fill-model.ts";
import { seededRandom } from "../../data/seeded-random.ts";
import type { FillMessage } from "../../protocol/venue-protocol.ts";

const ASKS: BookLevel[] = [
  { price: 100.0, size: 10 },
  { price: 100.05, size: 5 },
  { price: 100.1, size: 20 },
];
const near = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≠ ${expected}`);

test("walkBook: an order within the touch fills at the touch", () => {
  assert.equal(walkBook(ASKS, 4), { qty: 4, price: 100, levels: 1 });
  assert.equal(walkBook(ASKS, 10), { qty: 10, price: 100, levels: 1 });
});

test("walkBook: a larger order walks the levels at their volume-weighted average price", () => {
  const fill = walkBook(ASKS, 12);
  assert.is(fill.qty, 12);
  assert.is(fill.levels, 2);
  near(fill.price, (10 * 100 + 2 * 100.05) / 12, "VWAP over two levels");
  const deep = walkBook(ASKS, 30);
  assert.is(deep.levels, 3);
  near(deep.price, (10 * 100 + 5 * 100.05 + 15 * 100.1) / 30, "VWAP over three levels");
});

test("walkBook: what the displayed book cannot supply stays unfilled; empty levels are skipped", () => {
  const fill = walkBook(ASKS, 50);
  assert.is(fill.qty, 35);
  assert.is(fill.levels, 3);
  near(fill.price, (10 * 100 + 5 * 100.05 + 20 * 100.1) / 35, "VWAP of the whole book");
  const none = walkBook([], 5);
  assert.is(none.qty, 0);
  assert.is(none.levels, 0);
  assert.ok(Number.isNaN(none.price));
  const holes = walkBook([{ price: 1, size: 0 }, { price: 2, size: 3 }], 2);
  assert.equal(holes, { qty: 2, price: 2, levels: 1 });
  assert.equal(walkBook(ASKS, 0).qty, 0);
});

test("minimumLevel: the seed's rule, ceil(size / shares at level 0)", () => {
  assert.is(minimumLevel(ASKS, 4), 1);
  assert.is(minimumLevel(ASKS, 10), 1);
  assert.is(minimumLevel(ASKS, 12), 2);
  assert.is(minimumLevel(ASKS, 25), 3);
  assert.is(minimumLevel([], 1), Number.POSITIVE_INFINITY);
  assert.is(minimumLevel([{ price: 1, size: 0 }], 1), Number.POSITIVE_INFINITY);
});

test("minimumLevel is a lower bound on walkBook when deeper levels are no thicker than the touch; a thin level pushes deeper", () => {
  const thin: BookLevel[] = [
    { price: 100, size: 10 },
    { price: 100.01, size: 2 },
    { price: 100.02, size: 10 },
    { price: 100.03, size: 10 },
  ];
  for (let qty = 1; qty <= 32; qty++) {
    assert.ok(walkBook(thin, qty).levels >= minimumLevel(thin, qty), `qty ${qty}`);
  }
  assert.is(minimumLevel(thin, 15), 2);
  assert.is(walkBook(thin, 15).levels, 3, "the thin second level pushes 15 shares to the third");
});

test("feeFor: basis points of the absolute notional", () => {
  assert.is(feeFor(10_000, 1), 1);
  assert.is(feeFor(-10_000, 1), 1);
  near(feeFor(1234.5, 2.5), 0.308625, "fractional bps");
  assert.is(feeFor(5000, 0), 0);
});

test("seededRandom: the same seed gives the same sequence; uniform in [0, 1)", () => {
  const a = seededRandom(11);
  const b = seededRandom(11);
  const c = seededRandom(12);
  const first = Array.from({ length: 5 }, () => a());
  assert.equal(Array.from({ length: 5 }, () => b()), first);
  assert.not.equal(Array.from({ length: 5 }, () => c()), first);
  const r = seededRandom(7);
  let sum = 0;
  for (let i = 0; i < 100_000; i++) {
    const u = r();
    assert.ok(u >= 0 && u < 1);
    sum += u;
  }
  near(sum / 100_000, 0.5, "mean of uniforms", 0.01);
});

test("roundTripDelay: fixed without jitter; N(mean, sd) truncated at 0 with it", () => {
  assert.is(roundTripDelay(30, 0, () => assert.unreachable("no draw without jitter") as never), 30);
  const random = seededRandom(11);
  const n = 100_000;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const delay = roundTripDelay(30, 5, random);
    sum += delay;
    sumSq += delay * delay;
  }
  const mean = sum / n;
  const sd = Math.sqrt(sumSq / n - mean * mean);
  near(mean, 30, "mean", 0.1);
  near(sd, 5, "sd", 0.1);
  const truncated = seededRandom(3);
  for (let i = 0; i < 10_000; i++) assert.ok(roundTripDelay(1, 10, truncated) >= 0);
  assert.is(roundTripDelay(30, 5, seededRandom(99)), roundTripDelay(30, 5, seededRandom(99)), "seeded: reproducible");
});

// ---- the governor's books ----

function order(id: string, side: "buy" | "sell", qty: number): Order {
  return { clientOrderId: id, decisionId: `d-${id}`, side, qty, status: "sent", filledQty: 0, reason: "", createdAt: 0 };
}

function fill(id: string, side: "buy" | "sell", qty: number, price: number, fee: number): FillMessage {
  return { type: "fill", seq: 1, clientOrderId: id, fillId: `f-${id}`, side, qty, price, fee, levels: 1, at: 0 };
}

test("portfolio: an open order is exposure and reserved turnover before it fills", () => {
  const book = new Portfolio(1000);
  book.openOrder(order("a", "buy", 2), 100);
  book.openOrder(order("b", "sell", 0.5), 100);
  assert.is(book.exposureShares(), 1.5);
  assert.is(book.positionShares, 0);
  assert.is(book.turnoverUsd, 250);
  const snap = book.snapshot();
  assert.is(snap.pendingShares, 1.5);
  assert.is(snap.openOrders, 2);
  assert.is(snap.counters.orders, 2);
});

test("portfolio: a fill moves position and cash, fees included, and releases the pending exposure", () => {
  const book = new Portfolio(1000);
  book.openOrder(order("a", "buy", 2), 100);
  assert.ok(book.applyFill(fill("a", "buy", 2, 100.5, 0.02)));
  assert.is(book.positionShares, 2);
  near(book.cashUsd, 1000 - 201 - 0.02, "cash after a buy");
  near(book.feesUsd, 0.02, "fees");
  assert.is(book.exposureShares(), 2, "no longer pending, now held");
  assert.is(book.snapshot().openOrders, 0);
  near(book.equityUsd(101), 1000 - 201 - 0.02 + 202, "equity marked at 101");
  book.mark(101);
  near(book.peakEquityUsd, 1000.98, "the peak follows equity up");
  book.mark(90);
  near(book.peakEquityUsd, 1000.98, "and never down");
  book.openOrder(order("b", "sell", 2), 101);
  assert.ok(book.applyFill(fill("b", "sell", 2, 101, 0.03)));
  assert.is(book.positionShares, 0);
  near(book.cashUsd, 1000 - 201 - 0.02 + 202 - 0.03, "cash after the round trip");
  near(book.feesUsd, 0.05, "fees add up");
  assert.is(book.equityUsd(undefined), book.cashUsd, "flat: equity is cash");
});

test("portfolio: an immediate-or-cancel partial fill ends the order and releases all of its exposure", () => {
  const book = new Portfolio(1000);
  book.openOrder(order("a", "buy", 3), 100);
  book.applyFill(fill("a", "buy", 1, 100, 0));
  assert.is(book.positionShares, 1);
  assert.is(book.exposureShares(), 1, "the unfilled 2 shares are not in flight any more");
});

test("portfolio: a reject releases the exposure; unknown orders are reported, not invented", () => {
  const book = new Portfolio(1000);
  book.openOrder(order("a", "sell", 2), 100);
  assert.is(book.exposureShares(), -2);
  book.reject("a", "venue-closed");
  assert.is(book.exposureShares(), 0);
  assert.is(book.snapshot().counters.rejects, 1);
  assert.is(book.turnoverUsd, 200, "turnover reserved at approval stays spent");
  book.reject("a", "again");
  book.reject("nobody", "x");
  assert.is(book.snapshot().counters.rejects, 1, "a closed or unknown order is not rejected twice");
  assert.not.ok(book.applyFill(fill("ghost", "buy", 1, 100, 0.01)), "a fill for an unknown order");
  assert.is(book.positionShares, 1, "the venue's fill still moves the position (the integrity check lists it)");
  assert.is(book.exposureShares(), 1);
});

test.run();
