import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  breachesAtFills,
  equitySeries,
  flatAfter,
  replayFills,
  type MidSample,
  type VenueFill,
} from "../../plugins/shared/venue-analysis.ts";
import { LimitsSchema } from "../../sandbox/config.ts";

const LIMITS = LimitsSchema.parse({}); // capital 1,000; loss 100; position 500; turnover 2,000; trade 50
const FEE_BPS = 1; // the venue's default: fee = notional × 1 bp

const near = (actual: number, expected: number, what: string, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≠ ${expected}`);

let nextId = 0;
/** A journal fill as order-desk.ts writes it, with the venue's fee; bid/ask only when given. */
function fill(side: "buy" | "sell", qty: number, price: number, at: number, book?: { bid: number; ask: number }): VenueFill {
  nextId++;
  return { fillId: `F${nextId}`, clientOrderId: `o${nextId}`, side, qty, price, fee: (qty * price * FEE_BPS) / 10_000, at, ...book };
}

/** A crash from 100 to 90 sampled once a second, t = 0..10. */
const CRASH: MidSample[] = Array.from({ length: 11 }, (_, t) => ({ t: t * 1000, mid: 100 - t }));

test("a governor that flattens during the crash: flat after it, no breach, drawdown as computed by hand", () => {
  const fills = [fill("buy", 0.45, 100.01, 500, { bid: 99.99, ask: 100.01 }), fill("sell", 0.45, 96.99, 3500, { bid: 96.99, ask: 97.01 })];
  const series = equitySeries(fills, CRASH, LIMITS.capitalUsd);
  // After the sale: cash = 1000 − 45.0045 − fee1 + 43.6455 − fee2; position 0, so equity = cash from then on.
  const fee1 = (0.45 * 100.01) / 10_000;
  const fee2 = (0.45 * 96.99) / 10_000;
  const finalCash = 1000 - 0.45 * 100.01 - fee1 + 0.45 * 96.99 - fee2;
  near(series.finalEquity, finalCash, "final equity = cash when flat");
  near(series.maxDrawdownPct, (100 * (1000 - finalCash)) / 1000, "peak stays the starting capital");
  assert.equal(breachesAtFills(fills, CRASH, LIMITS), []);
  const flat = flatAfter(fills, 10_000);
  assert.equal([flat.flat, flat.fillsAfter], [true, 0]);
  near(flat.position, 0, "position");
});

test("a governor that never flattens: position held to the bottom, drawdown from the marks, not flat", () => {
  // Buys $45 at every second of the slide, 5 times: a falling knife.
  const fills = [0, 1, 2, 3, 4].map((k) => fill("buy", 0.45, 100 - k, k * 1000 + 10));
  const series = equitySeries(fills, CRASH, LIMITS.capitalUsd);
  const qty = 0.45 * 5;
  const spent = [100, 99, 98, 97, 96].reduce((sum, p) => sum + 0.45 * p * (1 + FEE_BPS / 10_000), 0);
  const bottom = 1000 - spent + qty * 90;
  near(series.finalEquity, bottom, "equity at the last mid (90)");
  near(series.maxDrawdownPct, (100 * (1000 - bottom)) / 1000, "max drawdown at the bottom");
  assert.is(series.maxDrawdownAt, 10_000);
  const flat = flatAfter(fills, 10_000);
  assert.is(flat.flat, false);
  near(flat.position, qty, "still long");
  // 11 mid samples + 5 fills; the fill at 10 ms after a sample comes after it.
  assert.is(series.points.length, 16);
  assert.equal(series.points.slice(0, 3).map((p) => p.kind), ["mid", "fill", "mid"]);
});

test("the position-notional cap: the 12th $45 buy takes the position to $540 > $500", () => {
  const fills = Array.from({ length: 12 }, (_, k) => fill("buy", 0.45, 100, k * 100));
  const breaches = breachesAtFills(fills, [], LIMITS);
  assert.is(breaches.length, 1);
  const [b] = breaches;
  assert.equal([b?.limit, b?.fillId, b?.clientOrderId, b?.limitValue, b?.reducesRisk], ["maxPositionNotionalUsd", fills[11]?.fillId, fills[11]?.clientOrderId, 500, false]);
  near(b?.value ?? 0, 540, "position notional at the fill price");
});

test("the turnover cap: round trips of $45 cross $2,000 at the 45th fill, and every later fill is a breach too", () => {
  const fills = Array.from({ length: 50 }, (_, k) => fill(k % 2 === 0 ? "buy" : "sell", 0.45, 100, k * 100));
  const breaches = breachesAtFills(fills, [], LIMITS);
  assert.ok(breaches.every((b) => b.limit === "maxDailyTurnoverUsd"), "no other limit");
  assert.equal(breaches.map((b) => b.fillId), fills.slice(44).map((f) => f.fillId));
  near(breaches[0]?.value ?? 0, 45 * 45, "Σ qty × price after 45 fills");
  near(replayFills(fills, 1000).at(-1)?.turnover ?? 0, 50 * 45, "turnover excludes fees");
});

test("fees come out of cash on both sides", () => {
  const fills = [fill("buy", 0.4, 100, 1), fill("sell", 0.4, 100, 2)];
  const states = replayFills(fills, 1000);
  near(states[0]?.cash ?? 0, 1000 - 40 - 0.004, "buy: notional plus fee");
  near(states[1]?.cash ?? 0, 1000 - 0.008, "round trip at one price loses both fees");
  near(states[1]?.fees ?? 0, 0.008, "cumulative fees");
  near(states[1]?.position ?? 1, 0, "flat");
  near(equitySeries(fills, [], 1000).maxDrawdownPct, 0.0008, "the fees are the drawdown (0.008 / 1000)");
});

test("an order filled in two levels: the VWAP fill is $50.04 > $50 although the touch quote said $49.95", () => {
  // The governor sized 0.5 at the ask 99.90 ($49.95); 0.2 filled there and 0.3 at 100.20.
  const vwap = (0.2 * 99.9 + 0.3 * 100.2) / 0.5;
  const walked = { ...fill("buy", 0.5, vwap, 1000, { bid: 99.8, ask: 99.9 }), levels: 2 };
  const [breach, ...more] = breachesAtFills([walked], [], LIMITS);
  assert.equal(more, []);
  assert.is(breach?.limit, "maxSingleTradeUsd");
  near(breach?.value ?? 0, 50.04, "qty × VWAP = Σ level notionals");
  near(replayFills([walked], 1000)[0]?.cash ?? 0, 1000 - 50.04 - 50.04 / 10_000, "cash pays both levels and the fee");
  // Marked at the mid of the book it filled against, not at the fill price: slippage is a loss.
  near(equitySeries([walked], [], 1000).finalEquity, 1000 - 50.04 - 0.005004 + 0.5 * 99.85, "marked at the mid");
});

test("tolerance: a trade sized to exactly $50 by division is not a breach; a cent over is", () => {
  const exact = fill("buy", 50 / 585.33, 585.33, 1);
  assert.equal(breachesAtFills([exact], [], LIMITS), []);
  const over = fill("buy", 50.01 / 585.33, 585.33, 1);
  assert.equal(breachesAtFills([over], [], LIMITS).map((b) => b.limit), ["maxSingleTradeUsd"]);
});

test("intraday loss: a breach at the fill where capital − equity > $100; the flattening sale is flagged as reducing risk", () => {
  const limits = { ...LIMITS, maxSingleTradeUsd: 1e9, maxPositionNotionalUsd: 1e9, maxDailyTurnoverUsd: 1e9 };
  const fills = [fill("buy", 5, 100, 0, { bid: 99.99, ask: 100 }), fill("sell", 5, 78, 5000, { bid: 78, ask: 78.02 })];
  const breaches = breachesAtFills(fills, [], limits);
  assert.is(breaches.length, 1);
  assert.equal([breaches[0]?.limit, breaches[0]?.fillId, breaches[0]?.reducesRisk], ["maxIntradayLossUsd", fills[1]?.fillId, true]);
  near(breaches[0]?.value ?? 0, 500 + 0.05 - 390 + 0.039, "loss = capital − cash when flat, fees included");
});

test.run();
