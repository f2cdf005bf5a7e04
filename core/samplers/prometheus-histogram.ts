// Reading a Prometheus histogram out of a scrape, and PromQL's histogram_quantile over the
// difference of two scrapes (the run's own observations, whatever came before).

export interface HistogramSnapshot {
  /** Upper bounds (seconds, ascending, +Inf last) and cumulative counts. */
  le: number[];
  cumulative: number[];
  count: number;
  sum: number;
}

/** A sample line's value: the token after the name and labels (an optional timestamp may follow it). */
function sampleValue(line: string): number {
  const close = line.lastIndexOf("}");
  const rest = close === -1 ? line.slice(line.indexOf(" ")) : line.slice(close + 1);
  return Number(rest.trim().split(/\s+/)[0]);
}

/** The histogram `name` (unlabelled) from exposition text; undefined if absent. */
export function parseHistogram(text: string, name: string): HistogramSnapshot | undefined {
  const le: number[] = [];
  const cumulative: number[] = [];
  let count: number | undefined;
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}_bucket{`)) {
      const bound = /le="([^"]+)"/.exec(line)?.[1];
      if (bound === undefined) continue;
      le.push(bound === "+Inf" ? Number.POSITIVE_INFINITY : Number(bound));
      cumulative.push(sampleValue(line));
    } else if (line.startsWith(`${name}_count `)) {
      count = sampleValue(line);
    } else if (line.startsWith(`${name}_sum `)) {
      sum = sampleValue(line);
    }
  }
  if (le.length === 0 || count === undefined) return undefined;
  return { le, cumulative, count, sum };
}

/** Observations made between two scrapes of the same histogram. */
export function histogramDelta(before: HistogramSnapshot | undefined, after: HistogramSnapshot): HistogramSnapshot {
  if (!before) return after;
  return {
    le: after.le,
    cumulative: after.cumulative.map((c, i) => c - (before.cumulative[i] ?? 0)),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  };
}

/**
 * PromQL's histogram_quantile: linear interpolation inside the bucket that holds the rank.
 * `extraInfinite` adds observations known to be infinitely late (e.g. decisions that never became
 * visible), so a stalled pipeline cannot look fast by simply not reporting.
 */
export function histogramQuantile(q: number, h: HistogramSnapshot, extraInfinite = 0): number {
  const total = h.count + extraInfinite;
  if (total <= 0) return Number.NaN;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (let i = 0; i < h.le.length; i++) {
    const bound = h.le[i]!;
    const count = h.cumulative[i]!;
    if (count >= rank) {
      if (!Number.isFinite(bound)) return previousBound; // Prometheus returns the last finite bound
      const inBucket = count - previousCount;
      return inBucket <= 0 ? bound : previousBound + (bound - previousBound) * ((rank - previousCount) / inBucket);
    }
    previousBound = Number.isFinite(bound) ? bound : previousBound;
    previousCount = count;
  }
  return Number.POSITIVE_INFINITY;
}

/** Share of observations at or below `bound` (exact when `bound` is a bucket boundary). */
export function fractionAtOrBelow(bound: number, h: HistogramSnapshot, extraInfinite = 0): number {
  const total = h.count + extraInfinite;
  if (total <= 0) return Number.NaN;
  const index = h.le.findIndex((le) => Math.abs(le - bound) < 1e-12);
  return index === -1 ? Number.NaN : h.cumulative[index]! / total;
}
