// Books implied by a list of fills: the arithmetic every check that reconciles against the venue
// shares, so that "cash" means the same thing everywhere.
import type { VenueFill } from "./venue-journal.ts";

export interface Books {
  positionShares: number;
  cashUsd: number;
  decisions?: number;
  orders?: number;
  fills?: number;
}

/** Position and cash implied by fills, fees included: cash = capital − Σ side·qty·price − Σ fee. */
export function booksFromFills(fills: readonly VenueFill[], capitalUsd: number): Books {
  let positionShares = 0;
  let cashUsd = capitalUsd;
  for (const fill of fills) {
    const sign = fill.side === "buy" ? 1 : -1;
    positionShares += sign * fill.qty;
    cashUsd -= sign * fill.qty * fill.price + fill.fee;
  }
  return { positionShares, cashUsd, fills: fills.length };
}
