// The plan inside k6: the JSON file named by GAUNTLET_PLAN (written by the orchestrator), else the
// default plan the bundler baked into this script from the scenario's own zod schema (esbuild.config.ts
// defines GAUNTLET_DEFAULT_PLAN) — so a plain `k6 run` drives what a default Gauntlet run drives.
// A few -e overrides serve people running `k6 run` by hand.
import type { K6Plan } from "../../protocol/k6-plan.ts";

declare const GAUNTLET_DEFAULT_PLAN: K6Plan;

/** -e NAME=value → plan field, applied only where the plan has that field. */
const OVERRIDES: ReadonlyArray<[env: string, field: string, kind: "number" | "string"]> = [
  ["TARGET", "targetUrl", "string"],
  ["VENUE", "venueAdminUrl", "string"],
  ["RATE", "rate", "number"],
  ["DURATION", "durationSeconds", "number"],
  ["WARMUP", "warmupSeconds", "number"],
];

export function loadPlan<T extends K6Plan>(): T {
  const file = __ENV.GAUNTLET_PLAN;
  const plan = (file ? JSON.parse(open(file)) : JSON.parse(JSON.stringify(GAUNTLET_DEFAULT_PLAN))) as Record<string, unknown>;
  for (const [env, field, kind] of OVERRIDES) {
    const value = __ENV[env];
    if (value !== undefined && field in plan) plan[field] = kind === "number" ? Number(value) : value;
  }
  return plan as unknown as T;
}
