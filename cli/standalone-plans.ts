// What a plain `k6 run dist/k6/<script>.js` drives: each script's plan, built at bundle time from
// the defaults of the first registered scenario that uses it, against `gauntlet sandbox up`. The
// scenario's zod schema stays the one source of those numbers.
import type { K6Plan, PlanTarget } from "../protocol/k6-plan.ts";
import type { Registry } from "../core/plugins/registry.ts";

/** Where `gauntlet sandbox up` listens by default. */
export const STANDALONE_TARGET: PlanTarget = { baseUrl: "http://127.0.0.1:7300", venueAdminUrl: "http://127.0.0.1:7301" };

export function standalonePlans(registry: Registry): Record<string, K6Plan> {
  const plans: Record<string, K6Plan> = {};
  for (const { scenario, config } of registry.scenarios.values()) {
    if (plans[scenario.script]) continue;
    plans[scenario.script] = scenario.plan({ runId: "standalone", profile: scenario.defaultProfile, config, target: STANDALONE_TARGET });
  }
  return plans;
}
