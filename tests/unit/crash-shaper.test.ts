// The crash shaper on the real LOBSTER AAPL sample (999 events over 49 s, tick $0.01): window
// 10–40 s after the first event, so 405 ticks before it, 423 in it and 171 after it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DataError } from "../../data/errors.ts";
import { pathFraction, shapeCrash, type CrashShapeInput } from "../../data/crash-shaper.ts";
import { openL2 } from "../../data/readers/index.ts";
import { mid, type BookLevel, type Tick } from "../../data/types.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SAMPLE = path.join(root, "data/samples/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv");
const TICK = 0.01;
const ticks: Tick[] = [];
for await (const t of openL2(SAMPLE).ticks()) ticks.push(t);

async function shaped(options: CrashShapeInput = {}): Promise<Tick[]> {
  async function* source() {
    yield* ticks;
  }
  const out: Tick[] = [];
  for await (const t of shapeCrash(source(), options)) out.push(t);
  return out;
}

const t0 = (ticks[0] as Tick).ts;
const START = t0 + 10_000;
const END = START + 30_000;
const inWindow = (t: Tick) => t.ts >= START && t.ts < END;
const firstIn = ticks.findIndex(inWindow);
const firstAfter = ticks.findIndex((t) => t.ts >= END);
const REF = mid(ticks[firstIn - 1] as Tick); // the last mid before the window
const FULL_DROP = Math.round((REF * 0.1) / TICK) * TICK; // 10% of it, rounded to whole ticks
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const depth = (t: Tick) => [...t.bids, ...t.asks].reduce((sum, l) => sum + l.size, 0);
const gapsInTicks = (levels: BookLevel[]) => levels.slice(1).map((l, i) => Math.round(Math.abs(l.price - (levels[i] as BookLevel).price) / TICK));

test("the sample splits 405 / 423 / 171 around the window", () => {
  assert.equal([firstIn, firstAfter - firstIn, ticks.length - firstAfter], [405, 423, 171]);
});

for (const p of ["linear", "exponential", "step-then-drift"] as const) {
  test(`${p}: the mid follows the path inside the window and is down dropPct after it`, async () => {
    const out = await shaped({ path: p });
    // Inside: shaped − original mid = −10% × REF × f(u), up to the half tick D is rounded to.
    // (spreadFactor 3 widens by 2 × spread, an even number of ticks: the mid does not move.)
    for (let i = firstIn; i < firstAfter; i++) {
      const f = pathFraction(p, ((ticks[i] as Tick).ts - START) / 30_000);
      const moved = mid(out[i] as Tick) - mid(ticks[i] as Tick);
      assert.ok(Math.abs(moved + 0.1 * REF * f) <= TICK / 2 + 1e-9, `tick ${i}: moved ${moved}, path says ${-0.1 * REF * f}`);
      assert.ok(Math.abs((out[i] as Tick).last - (ticks[i] as Tick).last - moved) < 1e-9, "last moves with the mid");
    }
    // After: the real mid wanders a little on its own; bound that wander, then the total fall.
    const wander = Math.max(...ticks.map((t) => Math.abs(mid(t) - REF))) / REF;
    assert.ok(wander < 0.0006, `the calm sample strays ${(wander * 100).toFixed(3)}% from the reference mid`);
    for (let i = firstAfter; i < ticks.length; i++) {
      const fallPct = (100 * (REF - mid(out[i] as Tick))) / REF;
      // 10% ± (wander + half a tick of rounding): 0.06 + 0.001 percentage points.
      assert.ok(Math.abs(fallPct - 10) <= 100 * wander + (100 * TICK) / 2 / REF, `tick ${i}: fell ${fallPct}%`);
      assert.ok(Math.abs(mid(out[i] as Tick) - mid(ticks[i] as Tick) + FULL_DROP) < 1e-9, "exactly the full drop, recovery none");
    }
  });
}

test("the paths have the documented shapes", () => {
  assert.equal([pathFraction("linear", 0), pathFraction("linear", 0.5), pathFraction("linear", 1)], [0, 0.5, 1]);
  assert.ok(Math.abs(pathFraction("exponential", 0.5) - 0.1192) < 1e-4, "12% by mid-window");
  assert.ok(Math.abs(1 - pathFraction("exponential", 0.9) - 1 / 3) < 0.01, "the last third in the final tenth");
  assert.equal([pathFraction("step-then-drift", 0), pathFraction("step-then-drift", 0.5), pathFraction("step-then-drift", 1)], [0.5, 0.75, 1]);
});

test("spread: x3 on every tick inside the window; vs the median before the window, x3 within the sample's own drift", async () => {
  const out = await shaped();
  const spreadTicks = (t: Tick) => Math.round((t.ask - t.bid) / TICK);
  for (let i = firstIn; i < firstAfter; i++) {
    assert.is(spreadTicks(out[i] as Tick), 3 * spreadTicks(ticks[i] as Tick), `tick ${i}`);
  }
  const before = median(ticks.slice(0, firstIn).map(spreadTicks)); // 21 ticks
  const insideReal = median(ticks.slice(firstIn, firstAfter).map(spreadTicks)); // 24 ticks
  const insideShaped = median(out.slice(firstIn, firstAfter).map(spreadTicks));
  // The real spread itself drifts between the two stretches (24/21 = 1.14); the tolerance is that
  // drift, asserted here so that a different sample cannot quietly widen it.
  const drift = insideReal / before;
  assert.ok(Math.abs(drift - 1) <= 0.15, `real spread drift ${drift}`);
  assert.ok(Math.abs(insideShaped / before - 3) <= 3 * 0.15, `shaped median ${insideShaped} vs ${before} before`);
  assert.is(insideShaped, 3 * insideReal);
  for (let i = firstAfter; i < ticks.length; i++) assert.is(spreadTicks(out[i] as Tick), spreadTicks(ticks[i] as Tick), "after: real spread");
});

test("depth: 20% of the same ticks' displayed size, integers, each level off by less than one share", async () => {
  const out = await shaped();
  let real = 0;
  let kept = 0;
  for (let i = firstIn; i < firstAfter; i++) {
    const a = ticks[i] as Tick;
    const b = out[i] as Tick;
    real += depth(a);
    kept += depth(b);
    // Random rounding moves each level by < 1 share; so do the two guards (an inner level kept at
    // 1, a deep level dropped at 0). Hence the per-tick bound: fewer than `levels` shares.
    const levels = a.bids.length + a.asks.length;
    assert.ok(Math.abs(depth(b) - 0.2 * depth(a)) < levels, `tick ${i}: ${depth(b)} vs ${0.2 * depth(a)}`);
    assert.ok([...b.bids, ...b.asks].every((l) => Number.isInteger(l.size) && l.size >= 1), "integer sizes, none zero");
  }
  // Unbiased rounding over ~8,500 levels: the sum is within 0.5 percentage points (measured +0.03).
  assert.ok(Math.abs(kept / real - 0.2) <= 0.005, `kept ${((100 * kept) / real).toFixed(2)}%`);
});

test("level spacing in ticks is unchanged on each side; only the touch-to-touch spread widens", async () => {
  const out = await shaped();
  for (let i = firstIn; i < firstAfter; i++) {
    const a = ticks[i] as Tick;
    const b = out[i] as Tick;
    for (const side of ["bids", "asks"] as const) {
      assert.ok(b[side].length >= 1 && b[side].length <= a[side].length, "levels are only dropped from the deep end");
      assert.equal(gapsInTicks(b[side]), gapsInTicks(a[side]).slice(0, b[side].length - 1), `tick ${i} ${side}`);
    }
    assert.ok(b.bids.every((l) => Math.abs(l.price / TICK - Math.round(l.price / TICK)) < 1e-6), "prices stay on the $0.01 grid");
  }
});

test("timing and provenance are the input's; ticks before the window are the input's own objects", async () => {
  const out = await shaped();
  assert.is(out.length, ticks.length);
  assert.equal(out.map((t) => t.ts), ticks.map((t) => t.ts));
  assert.equal(out.map((t) => t.source), ticks.map((t) => t.source));
  assert.equal(out.map((t) => t.volume), ticks.map((t) => t.volume));
  for (let i = 0; i < firstIn; i++) assert.is(out[i], ticks[i], `tick ${i} passed through`);
});

test("deterministic: the same seed gives identical output, another seed other size roundings (same prices)", async () => {
  const a = await shaped({ seed: 7 });
  const b = await shaped({ seed: 7 });
  const c = await shaped({ seed: 8 });
  assert.equal(a, b);
  const sizes = (out: Tick[]) => out.slice(firstIn, firstAfter).map((t) => t.bids.concat(t.asks).map((l) => l.size));
  assert.not.equal(sizes(a), sizes(c));
  const prices = (out: Tick[]) => out.slice(firstIn, firstAfter).map((t) => [t.bid, t.ask]);
  assert.equal(prices(a), prices(c));
});

test("never crossed or empty, whatever the path, recovery, spread or depth cut", async () => {
  const variants: CrashShapeInput[] = [
    { path: "exponential", recovery: "partial" },
    { path: "step-then-drift", spreadFactor: 1, depthRemovedPct: 99 },
    { startSeconds: 0, windowSeconds: 5, dropPct: 50, spreadFactor: 10 },
  ];
  for (const options of variants) {
    for (const t of await shaped(options)) {
      assert.ok(t.bids.length > 0 && t.asks.length > 0, "empty side");
      assert.ok(t.bid < t.ask, `crossed at line ${t.source.line}`);
      assert.is(t.bids[0]?.price, t.bid);
      assert.is(t.asks[0]?.price, t.ask);
    }
  }
});

test("partial recovery: half the fall comes back linearly over one more window, then stays", async () => {
  const start = t0 + 5000;
  const end = start + 10_000;
  const out = await shaped({ startSeconds: 5, windowSeconds: 10, recovery: "partial" });
  const ref = mid(ticks[ticks.findIndex((t) => t.ts >= start) - 1] as Tick);
  const full = (ref * 0.1) / TICK; // in ticks, rounded only once the recovered share is applied
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i] as Tick;
    if (t.ts < end) continue;
    const back = 0.5 * Math.min(1, (t.ts - end) / 10_000);
    const moved = mid(out[i] as Tick) - mid(t);
    assert.ok(Math.abs(moved + Math.round(full * (1 - back)) * TICK) < 1e-9, `tick ${i}: moved ${moved}`);
    assert.is(depth(out[i] as Tick), depth(t), "after the window the real depth returns");
  }
  const last = ticks.length - 1;
  assert.ok(Math.abs(mid(out[last] as Tick) - mid(ticks[last] as Tick) + (full / 2) * TICK) <= TICK / 2 + 1e-9, "half the fall remains");
});

test("bad options fail at call time with the field named", () => {
  for (const [options, field] of [[{ dropPct: 100 }, "dropPct"], [{ spreadFactor: 0.5 }, "spreadFactor"], [{ path: "cliff" }, "path"]] as const) {
    try {
      shapeCrash(ticks as unknown as AsyncIterable<Tick>, options as CrashShapeInput);
      assert.unreachable(`${field} accepted`);
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      assert.is(error.code, "GAUNTLET_CONFIG_INVALID");
      assert.ok(error.message.startsWith(`crash shaper: ${field}:`), error.message);
    }
  }
});

test.run();
