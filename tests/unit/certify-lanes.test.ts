// How a certification lays out one pass of the suite in lanes: a scenario whose load takes a core
// runs alone, the lighter ones before it go first, the rest share batches of up to `lanes`; and a
// target that is one instance (a URL) refuses lanes before any service starts.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CORE_SUITE, certify, planPass } from "../../core/certify/certification.ts";
import { isGauntletError } from "../../core/errors.ts";
import { builtinRegistry } from "../../cli/builtin.ts";

const takesACore = (scenario: string) => scenario === "decision-flood";

test("one lane: every scenario in its own batch, in the suite's order", () => {
  assert.equal(planPass(CORE_SUITE, 1, takesACore), CORE_SUITE.map((scenario) => [scenario]));
});

test("three lanes: the order burst first, the flood alone, the light drills three at a time", () => {
  assert.equal(planPass(CORE_SUITE, 3, takesACore), [["order-burst"], ["decision-flood"], ["flash-crash", "broker-failure", "hard-kill"], ["state-faults"]]);
});

test("two lanes: pairs, and an odd one out at the end", () => {
  assert.equal(planPass(CORE_SUITE, 2, takesACore), [["order-burst"], ["decision-flood"], ["flash-crash", "broker-failure"], ["hard-kill", "state-faults"]]);
  assert.equal(planPass(["a", "b", "c"], 2, () => false), [["a", "b"], ["c"]]);
});

test("the plan is built from the scenarios' own runsAlone: only the flood takes a core", () => {
  const registry = builtinRegistry();
  const alone = CORE_SUITE.filter((scenario) => registry.scenario(scenario).scenario.runsAlone === true);
  assert.equal(alone, ["decision-flood"]);
});

test("lanes on a governor at a URL: a usage error naming the flag, before any service starts", async () => {
  const registry = builtinRegistry();
  try {
    await certify({ registry, target: "external", targetOptions: { url: "http://127.0.0.1:9" }, runs: 1, profile: "smoke", keepGoing: false, metricsPort: 0, lanes: 2 });
    assert.unreachable("certify accepted lanes on a URL target");
  } catch (error) {
    assert.ok(isGauntletError(error) && error.code === "GAUNTLET_USAGE", String(error));
    assert.match((error as Error).message, "--lanes 2 needs a target Gauntlet starts for every run");
  }
});

test.run();
