// What a scenario may ask of the venue's market for one run — the replay and the broker's terms —
// sent to the venue's admin API (POST /admin/reset) before every run. Shared by Gauntlet, which
// sends it, and the venue, which applies it.
import { z } from "zod";
import { LOBSTER_AAPL } from "../data/bundled-samples.ts";
import { CrashShapeSchema } from "../data/crash-shaper.ts";

export const DEFAULT_REPLAY_SOURCE = LOBSTER_AAPL.messageFile;

export const ReplaySchema = z.strictObject({
  /** An L2 file (either file of a LOBSTER pair), relative to the repo. */
  source: z.string().default(DEFAULT_REPLAY_SOURCE),
  /** Its format (data/readers: lobster, binance-usdm, databento-mbo); told by the file name when absent. */
  format: z.string().optional(),
  /** The reader's own options (levels, depth, instrumentId…), checked by its schema. */
  readerOptions: z.record(z.string(), z.unknown()).default({}),
  /** Replay again when the file ends, continuing time and price (data/replay-loop.ts). */
  loop: z.boolean().default(true),
  /** 1 = real time. */
  speed: z.number().positive().default(1),
  /** Bend the replay into a flash crash (data/crash-shaper.ts); absent: the real book. */
  crash: CrashShapeSchema.optional(),
  /**
   * Multiply every displayed size by this (data/thin-book.ts): below 1, a thin book where orders
   * walk several levels and fill in part. 1: the real book's sizes.
   */
  sizeScale: z.number().positive().max(1).default(1),
  /** false: hold the first book until POST /admin/replay/start (a scenario starts the clock). */
  autostart: z.boolean().default(true),
});
export type ReplayConfig = z.infer<typeof ReplaySchema>;

export const MarketSettingsSchema = z.strictObject({
  replay: ReplaySchema.default(ReplaySchema.parse({})),
  /** Broker round trip per order, ms: fixed, or N(roundTripMs, roundTripJitterMs). */
  roundTripMs: z.number().nonnegative().default(30),
  roundTripJitterMs: z.number().nonnegative().default(0),
  /** Commission: feeBps of the notional, at least minFeeUsd per fill (retail brokers' minimum). */
  feeBps: z.number().nonnegative().default(1),
  minFeeUsd: z.number().nonnegative().default(0.35),
});
export type MarketSettings = z.output<typeof MarketSettingsSchema>;
export type MarketSettingsInput = z.input<typeof MarketSettingsSchema>;
