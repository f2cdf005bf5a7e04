import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_FLOOD_PLAN, type FloodPlan } from "../../core/plan.ts";
import type { TargetHandle } from "../../core/plugins/contracts.ts";
import { FloodConfigSchema } from "../../plugins/decision-flood/config.ts";
import { builtinRegistry } from "../../plugins/index.ts";

const DEFAULTS = FloodConfigSchema.parse({});

/** The plan Gauntlet itself would hand k6 for the default quick run against the sandbox. */
function gauntletPlan(): FloodPlan {
  const { scenario } = builtinRegistry().scenario("decision-flood");
  const target = { name: "sandbox", baseUrl: "http://127.0.0.1:7300", stop: async () => {} } satisfies TargetHandle;
  const planned = scenario.prepare({ runId: "standalone", runDir: "/nonexistent", profile: "quick", target, config: DEFAULTS, events: undefined as never, live: undefined as never });
  return planned.plan as unknown as FloodPlan;
}

test("DEFAULT_FLOOD_PLAN is plain JSON: it round-trips unchanged", () => {
  const text = JSON.stringify(DEFAULT_FLOOD_PLAN);
  assert.equal(JSON.parse(text), DEFAULT_FLOOD_PLAN);
  assert.is(JSON.stringify(JSON.parse(text)), text);
});

test("a plain `k6 run` judges with Gauntlet's default thresholds", () => {
  const t = DEFAULTS.thresholds;
  assert.equal(DEFAULT_FLOOD_PLAN.thresholds, {
    p99Ms: t.p99Ms,
    p95Ms: t.p95Ms,
    meanMs: t.meanMs,
    maxErrorRate: t.maxErrorRate,
    maxDroppedIterations: Math.floor(DEFAULTS.rate * DEFAULTS.profiles.quick * t.maxDroppedRatio),
  });
});

test("a plain `k6 run` drives the same load as Gauntlet's default quick run", () => {
  assert.equal(DEFAULT_FLOOD_PLAN, gauntletPlan());
});

test.run();
