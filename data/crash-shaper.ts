// Bends a calm real L2 replay into a flash crash (REQUIREMENTS.md scenario 1: 10% within 30 s,
// spreads 3x, displayed depth -80%). No public L2 file covers a real crash (SOURCES.md), so the
// crash is imposed on a real book: the microstructure (level spacing, size profile, update rhythm)
// stays real, only the price path, the spread and the depth are bent.
//
// Per tick, streaming (one tick in, one tick out, same `ts`, same order):
// - before the window: the tick object itself, untouched;
// - inside [start, start + window): every price moves by the same displacement D(t) (so level
//   spacing is kept), then the bid side moves down and the ask side up by the extra half-spread
//   (spread x spreadFactor, spacing within each side kept), and each displayed size is cut by
//   depthRemovedPct; `last` moves by D(t) only;
// - after the window: prices move by D(t) only (the market stays down or partly recovers); sizes
//   and spread are the real ones again.
// D(t) is a whole number of price ticks, so shaped prices stay on the instrument's grid.
import { z } from "zod";
import { DataError } from "./errors.ts";
import { seededRandom } from "./seeded-random.ts";
import { mid, type BookLevel, type Tick } from "./types.ts";

export const CrashShapeSchema = z.strictObject({
  /** Window start, seconds after the first tick's `ts`. */
  startSeconds: z.number().nonnegative().default(10),
  windowSeconds: z.number().positive().default(30),
  /** Total fall of the mid by the end of the window, % of the last mid before it. */
  dropPct: z.number().nonnegative().lt(100).default(10),
  /**
   * How the fall is spread over the window, as a fraction f(u) of dropPct at u = elapsed/window:
   * - "linear": f = u — a constant-speed slide;
   * - "exponential": f = (e^(4u) - 1) / (e^4 - 1) — an accelerating cascade (stops triggering
   *   stops): 12% of the fall by mid-window, the last third in its final tenth;
   * - "step-then-drift": f = 0.5 + 0.5u — half the fall gaps down at the first tick in the window,
   *   the rest drifts linearly (a liquidity gap followed by selling pressure).
   */
  path: z.enum(["linear", "exponential", "step-then-drift"]).default("linear"),
  /** Each in-window tick's spread is multiplied by this, around the displaced mid. */
  spreadFactor: z.number().min(1).default(3),
  /** Share of displayed size removed at every level inside the window, %. */
  depthRemovedPct: z.number().nonnegative().lt(100).default(80),
  /** After the window: "none" stays at the bottom; "partial" recovers half the fall, linearly, over one more window. */
  recovery: z.enum(["none", "partial"]).default("none"),
  /** Seeds the random rounding of sizes; same input + seed = identical output. */
  seed: z.number().int().default(1),
  /** Price grid; when absent, the smallest price gap seen up to the window start (always a multiple of the true tick). */
  tickSize: z.number().positive().optional(),
});
export type CrashShape = z.infer<typeof CrashShapeSchema>;
export type CrashShapeInput = z.input<typeof CrashShapeSchema>;

/** What the shaper found on the book as it went: filled in by shapeCrash, for the report. */
export interface CrashApplied {
  /** The price grid D(t) moves on: `tickSize` when given, else the smallest gap seen up to the window. */
  tickSize?: number;
  tickSizeInferred?: boolean;
  /** Market time of the window's start and end, epoch ms (the first tick's ts + startSeconds). */
  windowStartTs?: number;
  windowEndTs?: number;
  /** The mid the fall is a percentage of (the last one before the window), and the fall in ticks. */
  referenceMid?: number;
  dropTicks?: number;
}

/** The settings with every default filled in; a bad one is a config error naming its field. */
export function crashSettings(options: CrashShapeInput = {}): CrashShape {
  const parsed = CrashShapeSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "options";
    throw new DataError("GAUNTLET_CONFIG_INVALID", `crash shaper: ${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

const EXP_K = 4;
/** Prices are rounded to 1e-9 (Databento's fixed-point unit) to drop float noise from the shifts. */
const clean = (price: number) => Math.round(price * 1e9) / 1e9;

export function pathFraction(path: CrashShape["path"], u: number): number {
  const x = Math.min(1, Math.max(0, u));
  if (path === "linear") return x;
  if (path === "exponential") return Math.expm1(EXP_K * x) / Math.expm1(EXP_K);
  return 0.5 + 0.5 * x;
}

/** Validates the options at call time (not at the first tick), then shapes lazily; `applied` is filled as it goes. */
export function shapeCrash(ticks: AsyncIterable<Tick>, options: CrashShapeInput = {}, applied: CrashApplied = {}): AsyncIterable<Tick> {
  return shape(ticks, crashSettings(options), applied);
}

async function* shape(ticks: AsyncIterable<Tick>, o: CrashShape, applied: CrashApplied): AsyncGenerator<Tick> {
  const random = seededRandom(o.seed);
  const keep = 1 - o.depthRemovedPct / 100;
  const windowMs = o.windowSeconds * 1000;
  let start: number | undefined;
  let step = o.tickSize;
  let lastMid: number | undefined;
  let fullDrop = 0; // in ticks, unrounded: fixed at the first tick in or after the window
  let fixed = false;
  for await (const tick of ticks) {
    if (start === undefined) {
      start = tick.ts + o.startSeconds * 1000;
      applied.windowStartTs = start;
      applied.windowEndTs = start + windowMs;
    }
    if (tick.ts < start) {
      if (o.tickSize === undefined) step = smallestGap(tick, step);
      lastMid = mid(tick);
      yield tick;
      continue;
    }
    if (!fixed) {
      if (o.tickSize === undefined) step = smallestGap(tick, step);
      if (step === undefined) {
        // Only a crossed or locked one-level book has no positive gap; readers never yield one.
        const where = `${tick.source.file} line ${tick.source.line}`;
        throw new DataError("GAUNTLET_DATA_INVALID", `${where}: crash shaper cannot infer the tick size (no positive price gap); pass tickSize`);
      }
      const ref = lastMid ?? mid(tick);
      fullDrop = (ref * o.dropPct) / 100 / step;
      fixed = true;
      Object.assign(applied, { tickSize: step, tickSizeInferred: o.tickSize === undefined, referenceMid: ref, dropTicks: Math.round(fullDrop) });
    }
    const elapsed = tick.ts - start;
    if (elapsed < windowMs) {
      const shift = -Math.round(fullDrop * pathFraction(o.path, elapsed / windowMs));
      yield crashTick(tick, shift, step as number, o.spreadFactor, keep, random);
    } else {
      const recovered = o.recovery === "partial" ? 0.5 * Math.min(1, (elapsed - windowMs) / windowMs) : 0;
      const shift = -Math.round(fullDrop * (1 - recovered));
      yield displaced(tick, shift * (step as number));
    }
  }
}

/** The smallest positive price gap in the tick (spread or adjacent levels), or `sofar` if smaller. */
function smallestGap(tick: Tick, sofar: number | undefined): number | undefined {
  let min = sofar ?? Infinity;
  const consider = (gap: number) => {
    const g = clean(Math.abs(gap));
    if (g > 0 && g < min) min = g;
  };
  consider(tick.ask - tick.bid);
  for (const side of [tick.bids, tick.asks]) {
    for (let i = 1; i < side.length; i++) consider((side[i] as BookLevel).price - (side[i - 1] as BookLevel).price);
  }
  return Number.isFinite(min) ? min : undefined;
}

function displaced(tick: Tick, d: number): Tick {
  const move = (levels: BookLevel[]) => levels.map((l) => ({ price: clean(l.price + d), size: l.size })).filter((l) => l.price > 0);
  return checked({ ...tick, bid: clean(tick.bid + d), ask: clean(tick.ask + d), last: clean(tick.last + d), bids: move(tick.bids), asks: move(tick.asks) });
}

function crashTick(tick: Tick, shiftTicks: number, step: number, factor: number, keep: number, random: () => number): Tick {
  // Extra spread in whole ticks; an odd count puts the extra tick on the ask side (mid moves by
  // half a tick at most). Both sides keep their internal spacing: each moves as a block.
  const spreadTicks = Math.round((tick.ask - tick.bid) / step);
  const extra = Math.round((factor - 1) * spreadTicks);
  const down = Math.floor(extra / 2);
  const bidShift = (shiftTicks - down) * step;
  const askShift = (shiftTicks + extra - down) * step;
  const bids = thin(tick.bids, bidShift, keep, random);
  const asks = thin(tick.asks, askShift, keep, random);
  const bid = bids[0]?.price ?? Number.NaN;
  const ask = asks[0]?.price ?? Number.NaN;
  return checked({ ...tick, bid, ask, last: clean(tick.last + shiftTicks * step), bids, asks });
}

/**
 * Moves a side by `d` and keeps `keep` of each level's size. Integer sizes (shares, contracts) are
 * rounded at random, up with probability = the fractional part, so the expected total is exact
 * and sizes stay integers; fractional sizes (coins) are scaled exactly. A level rounded to 0 is
 * dropped only from the deep end: an inner level is kept at 1 so that the ladder (and its
 * spacing) stays whole, and the touch always survives, so a side never empties.
 */
function thin(levels: BookLevel[], d: number, keep: number, random: () => number): BookLevel[] {
  const out: BookLevel[] = new Array(levels.length);
  let last = -1; // index of the deepest non-zero level
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as BookLevel;
    const r = random(); // one draw per level whatever its size: the stream stays aligned
    const scaled = level.size * keep;
    const size = Number.isInteger(level.size) ? Math.floor(scaled) + (r < scaled - Math.floor(scaled) ? 1 : 0) : scaled;
    if (size > 0) last = i;
    out[i] = { price: clean(level.price + d), size };
  }
  out.length = Math.max(1, last + 1);
  for (const level of out) if (level.size === 0) level.size = 1;
  return out.filter((l) => l.price > 0);
}

/** Never yields an empty or crossed book: either would be a bug here or bad input upstream. */
function checked(tick: Tick): Tick {
  const where = `${tick.source.file} line ${tick.source.line}`;
  if (tick.bids.length === 0 || !(tick.bid > 0)) {
    throw new DataError("GAUNTLET_CONFIG_INVALID", `crash shaper: the crash pushes every bid to <= 0 at ${where}; lower dropPct or spreadFactor`);
  }
  if (tick.bid >= tick.ask || tick.asks.length === 0) {
    throw new DataError("GAUNTLET_DATA_INVALID", `${where}: crossed or empty input book (bid ${tick.bid}, ask ${tick.ask}) reached the crash shaper`);
  }
  return tick;
}
