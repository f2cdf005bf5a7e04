// Plays a short real sample for longer than it lasts, honestly: each new pass of the file starts
// where the previous one ended — timestamps continue one median event gap after its last event,
// and every price is shifted so that the mid carries on from the last mid instead of jumping back.
// The seams are recorded (when, by how much) so that a report can say the data was looped.
import type { L2Reader, Tick } from "./types.ts";
import { mid } from "./types.ts";

export interface LoopSeam {
  /** Pass that starts here (1 = the first repeat). */
  pass: number;
  /** Market time of the seam, epoch ms. */
  ts: number;
  /** Price shift applied to the whole pass so the mid is continuous. */
  priceShift: number;
  /** Time shift applied to the whole pass, ms: its ticks' `ts` minus the file's own. */
  timeShift: number;
}

export interface LoopStats {
  /** Passes the consumer has read to their end. */
  passes: number;
  seams: LoopSeam[];
  /** The file's own first and (once a pass has ended) last event time, epoch ms. */
  firstTs?: number;
  lastTs?: number;
}

const shiftLevels = (levels: Tick["bids"], by: number) => levels.map((l) => ({ price: round(l.price + by), size: l.size }));
const round = (price: number) => Math.round(price * 1e9) / 1e9;

/**
 * Ticks of `open()`, repeated `maxPasses` times (Infinity: until the consumer stops).
 * `stats` is filled as the replay goes.
 */
export async function* loopWithContinuity(open: () => L2Reader, stats: LoopStats, maxPasses = Number.POSITIVE_INFINITY): AsyncGenerator<Tick> {
  let timeShift = 0;
  let priceShift = 0;
  let last: Tick | undefined;
  let rawLast: number | undefined;
  const gaps: number[] = [];
  for (let pass = 0; pass < maxPasses; pass++) {
    let first = true;
    for await (const raw of open().ticks()) {
      if (first && last) {
        // Continue one median event gap after the previous pass, at the previous pass's mid.
        const gap = median(gaps) || 1;
        timeShift = last.ts + gap - raw.ts;
        priceShift = round(mid(last) - mid(raw));
        stats.seams.push({ pass, ts: raw.ts + timeShift, priceShift, timeShift });
      }
      if (first && pass === 0) stats.firstTs = raw.ts;
      first = false;
      rawLast = raw.ts;
      const tick: Tick =
        timeShift === 0 && priceShift === 0
          ? raw
          : {
              ...raw,
              ts: raw.ts + timeShift,
              bid: round(raw.bid + priceShift),
              ask: round(raw.ask + priceShift),
              last: round(raw.last + priceShift),
              bids: shiftLevels(raw.bids, priceShift),
              asks: shiftLevels(raw.asks, priceShift),
            };
      if (last && pass === 0 && gaps.length < 10_000) gaps.push(tick.ts - last.ts);
      last = tick;
      yield tick;
    }
    if (first) return; // an empty file: nothing to loop
    stats.passes = pass + 1;
    stats.lastTs ??= rawLast;
  }
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
