// How the venue fills a market order: it walks the displayed book. The seed's rule of thumb —
// an order reaches level N = ceil(size / shares at level 0) — is the minimum; using cumulative
// depth is the honest version (a thin second level pushes the order deeper), so slippage comes
// from the real book, never from a constant.
import type { BookLevel } from "../data/types.ts";

export interface BookFill {
  /** Quantity filled (≤ requested when the displayed book runs out). */
  qty: number;
  /** Volume-weighted average price over the levels consumed. */
  price: number;
  /** How many levels the order consumed (1 = the touch). */
  levels: number;
}

/** Walk `levels` (best first) for `qty`; what the book cannot supply stays unfilled. */
export function walkBook(levels: readonly BookLevel[], qty: number): BookFill {
  let remaining = qty;
  let notional = 0;
  let used = 0;
  for (const level of levels) {
    if (remaining <= 1e-12) break;
    const take = Math.min(remaining, level.size);
    if (take <= 0) continue;
    notional += take * level.price;
    remaining -= take;
    used++;
  }
  const filled = qty - remaining;
  return { qty: filled, price: filled > 0 ? notional / filled : Number.NaN, levels: used };
}

/** The seed's lower bound on the level an order reaches. */
export function minimumLevel(levels: readonly BookLevel[], qty: number): number {
  const touch = levels[0]?.size ?? 0;
  return touch > 0 ? Math.ceil(qty / touch) : Number.POSITIVE_INFINITY;
}

/** Commission: basis points of the notional, with a per-fill minimum. */
export function feeFor(notional: number, feeBps: number, minFeeUsd = 0): number {
  return Math.max(minFeeUsd, (Math.abs(notional) * feeBps) / 10_000);
}

/** Broker round trip: fixed, or N(mean, sd) truncated at 0 — drawn from a seeded generator. */
export function roundTripDelay(meanMs: number, jitterMs: number, random: () => number): number {
  if (jitterMs <= 0) return meanMs;
  // Box–Muller on two uniforms.
  const u = Math.max(random(), 1e-12);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(0, meanMs + jitterMs * normal);
}
