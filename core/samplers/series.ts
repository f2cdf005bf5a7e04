// A time series sampled during a run: wall-clock ms and value, side by side.
export interface Series {
  name: string;
  unit: string;
  t: number[];
  v: number[];
  /** Samples that could not be taken (target did not answer): a gate may refuse to judge on them. */
  misses: number;
  /**
   * When each sample's read was sent (a polled series), where `t` is when its answer came: the
   * value held at some instant in [askedAt, t]. Under load a read took 220 ms.
   */
  askedAt?: number[];
}

export function emptySeries(name: string, unit: string): Series {
  return { name, unit, t: [], v: [], misses: 0 };
}

export function seriesMax(series: Series): number {
  return series.v.length === 0 ? Number.NaN : Math.max(...series.v);
}

/** Least-squares slope (value units per ms) and intercept of a series restricted to [fromMs, toMs]. */
export function linearFit(series: Series, fromMs: number, toMs: number): { slope: number; intercept: number; n: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < series.t.length; i++) {
    const x = series.t[i]!;
    if (x < fromMs || x > toMs) continue;
    const y = series.v[i]!;
    n++;
    sx += x - fromMs;
    sy += y;
    sxx += (x - fromMs) * (x - fromMs);
    sxy += (x - fromMs) * y;
  }
  const denominator = n * sxx - sx * sx;
  if (n < 3 || denominator === 0) return { slope: Number.NaN, intercept: Number.NaN, n };
  const slope = (n * sxy - sx * sy) / denominator;
  return { slope, intercept: (sy - slope * sx) / n, n };
}
