// One side of a price-level book rebuilt from diffs (Binance depth now, Databento MBO later).
// Two parallel arrays kept sorted with the best level LAST: most updates land near the touch,
// so a splice there moves few elements, while a Map would need sorting on every tick.
import type { BookLevel } from "../types.ts";

export class SortedSide {
  private readonly prices: number[] = [];
  private readonly sizes: number[] = [];
  /** Bids are best when highest, so they are stored ascending; asks descending. */
  private readonly ascending: boolean;

  constructor(side: "bid" | "ask") {
    this.ascending = side === "bid";
  }

  get length(): number {
    return this.prices.length;
  }

  /** Best price, or undefined when the side is empty. */
  best(): number | undefined {
    return this.prices[this.prices.length - 1];
  }

  /** Sets the size resting at `price`; size 0 removes the level. */
  set(price: number, size: number): void {
    const prices = this.prices;
    let lo = 0;
    let hi = prices.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = prices[mid] as number;
      if (this.ascending ? p < price : p > price) lo = mid + 1;
      else hi = mid;
    }
    if (prices[lo] === price) {
      if (size === 0) {
        prices.splice(lo, 1);
        this.sizes.splice(lo, 1);
      } else {
        this.sizes[lo] = size;
      }
    } else if (size !== 0) {
      prices.splice(lo, 0, price);
      this.sizes.splice(lo, 0, size);
    }
  }

  /** The best `n` levels, best first, as fresh objects the caller may keep. */
  top(n: number): BookLevel[] {
    const count = Math.min(n, this.prices.length);
    const end = this.prices.length - 1;
    const levels: BookLevel[] = new Array(count);
    for (let i = 0; i < count; i++) {
      levels[i] = { price: this.prices[end - i] as number, size: this.sizes[end - i] as number };
    }
    return levels;
  }

  clear(): void {
    this.prices.length = 0;
    this.sizes.length = 0;
  }
}
