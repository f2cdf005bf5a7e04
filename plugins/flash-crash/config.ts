// flash-crash's configuration: the market (which real file, how it is bent), the phases, and the
// numbers of REQUIREMENTS.md scenario 1.
import { z } from "zod";
import { CrashShapeSchema } from "../../data/crash-shaper.ts";
import { LimitsSchema } from "../../sandbox/config.ts";

const PhasesSchema = z.strictObject({
  buildSeconds: z.number().positive(),
  crashSeconds: z.number().positive(),
  recoverySeconds: z.number().positive(),
  /** Extra crash settings for this profile (e.g. a deeper fall). */
  crash: CrashShapeSchema.partial().default({}),
});

export const SOURCES = {
  lobster: "data/samples/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv",
  binance: "data/samples/binance/btcusdt_20240808.gz",
} as const;

export const FlashCrashConfigSchema = z.strictObject({
  /** A bundled sample by name, or a path to any L2 file a reader understands. */
  source: z.string().default("lobster"),
  symbol: z.string().default("AAPL"),
  rate: z.number().int().positive().default(100),
  /** Replay speed (1 = real time). The crash window is in market time. */
  speed: z.number().positive().default(1),
  /** How the calm book is bent: 10% in 30 s, spreads x3, depth -80% (data/crash-shaper.ts). */
  crash: CrashShapeSchema.partial().default({}),
  profiles: z
    .strictObject({ quick: PhasesSchema, full: PhasesSchema, severe: PhasesSchema })
    .default({
      quick: { buildSeconds: 20, crashSeconds: 30, recoverySeconds: 20, crash: {} },
      full: { buildSeconds: 270, crashSeconds: 30, recoverySeconds: 300, crash: {} },
      // The self-test's profile: with the limits respected a 10% fall costs at most 5% of capital
      // (a $500 position), so a drawdown past 15% needs a deeper fall to be seen at all.
      severe: { buildSeconds: 20, crashSeconds: 30, recoverySeconds: 20, crash: { dropPct: 40 } },
    }),
  limits: LimitsSchema.default(LimitsSchema.parse({})),
  thresholds: z
    .strictObject({
      maxDrawdownPct: z.number().positive().default(15),
      p99Ms: z.number().positive().default(15),
      flatShares: z.number().nonnegative().default(0.01),
      minCrashSamples: z.number().int().positive().default(1000),
    })
    .default({ maxDrawdownPct: 15, p99Ms: 15, flatShares: 0.01, minCrashSamples: 1000 }),
});

export type FlashCrashConfig = z.infer<typeof FlashCrashConfigSchema>;
