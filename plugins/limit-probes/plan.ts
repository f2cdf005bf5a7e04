// The limit probes' configuration and plan. The zod schema is the one source of the defaults;
// scripts/limit-probe.ts imports the plan type only.
import { z } from "zod";
import type { K6Plan, PlanInput } from "../../protocol/k6-plan.ts";
import { LimitsSchema } from "../../protocol/limits.ts";
import type { Burst, Probe } from "./probes.ts";

export const LimitProbeConfigSchema = z.strictObject({
  symbol: z.string().default("AAPL"),
  requestTimeoutMs: z.number().int().positive().default(2000),
  /** The requirements' limits; each probe tightens some of them (probes.ts). */
  limits: LimitsSchema.default(LimitsSchema.parse({})),
  /**
   * How close to its limit a probe must bring the governor for "held" to mean anything, % of the
   * limit. Below it the limit was not exercised: the gate says so and is not judged a pass.
   */
  minPressurePct: z.number().min(0).max(100).default(80),
});
export type LimitProbeConfig = z.infer<typeof LimitProbeConfigSchema>;

export interface LimitProbePlan extends K6Plan {
  symbol: string;
  requestTimeoutMs: number;
  burst: Burst;
  /** The decline's pressure phase, on the venue's replay clock (setup() starts the replay). */
  decline?: { startSeconds: number; seconds: number; rate: number; afterSeconds: number };
  venueAdminUrl?: string;
}

export function limitProbePlan(probe: Probe) {
  return ({ runId, config, target }: PlanInput<LimitProbeConfig>): LimitProbePlan => ({
    scenario: probe.name,
    runId,
    targetUrl: target.baseUrl,
    symbol: config.symbol,
    requestTimeoutMs: config.requestTimeoutMs,
    burst: probe.burst,
    ...(probe.decline
      ? {
          decline: { startSeconds: probe.decline.startSeconds, seconds: probe.decline.seconds, rate: probe.decline.rate, afterSeconds: probe.decline.afterSeconds },
          venueAdminUrl: target.venueAdminUrl,
        }
      : {}),
  });
}

/** How long a probe drives: the burst (a few seconds at most), or the burst and the decline. */
export function probeSeconds(plan: LimitProbePlan): number {
  return plan.decline ? plan.decline.startSeconds + plan.decline.seconds + plan.decline.afterSeconds : 5;
}
