// flash-crash's configuration and plan: the market (which real file, how it is bent), the phases,
// and the numbers of REQUIREMENTS.md scenario 1. The zod schema is the one source of the defaults;
// scripts/flash-crash.ts imports the FlashCrashPlan type only.
import { z } from "zod";
import type { K6Plan, PlanInput } from "../../protocol/k6-plan.ts";
import { CrashShapeSchema } from "../../data/crash-shaper.ts";
import { LimitsSchema } from "../../protocol/limits.ts";

const PhasesSchema = z.strictObject({
  buildSeconds: z.number().positive(),
  crashSeconds: z.number().positive(),
  recoverySeconds: z.number().positive(),
  /** Extra crash settings for this profile (e.g. a deeper fall). */
  crash: CrashShapeSchema.partial().default({}),
  /** Every displayed size × this (below 1: a thin book, orders walk levels and fill in part). */
  sizeScale: z.number().positive().max(1).default(1),
});

export const FlashCrashConfigSchema = z.strictObject({
  /** A bundled sample by name, or a path to any L2 file a reader understands. */
  source: z.string().default("lobster"),
  /** The reader (lobster, binance-usdm, databento-mbo); told by the file name when absent. */
  format: z.string().optional(),
  /** The reader's own options, e.g. { depth: 20 } or { instrumentId: 4916 }. */
  readerOptions: z.record(z.string(), z.unknown()).default({}),
  symbol: z.string().default("AAPL"),
  rate: z.number().int().positive().default(100),
  preAllocatedVUs: z.number().int().positive().default(20),
  maxVUs: z.number().int().positive().default(200),
  requestTimeoutMs: z.number().int().positive().default(2000),
  /** Replay speed (1 = real time). The crash window is in market time. */
  speed: z.number().positive().default(1),
  /** How the calm book is bent: 10% in 30 s, spreads x3, depth -80% (data/crash-shaper.ts). */
  crash: CrashShapeSchema.partial().default({}),
  profiles: z
    .strictObject({ quick: PhasesSchema, full: PhasesSchema, severe: PhasesSchema, smoke: PhasesSchema, thin: PhasesSchema })
    .default({
      quick: { buildSeconds: 20, crashSeconds: 30, recoverySeconds: 20, crash: {}, sizeScale: 1 },
      full: { buildSeconds: 270, crashSeconds: 30, recoverySeconds: 300, crash: {}, sizeScale: 1 },
      // The self-test's profile: with the limits respected a 10% fall costs at most 5% of capital
      // (a $500 position), so a drawdown past 15% needs a deeper fall to be seen at all.
      severe: { buildSeconds: 20, crashSeconds: 30, recoverySeconds: 20, crash: { dropPct: 40 }, sizeScale: 1 },
      // CI's and certify's cheap profile: severe in 19 s (1,100 decisions in the crash: the crash P99 needs 1,000).
      smoke: { buildSeconds: 4, crashSeconds: 11, recoverySeconds: 4, crash: { dropPct: 40 }, sizeScale: 1 },
      // A thin book: AAPL's displayed sizes × 0.0002 (tenths of a share a level, less in the crash's
      // −80%), so $25–50 orders walk several levels and some fill only in part.
      thin: { buildSeconds: 4, crashSeconds: 11, recoverySeconds: 4, crash: { dropPct: 20 }, sizeScale: 0.0002 },
    }),
  limits: LimitsSchema.default(LimitsSchema.parse({})),
  thresholds: z
    .strictObject({
      maxDrawdownPct: z.number().positive().default(15),
      p99Ms: z.number().positive().default(15),
      /** "Flat": |position| at or below this, in the replayed book's units (shares, contracts, BTC). */
      flatShares: z.number().nonnegative().default(0.01),
      minCrashSamples: z.number().int().positive().default(1000),
    })
    .default({ maxDrawdownPct: 15, p99Ms: 15, flatShares: 0.01, minCrashSamples: 1000 }),
});

export type FlashCrashConfig = z.infer<typeof FlashCrashConfigSchema>;

export type FlashCrashProfile = keyof FlashCrashConfig["profiles"];

export interface FlashCrashPlan extends K6Plan {
  /** The venue's admin API: setup() starts the replay clock there. */
  venueAdminUrl: string;
  symbol: string;
  /** Decisions per second in every phase (open model). */
  rate: number;
  /** Phases, in wall-clock seconds: build a long position, the crash window, after the crash. */
  buildSeconds: number;
  crashSeconds: number;
  recoverySeconds: number;
  preAllocatedVUs: number;
  maxVUs: number;
  requestTimeoutMs: number;
  thresholds: { p99Ms: number };
}

export function flashCrashPlan({ runId, profile, config, target }: PlanInput<FlashCrashConfig>): FlashCrashPlan {
  const phases = config.profiles[profile as FlashCrashProfile];
  return {
    scenario: "flash-crash",
    runId,
    targetUrl: target.baseUrl,
    venueAdminUrl: target.venueAdminUrl ?? "",
    symbol: config.symbol,
    rate: config.rate,
    // The phases are in market time; the replay runs at `speed`.
    buildSeconds: phases.buildSeconds / config.speed,
    crashSeconds: phases.crashSeconds / config.speed,
    recoverySeconds: phases.recoverySeconds / config.speed,
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    requestTimeoutMs: config.requestTimeoutMs,
    thresholds: { p99Ms: config.thresholds.p99Ms },
  };
}
