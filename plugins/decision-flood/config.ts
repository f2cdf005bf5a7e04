// decision-flood's configuration: every number of REQUIREMENTS.md scenario 2, overridable.
import { z } from "zod";

export const FloodConfigSchema = z.strictObject({
  rate: z.number().int().positive().default(1000),
  symbol: z.string().default("AAPL"),
  /** Measured seconds per profile (after the warm-up). */
  profiles: z
    .strictObject({
      quick: z.number().int().positive().default(60),
      full: z.number().int().positive().default(600),
    })
    .default({ quick: 60, full: 600 }),
  preAllocatedVUs: z.number().int().positive().default(100),
  maxVUs: z.number().int().positive().default(500),
  requestTimeoutMs: z.number().int().positive().default(2000),
  /** The k6 warm-up ramp before the measured flood (no gate reads it): JIT, pools and heap settle. */
  warmupSeconds: z.number().nonnegative().default(10),
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
      maxMemoryGrowthMb: z.number().positive().default(10),
      /** Redis backlog bound during the run, in events (default: one second of decisions). */
      maxBacklog: z.number().int().positive().default(1000),
      pipelineP99Ms: z.number().positive().default(20),
    })
    .default({
      p99Ms: 15, p95Ms: 10, meanMs: 5, minSamples: 10_000, maxErrorRate: 0.01, maxDroppedRatio: 0.001,
      maxDegradationPct: 20, degradationFloorMs: 0.5, maxMemoryGrowthMb: 10, maxBacklog: 1000, pipelineP99Ms: 20,
    }),
});

export type FloodConfig = z.infer<typeof FloodConfigSchema>;
