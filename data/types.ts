// The one normalized market-data shape the whole platform uses. Every reader (LOBSTER, Binance,
// Databento, ...) yields `Tick`s; the crash shaper, the venue simulator and the observation
// builder consume nothing else.

/** One occupied price level. `size` is in the reader's units: shares, contracts, or the base asset (BTC). */
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
  /**
   * The instrument as the data names it (a LOBSTER ticker, a Binance symbol, a Databento raw
   * symbol): from the file name, or once ticks() has read the records that say it.
   */
  instrument?(): string | undefined;
  /**
   * Market time of the file's last Tick, found without building the book (a tail read, a scan for
   * the last diff), so that a partial pass can be told as a fraction of the file. Stops, resolving
   * undefined, when `signal` aborts. Absent: the caller replays the file to find it.
   */
  lastEventTs?(signal?: StopSignal): Promise<number | undefined>;
}

/**
 * What a long read polls to stop early: an AbortSignal fits. Named structurally because the k6
 * scripts' type check (no DOM or Node types) reaches this file through the plan types.
 */
export interface StopSignal {
  readonly aborted: boolean;
}

export function mid(tick: Pick<Tick, "bid" | "ask">): number {
  return (tick.bid + tick.ask) / 2;
}
