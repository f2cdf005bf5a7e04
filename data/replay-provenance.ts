// What market data a replay really played, told so that a report can say it exactly: which file,
// read by which reader, which instrument and in what units, which span of the data (on the data's
// own clock), how much of the file that is (0.0039 of one pass is not "played once"), and the
// crash as the shaper applied it, every default filled in. The venue serves it in GET /health
// (`replay`); the scenarios put it in results.json and their notes.
import { z } from "zod";
import { CrashShapeSchema, type CrashApplied, type CrashShape } from "./crash-shaper.ts";
import type { LoopStats } from "./replay-loop.ts";
import type { L2Reader } from "./types.ts";

const iso = (ts: number) => new Date(ts).toISOString();

const SpanSchema = z.object({
  /** Epoch ms on the data's own clock, and the same as ISO 8601 UTC. */
  fromTs: z.number(),
  toTs: z.number(),
  from: z.string(),
  to: z.string(),
  seconds: z.number(),
});

export const AppliedCrashSchema = z.object({
  ...CrashShapeSchema.shape,
  /** The price grid the fall moves on; null until the window is reached (when it is inferred). */
  tickSize: z.number().nullable(),
  tickSizeInferred: z.boolean(),
  /** The window on the replay's market clock (the first pass is the data's own), epoch ms. */
  windowStartTs: z.number().nullable(),
  windowEndTs: z.number().nullable(),
  /** The last mid before the window, of which dropPct is taken, and the fall in whole ticks. */
  referenceMid: z.number().nullable(),
  dropTicks: z.number().nullable(),
});
export type AppliedCrash = z.infer<typeof AppliedCrashSchema>;

export const ReplayProvenanceSchema = z.object({
  /** The file as the venue opened it (absolute). */
  file: z.string(),
  /** The reader that read it (data/readers: lobster, binance-usdm, databento-mbo). */
  format: z.string(),
  /** As the data names it (AAPL, BTCUSDT, ESH4); null before the reader has seen it. */
  instrument: z.string().nullable(),
  /** What a size, a position, a depth is counted in: shares, contracts, the base asset (BTC). */
  units: z.string(),
  speed: z.number(),
  loop: z.boolean(),
  /** Whether the replay clock runs (false while a scenario holds it), and whether the data ran out. */
  started: z.boolean(),
  ended: z.boolean(),
  /** Book events shown (published) so far. */
  events: z.number().int(),
  /**
   * The data shown so far: from the file's first event to the last one shown, both on the data's
   * own clock (after a loop, `to` is inside the pass being played); `seconds` is the market time
   * played in all, every pass included.
   */
  played: SpanSchema.nullable(),
  /** The whole file, first to last event; null while its end is not known. */
  fileSpan: SpanSchema.nullable(),
  /**
   * Passes of the file: `completed` whole ones and `ofCurrent`, the fraction of the one being
   * played; `total` = completed + ofCurrent (71 s of a 5 h file: 0.0039). Null while the file's
   * length is not known.
   */
  passes: z.object({ completed: z.number().int(), ofCurrent: z.number().nullable(), total: z.number().nullable() }),
  /** Where each repeat started (the replay's clock), shifted by how much to stay continuous. */
  seams: z.array(z.object({ pass: z.number().int(), ts: z.number(), priceShift: z.number(), timeShift: z.number() })),
  /** The crash as the shaper applies it; null for the real book. */
  crash: AppliedCrashSchema.nullable(),
});
export type ReplayProvenance = z.infer<typeof ReplayProvenanceSchema>;

/** What the venue knows at one moment, for replayProvenance(). */
export interface ReplayProgress {
  file: string;
  format: string;
  instrument: string | undefined;
  units: string;
  speed: number;
  loop: boolean;
  started: boolean;
  ended: boolean;
  /** The last book shown: its ts on the replay's clock, and how many were shown. */
  shown: { ts: number; events: number } | undefined;
  loops: LoopStats;
  /** The file's last event time when measured ahead (lastEventTs); a finished pass tells it too. */
  fileLastTs: number | undefined;
  crash: CrashShape | undefined;
  crashApplied: CrashApplied;
}

const span = (fromTs: number, toTs: number, seconds = (toTs - fromTs) / 1000) => ({ fromTs, toTs, from: iso(fromTs), to: iso(toTs), seconds });

export function replayProvenance(p: ReplayProgress): ReplayProvenance {
  const firstTs = p.loops.firstTs;
  const lastTs = p.loops.lastTs ?? p.fileLastTs;
  // The pass a shown tick belongs to is the last one that started at or before it: the loop may
  // already have opened the next pass while the replay waits to show its first tick.
  const seam = p.shown ? p.loops.seams.filter((s) => s.ts <= p.shown!.ts).at(-1) : undefined;
  const pass = seam?.pass ?? 0;
  const rawTs = p.shown ? p.shown.ts - (seam?.timeShift ?? 0) : undefined;
  let passes: ReplayProvenance["passes"] = { completed: pass, ofCurrent: null, total: null };
  if (firstTs !== undefined && lastTs !== undefined && rawTs !== undefined) {
    const length = lastTs - firstTs;
    const fraction = length > 0 ? Math.min(1, Math.max(0, (rawTs - firstTs) / length)) : 1;
    passes = fraction >= 1 ? { completed: pass + 1, ofCurrent: 0, total: pass + 1 } : { completed: pass, ofCurrent: fraction, total: pass + fraction };
  }
  const c = p.crash;
  const a = p.crashApplied;
  return {
    file: p.file,
    format: p.format,
    instrument: p.instrument ?? null,
    units: p.units,
    speed: p.speed,
    loop: p.loop,
    started: p.started,
    ended: p.ended,
    events: p.shown?.events ?? 0,
    played: firstTs !== undefined && p.shown && rawTs !== undefined ? span(firstTs, rawTs, (p.shown.ts - firstTs) / 1000) : null,
    fileSpan: firstTs !== undefined && lastTs !== undefined ? span(firstTs, lastTs) : null,
    passes,
    seams: p.loops.seams.map((s) => ({ ...s })),
    crash: c
      ? {
          ...c,
          tickSize: a.tickSize ?? c.tickSize ?? null,
          tickSizeInferred: a.tickSizeInferred ?? c.tickSize === undefined,
          windowStartTs: a.windowStartTs ?? null,
          windowEndTs: a.windowEndTs ?? null,
          referenceMid: a.referenceMid ?? null,
          dropTicks: a.dropTicks ?? null,
        }
      : null,
  };
}

/**
 * The file's last event time: the reader's own cheap way when it has one, else by reading its
 * ticks. Undefined when `signal` aborts first or the file cannot be read (the replay says why).
 */
export async function measureLastEventTs(reader: L2Reader, signal: AbortSignal): Promise<number | undefined> {
  try {
    if (reader.lastEventTs) return await reader.lastEventTs(signal);
    let last: number | undefined;
    for await (const tick of reader.ticks()) {
      if (signal.aborted) return undefined;
      last = tick.ts;
    }
    return last;
  } catch {
    return undefined;
  }
}
