// The one normalized market-data shape the whole platform uses. Every reader (LOBSTER, Binance,
// Databento, ...) yields `Tick`s; the crash shaper, the venue simulator and the observation
// builder consume nothing else.

/** One occupied price level. `size` is in shares (or contracts / coins for other venues). */
export interface BookLevel {
  price: number;
  size: number;
}

export interface Tick {
  /** Event time, milliseconds since the UNIX epoch (fractional part keeps sub-ms precision). */
  ts: number;
  /** Best bid and best ask; a reader never yields an empty or crossed book. */
  bid: number;
  ask: number;
  /** Last trade price (the mid until the first trade is seen). */
  last: number;
  /** Traded volume carried by this event (0 for a pure book update). */
  volume: number;
  /** Occupied levels, best first. */
  bids: BookLevel[];
  asks: BookLevel[];
  /** Where the event came from, for error messages and the audit log. */
  source: { file: string; line: number };
}

/** A streaming reader: yields ticks in time order without loading the file into memory. */
export interface L2Reader {
  readonly format: string;
  ticks(): AsyncIterable<Tick>;
}

export function mid(tick: Pick<Tick, "bid" | "ask">): number {
  return (tick.bid + tick.ask) / 2;
}
