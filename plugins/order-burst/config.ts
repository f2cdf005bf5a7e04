// order-burst's configuration and plan: 50 rapid position changes with several in flight at once.
// The zod schema is the one source of the defaults; scripts/order-burst.ts imports the plan type only.
import { z } from "zod";
import type { K6Plan, PlanInput } from "../../protocol/k6-plan.ts";
import { LimitsSchema } from "../../protocol/limits.ts";

export const OrderBurstConfigSchema = z.strictObject({
  decisions: z.number().int().positive().default(50),
  concurrency: z.number().int().positive().default(8),
  symbol: z.string().default("AAPL"),
  requestTimeoutMs: z.number().int().positive().default(2000),
  minFilledPct: z.number().min(0).max(100).default(95),
  maxPnlDeltaUsd: z.number().nonnegative().default(1),
  /** The hard limits being certified (the sandbox enforces the same defaults). */
  limits: LimitsSchema.default(LimitsSchema.parse({})),
});
export type OrderBurstConfig = z.infer<typeof OrderBurstConfigSchema>;

/** No rate and no duration: the burst is a fixed number of decisions shared by `concurrency` VUs. */
export interface OrderBurstPlan extends K6Plan {
  symbol: string;
  /** Position changes to send. */
  decisions: number;
  /** Decisions in flight at once (k6 VUs sharing the iterations). */
  concurrency: number;
  requestTimeoutMs: number;
}

export function orderBurstPlan({ runId, config, target }: PlanInput<OrderBurstConfig>): OrderBurstPlan {
  return {
    scenario: "order-burst",
    runId,
    targetUrl: target.baseUrl,
    symbol: config.symbol,
    decisions: config.decisions,
    concurrency: config.concurrency,
    requestTimeoutMs: config.requestTimeoutMs,
  };
}
