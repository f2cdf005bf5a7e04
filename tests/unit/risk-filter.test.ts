import { test } from "uvu";
import * as assert from "uvu/assert";
import { LimitsSchema } from "../../sandbox/config.ts";
import { applyRiskFilter, drawdownPct, type RiskDecision, type RiskInput } from "../../sandbox/governor/risk-filter.ts";

// capital 1,000 · loss stop 100 · notional 500 · turnover 2,000 · single trade 50 · drawdown 5/8/10%
const LIMITS = LimitsSchema.parse({});
const MID = 100;

function input(overrides: Partial<RiskInput>): RiskInput {
  return {
    desiredUsd: 0,
    mid: MID,
    dataAgeMs: 10,
    staleDataMs: 500,
    exposureShares: 0,
    turnoverUsd: 0,
    equityUsd: 1000,
    peakEquityUsd: 1000,
    paused: false,
    ...overrides,
  };
}

const usd = (decision: RiskDecision) => decision.shares * MID;
const near = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

test("defaults are the limits of REQUIREMENTS.md", () => {
  assert.equal(LIMITS, {
    capitalUsd: 1000,
    maxIntradayLossUsd: 100,
    maxPositionNotionalUsd: 500,
    maxDailyTurnoverUsd: 2000,
    maxSingleTradeUsd: 50,
    drawdownCautionPct: 5,
    drawdownReducePct: 8,
    drawdownForceFlatPct: 10,
  });
});

test("a trade within every limit is approved unchanged", () => {
  const decision = applyRiskFilter(input({ desiredUsd: 20 }), LIMITS);
  assert.is(decision.verdict, "approved");
  assert.is(decision.reason, "within-limits");
  near(decision.shares, 0.2, "shares");
  assert.is(applyRiskFilter(input({ desiredUsd: -20, exposureShares: 1 }), LIMITS).verdict, "approved");
});

test("paused beats everything; missing, zero and stale market data block", () => {
  assert.equal(applyRiskFilter(input({ desiredUsd: 20, paused: true, mid: undefined }), LIMITS), { verdict: "paused", shares: 0, reason: "critical-pause" });
  assert.equal(applyRiskFilter(input({ desiredUsd: 20, mid: undefined }), LIMITS), { verdict: "blocked", shares: 0, reason: "no-market-data" });
  assert.is(applyRiskFilter(input({ desiredUsd: 20, mid: 0 }), LIMITS).reason, "no-market-data");
  assert.is(applyRiskFilter(input({ desiredUsd: 20, mid: Number.NaN }), LIMITS).reason, "no-market-data");
  assert.equal(applyRiskFilter(input({ desiredUsd: 20, dataAgeMs: 501 }), LIMITS), { verdict: "blocked", shares: 0, reason: "stale-market-data" });
  assert.is(applyRiskFilter(input({ desiredUsd: 20, dataAgeMs: 500 }), LIMITS).verdict, "approved", "exactly at the limit is still fresh");
});

test("single-trade cap: either side is cut to 50 USD", () => {
  const buy = applyRiskFilter(input({ desiredUsd: 80 }), LIMITS);
  assert.is(buy.verdict, "reduced");
  assert.is(buy.reason, "single-trade-cap");
  near(usd(buy), 50, "buy");
  const sell = applyRiskFilter(input({ desiredUsd: -80, exposureShares: 3 }), LIMITS);
  assert.is(sell.reason, "single-trade-cap");
  near(usd(sell), -50, "sell");
});

test("notional cap counts orders in flight: exposure 480 USD leaves room for 20", () => {
  // position 3 shares + 1.8 shares in flight = 4.8 shares = 480 USD
  const decision = applyRiskFilter(input({ desiredUsd: 50, exposureShares: 3 + 1.8 }), LIMITS);
  assert.is(decision.verdict, "reduced");
  assert.is(decision.reason, "notional-cap");
  near(usd(decision), 20, "room left");
  const atCap = applyRiskFilter(input({ desiredUsd: 30, exposureShares: 5 }), LIMITS);
  assert.equal(atCap, { verdict: "blocked", shares: 0, reason: "notional-cap" });
  const shortSide = applyRiskFilter(input({ desiredUsd: -50, exposureShares: -4.8 }), LIMITS);
  near(usd(shortSide), -20, "a short is capped the same way");
});

test("notional cap: a trade that reduces exposure is never capped by it; the seeded fault skips it", () => {
  assert.is(applyRiskFilter(input({ desiredUsd: -40, exposureShares: 6 }), LIMITS).verdict, "approved");
  const fault = applyRiskFilter(input({ desiredUsd: 40, exposureShares: 5, ignoreNotionalCap: true }), LIMITS);
  assert.is(fault.verdict, "approved");
  near(usd(fault), 40, "over the cap under the fault");
});

test("turnover: a risk-increasing trade keeps enough budget to close the position it creates", () => {
  // budget 100, flat: 50 to open + 50 to close fits exactly
  near(usd(applyRiskFilter(input({ desiredUsd: 50, turnoverUsd: 1900 }), LIMITS)), 50, "fits");
  // budget 80, flat: open 40, keep 40 to close it
  const flat = applyRiskFilter(input({ desiredUsd: 50, turnoverUsd: 1920 }), LIMITS);
  assert.is(flat.verdict, "reduced");
  assert.is(flat.reason, "turnover-cap");
  near(usd(flat), 40, "half the budget");
  // budget 100 with 20 USD already held: open 40 → hold 60, 60 left to close it
  const held = applyRiskFilter(input({ desiredUsd: 50, turnoverUsd: 1900, exposureShares: 0.2 }), LIMITS);
  near(usd(held), 40, "open");
  assert.ok(2000 - (1900 + usd(held)) >= 0.2 * MID + usd(held) - 1e-9, "what is left closes the whole position");
  // nothing left beyond the reserve: blocked
  assert.equal(applyRiskFilter(input({ desiredUsd: 50, turnoverUsd: 1990, exposureShares: 0.1 }), LIMITS), { verdict: "blocked", shares: 0, reason: "turnover-cap" });
});

test("turnover: a reducing trade may spend the whole remaining budget, no reserve", () => {
  const decision = applyRiskFilter(input({ desiredUsd: -50, exposureShares: 3, turnoverUsd: 1980 }), LIMITS);
  assert.is(decision.reason, "turnover-cap");
  near(usd(decision), -20, "the remaining budget");
});

test("intraday loss hard stop: flatten in slices no larger than the single-trade cap, whatever the policy wants", () => {
  let exposure = 3; // 300 USD long
  const slices: number[] = [];
  for (let i = 0; i < 10 && Math.abs(exposure) > 1e-12; i++) {
    const decision = applyRiskFilter(input({ desiredUsd: 50, exposureShares: exposure, equityUsd: 900, peakEquityUsd: 1000 }), LIMITS);
    assert.is(decision.verdict, "reduced");
    assert.is(decision.reason, "loss-limit");
    assert.ok(decision.shares < 0, "always toward flat");
    assert.ok(Math.abs(usd(decision)) <= LIMITS.maxSingleTradeUsd + 1e-9);
    slices.push(usd(decision));
    exposure += decision.shares;
  }
  assert.is(slices.length, 6);
  assert.is(exposure, 0, "the last slice closes exactly");
  // a short is bought back; a dust position is closed exactly, below any minimum size
  near(usd(applyRiskFilter(input({ exposureShares: -3, equityUsd: 899 }), LIMITS)), 50, "buy back");
  assert.is(applyRiskFilter(input({ exposureShares: 0.0012345, equityUsd: 899 }), LIMITS).shares, -0.0012345);
  assert.equal(applyRiskFilter(input({ desiredUsd: 50, equityUsd: 899 }), LIMITS), { verdict: "blocked", shares: 0, reason: "loss-limit" });
  assert.equal(applyRiskFilter(input({ exposureShares: 3, equityUsd: 899, turnoverUsd: 2000 }), LIMITS), { verdict: "blocked", shares: 0, reason: "loss-limit-no-turnover" });
  const lastBudget = applyRiskFilter(input({ exposureShares: 3, equityUsd: 899, turnoverUsd: 1990 }), LIMITS);
  near(usd(lastBudget), -10, "a slice within the remaining turnover");
});

test("drawdown caution (5%): a risk-increasing trade is halved; a reducing one is not", () => {
  const decision = applyRiskFilter(input({ desiredUsd: 40, equityUsd: 950 }), LIMITS);
  assert.is(decision.verdict, "reduced");
  assert.is(decision.reason, "drawdown-caution");
  near(usd(decision), 20, "halved");
  const capped = applyRiskFilter(input({ desiredUsd: 160, equityUsd: 950 }), LIMITS);
  assert.is(capped.reason, "drawdown-caution", "the first reason is kept");
  near(usd(capped), 50, "halved, then capped");
  assert.is(applyRiskFilter(input({ desiredUsd: -40, exposureShares: 2, equityUsd: 950 }), LIMITS).verdict, "approved");
});

test("drawdown reduce-only (8%): risk-increasing trades blocked, reducing trades allowed", () => {
  assert.equal(applyRiskFilter(input({ desiredUsd: 40, equityUsd: 920 }), LIMITS), { verdict: "blocked", shares: 0, reason: "drawdown-reduce-only" });
  assert.is(applyRiskFilter(input({ desiredUsd: 30, exposureShares: -1, equityUsd: 920 }), LIMITS).verdict, "approved", "buying back a short reduces risk");
});

test("drawdown force-flat (10% from the peak) flattens even when the day is up", () => {
  // peak 1,200, equity 1,080: 10% drawdown although 80 USD above the starting capital
  const decision = applyRiskFilter(input({ desiredUsd: 50, exposureShares: 2, equityUsd: 1080, peakEquityUsd: 1200 }), LIMITS);
  assert.is(decision.verdict, "reduced");
  assert.is(decision.reason, "drawdown-force-flat");
  near(usd(decision), -50, "one slice");
  near(drawdownPct(1080, 1200), 10, "drawdown");
  assert.is(drawdownPct(1300, 1200), 0, "above the peak is no drawdown");
  assert.is(drawdownPct(10, 0), 0);
});

test("tiny and zero trades: hold and below-minimum are blocked", () => {
  assert.equal(applyRiskFilter(input({ desiredUsd: 0 }), LIMITS), { verdict: "blocked", shares: 0, reason: "hold" });
  assert.equal(applyRiskFilter(input({ desiredUsd: 0.5 }), LIMITS), { verdict: "blocked", shares: 0, reason: "below-minimum" });
});

test.run();
