// The plan: the one JSON value handed to a k6 script. A plain `k6 run` gets the plan Gauntlet's
// own default run would use, baked in at bundle time from the scenario's zod schema — one source
// of defaults, no copy to drift.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { builtinRegistry } from "../../cli/builtin.ts";
import { standalonePlans, STANDALONE_TARGET } from "../../cli/standalone-plans.ts";
import { k6ScriptNames, K6_OUT_DIR } from "../../esbuild.config.ts";
import { FloodConfigSchema, floodPlan } from "../../plugins/decision-flood/plan.ts";

const plans = standalonePlans(builtinRegistry());

test("every k6 script has a standalone plan, and every plan is plain JSON", () => {
  assert.equal(Object.keys(plans).sort(), k6ScriptNames());
  for (const plan of Object.values(plans)) assert.equal(JSON.parse(JSON.stringify(plan)), plan);
});

test("a plain `k6 run dist/k6/flood.js` drives the same load as Gauntlet's default quick run", () => {
  const gauntlet = floodPlan({ runId: "standalone", profile: "quick", config: FloodConfigSchema.parse({}), target: STANDALONE_TARGET });
  assert.equal(plans.flood, gauntlet);
  assert.equal((plans.flood as unknown as { rate: number; durationSeconds: number }).rate, 1000);
});

test("the bundle carries exactly that plan (GAUNTLET_DEFAULT_PLAN), and no zod", () => {
  const bundle = readFileSync(`${K6_OUT_DIR}/flood.js`, "utf8");
  assert.ok(bundle.includes(`"maxDroppedRatio": 1e-3`) || bundle.includes(`maxDroppedRatio: 1e-3`), "the flood's thresholds are in the bundle");
  assert.not.ok(/\bzod\b/.test(bundle.replace(/^\/\/.*$/gm, "")), "no Node-side code reaches k6's VM");
});

test.run();
