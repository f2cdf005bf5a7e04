// The steady load's settings and plan: decisions at a fixed rate with a repeating pattern of
// proposed actions. Each drill spreads these fields, with its own defaults, into its config schema
// (the one source of its defaults); scripts/steady.ts imports the SteadyPlan type only.
import { z } from "zod";
import type { K6Plan, PlanInput } from "../../protocol/k6-plan.ts";

export interface SteadyLoad {
  symbol: string;
  /** Decisions per second (open model). */
  rate: number;
  durationSeconds: number;
  /** Proposed actions, cycled (0 sell hard … 4 buy hard). */
  actions: number[];
  preAllocatedVUs: number;
  maxVUs: number;
  requestTimeoutMs: number;
}

/** The steady load's settings as zod fields, with a drill's own defaults: spread into its config schema. */
export function steadyLoadFields(defaults: Partial<SteadyLoad> = {}) {
  return {
    symbol: z.string().default(defaults.symbol ?? "AAPL"),
    rate: z.number().int().positive().default(defaults.rate ?? 50),
    /** The quick profile's length; the smoke profile has its own (`smoke`). */
    durationSeconds: z.number().int().positive().default(defaults.durationSeconds ?? 60),
    actions: z.array(z.number().int().min(0).max(4)).min(1).default(defaults.actions ?? [4, 0, 3, 1, 4, 1, 0, 3]),
    preAllocatedVUs: z.number().int().positive().default(defaults.preAllocatedVUs ?? 20),
    maxVUs: z.number().int().positive().default(defaults.maxVUs ?? 200),
    requestTimeoutMs: z.number().int().positive().default(defaults.requestTimeoutMs ?? 2000),
  };
}

/** What scripts/steady.ts receives. */
export interface SteadyPlan extends K6Plan, SteadyLoad {}

export function steadyPlan(scenario: string, { runId, config, target }: PlanInput<SteadyLoad>): SteadyPlan {
  const { symbol, rate, durationSeconds, actions, preAllocatedVUs, maxVUs, requestTimeoutMs } = config;
  return { scenario, runId, targetUrl: target.baseUrl, symbol, rate, durationSeconds, actions, preAllocatedVUs, maxVUs, requestTimeoutMs };
}
