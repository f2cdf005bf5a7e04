// decision-flood's configuration and its plan: every number of REQUIREMENTS.md scenario 2,
// overridable. The zod schema is the one source of the defaults: Gauntlet's runs and a plain
// `k6 run dist/k6/flood.js` (its plan is built from these defaults when the script is bundled)
// drive the same load. scripts/flood.ts imports the FloodPlan type only.
import { z } from "zod";
import type { K6Plan, PlanInput } from "../../protocol/k6-plan.ts";

export const FloodConfigSchema = z.strictObject({
  rate: z.number().int().positive().default(1000),
  symbol: z.string().default("AAPL"),
  /**
   * Measured seconds per profile (after the warm-up). smoke is CI's and certify's cheap profile:
   * 13,000 decisions still clear the 10,000-sample minimum of the P99 gate (and a 13 s flood still
   * measures more than 12 s: two windows of 3 s for the degradation gate).
   */
  profiles: z
    .strictObject({
      quick: z.number().int().positive().default(60),
      full: z.number().int().positive().default(600),
      smoke: z.number().int().positive().default(13),
      /** The smoke flood after a 2 s warm-up: see coldWarmupSeconds. */
      "smoke-cold": z.number().int().positive().default(13),
    })
    .default({ quick: 60, full: 600, smoke: 13, "smoke-cold": 13 }),
  preAllocatedVUs: z.number().int().positive().default(100),
  maxVUs: z.number().int().positive().default(500),
  requestTimeoutMs: z.number().int().positive().default(2000),
  /** The k6 warm-up ramp before the measured flood (no gate reads it): JIT, pools and heap settle. */
  warmupSeconds: z.number().nonnegative().default(10),
  /**
   * The smoke profile's warm-up. 10 s: a fresh governor process on this 2-core machine has been
   * seen at a P99 over 15 ms for its first seconds at 1,000/s. (The self-test judges the correct
   * governor on quick all the same: see correctGovernorProfile in index.ts.)
   */
  smokeWarmupSeconds: z.number().nonnegative().default(10),
  /**
   * The smoke-cold profile's warm-up. The self-test's seeded faults run on it: a seeded fault must
   * trip its gate, and a governor's cold start can only add to what trips it, so the 8 s the
   * smoke warm-up spends protecting a correct governor's P99 buys a seeded row nothing.
   */
  coldWarmupSeconds: z.number().nonnegative().default(2),
  thresholds: z
    .strictObject({
      p99Ms: z.number().positive().default(15),
      p95Ms: z.number().positive().default(10),
      meanMs: z.number().positive().default(5),
      minSamples: z.number().int().positive().default(10_000),
      maxErrorRate: z.number().min(0).max(1).default(0.01),
      maxDroppedRatio: z.number().min(0).max(1).default(0.001),
      maxDegradationPct: z.number().positive().default(20),
      /** Differences smaller than this are noise on a shared 2-core machine, not degradation. */
      degradationFloorMs: z.number().nonnegative().default(0.5),
      /**
       * The floor when the windows are shorter than a minute (smoke: 3 s). A 3 s window's P95 is
       * its 150th-slowest of 3,000 decisions, so one 150 ms pause of a shared 2-core machine moves
       * it by milliseconds: a correct governor was seen at 2.5 → 5.2 ms. A real degradation on that
       * profile (history-scan) is 9 → 175 ms.
       */
      shortWindowFloorMs: z.number().nonnegative().default(3),
      maxMemoryGrowthMb: z.number().positive().default(10),
      /** Redis backlog bound during the run, in events (default: one second of decisions). */
      maxBacklog: z.number().int().positive().default(1000),
      pipelineP99Ms: z.number().positive().default(20),
    })
    .default({
      p99Ms: 15, p95Ms: 10, meanMs: 5, minSamples: 10_000, maxErrorRate: 0.01, maxDroppedRatio: 0.001,
      maxDegradationPct: 20, degradationFloorMs: 0.5, shortWindowFloorMs: 3, maxMemoryGrowthMb: 10, maxBacklog: 1000, pipelineP99Ms: 20,
    }),
});

export type FloodConfig = z.infer<typeof FloodConfigSchema>;

/** Gate thresholds k6 can judge on its own (so a plain `k6 run` exits 99 when they fail). */
export type K6Thresholds = Pick<FloodConfig["thresholds"], "p99Ms" | "p95Ms" | "meanMs" | "maxErrorRate" | "maxDroppedRatio">;

export interface FloodPlan extends K6Plan {
  symbol: string;
  /** Decisions per second (constant-arrival-rate: the open model). */
  rate: number;
  /** The measured flood, after the warm-up. */
  durationSeconds: number;
  /**
   * A ramp from 10% to 100% of the rate before the measured flood (its own k6 scenario, "warmup",
   * whose samples no gate reads): JIT compilation, connection pools and heap sizing settle first.
   */
  warmupSeconds: number;
  preAllocatedVUs: number;
  maxVUs: number;
  requestTimeoutMs: number;
  thresholds: K6Thresholds;
}

export function floodPlan({ runId, profile, config, target }: PlanInput<FloodConfig>): FloodPlan {
  const t = config.thresholds;
  return {
    scenario: "decision-flood",
    runId,
    targetUrl: target.baseUrl,
    symbol: config.symbol,
    rate: config.rate,
    durationSeconds: config.profiles[profile as keyof FloodConfig["profiles"]],
    warmupSeconds: profile === "smoke" ? config.smokeWarmupSeconds : profile === "smoke-cold" ? config.coldWarmupSeconds : config.warmupSeconds,
    preAllocatedVUs: config.preAllocatedVUs,
    maxVUs: config.maxVUs,
    requestTimeoutMs: config.requestTimeoutMs,
    thresholds: { p99Ms: t.p99Ms, p95Ms: t.p95Ms, meanMs: t.meanMs, maxErrorRate: t.maxErrorRate, maxDroppedRatio: t.maxDroppedRatio },
  };
}
