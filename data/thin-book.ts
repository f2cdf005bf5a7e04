// A thin book: every displayed size of the real book multiplied by a factor below 1, prices and
// update rhythm untouched. Orders then walk several levels, and when the whole displayed side is
// smaller than an order it fills in part (the venue cancels the rest) — the partial fills and
// residuals a governor must book exactly, which a deep real book never produces at our sizes.
import type { BookLevel, Tick } from "./types.ts";

const scaled = (levels: readonly BookLevel[], factor: number): BookLevel[] => levels.map((level) => ({ price: level.price, size: level.size * factor }));

export async function* thinBook(ticks: AsyncIterable<Tick>, factor: number): AsyncGenerator<Tick> {
  for await (const tick of ticks) yield { ...tick, bids: scaled(tick.bids, factor), asks: scaled(tick.asks, factor) };
}
