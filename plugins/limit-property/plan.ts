// limit-property's configuration and the plan of its k6 script. The zod schema is the one source of
// the defaults; scripts/property-watch.ts imports the plan type only.
import { z } from "zod";
import type { K6Plan, PlanInput } from "../../protocol/k6-plan.ts";
import { LimitsSchema } from "../../protocol/limits.ts";

const Search = z.strictObject({
  /** Generated sequences tried before the property is taken to hold. */
  numRuns: z.number().int().positive(),
  /** The whole search, shrinking included, stops here; a counterexample found so far is kept. */
  timeLimitSeconds: z.number().int().positive(),
});

export const LimitPropertyConfigSchema = z.strictObject({
  /** fast-check's seed: the same seed generates the same sequences (the report prints it). */
  seed: z.number().int().default(20261201),
  /** A sequence is up to this many batches… */
  maxBatches: z.number().int().positive().default(24),
  /** …of up to this many decisions sent at once (one action per batch): orders in flight together. */
  maxBatchSize: z.number().int().min(1).default(12),
  profiles: z
    .strictObject({ quick: Search.default({ numRuns: 60, timeLimitSeconds: 150 }), smoke: Search.default({ numRuns: 25, timeLimitSeconds: 60 }) })
    .default({ quick: { numRuns: 60, timeLimitSeconds: 150 }, smoke: { numRuns: 25, timeLimitSeconds: 60 } }),
  requestTimeoutMs: z.number().int().positive().default(2000),
  /** After the last decision of a sequence, how long the fills have to arrive before the venue's journal is read. */
  settleMs: z.number().int().positive().default(250),
  /** The limits every sequence runs under (the requirements'). */
  limits: LimitsSchema.default(LimitsSchema.parse({})),
});
export type LimitPropertyConfig = z.infer<typeof LimitPropertyConfigSchema>;

/** What scripts/property-watch.ts receives: it watches the target's health while Node runs the search. */
export interface PropertyWatchPlan extends K6Plan {
  /** The longest the search may take; the scenario stops k6 as soon as it is done. */
  maxSeconds: number;
}

export function propertyWatchPlan({ runId, profile, config, target }: PlanInput<LimitPropertyConfig>): PropertyWatchPlan {
  const search = config.profiles[profile as keyof LimitPropertyConfig["profiles"]];
  // The search's time limit, and room for its last sequence and the shrink in progress.
  return { scenario: "limit-property", runId, targetUrl: target.baseUrl, maxSeconds: search.timeLimitSeconds + 30 };
}
