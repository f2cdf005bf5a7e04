// limit-property's verdicts from a search's result: a shrunk counterexample fails the gate and is
// printed with its seed; a search that never pressed the cap is "not exercised", never a pass.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeSequence } from "../../plugins/limit-property/search.ts";
import { builtinRegistry } from "../../cli/builtin.ts";
import type { Evidence } from "../../core/index.ts";

function judgeWith(result: unknown) {
  const { scenario } = builtinRegistry().scenario("limit-property");
  return scenario.judge({} as Evidence, {} as never, result) as { gates: Array<{ status: string; detail: string }>; notes: string[] };
}

const base = { seed: 7, sequences: 40, numRuns: 25, numShrinks: 0, interrupted: false, fills: 900, maxNotionalPressurePct: 99.8 };

test("a sequence is printed as its batches", () => {
  assert.is(describeSequence([{ action: 4, size: 12 }, { action: 1, size: 1 }]), "[12× buy hard] [1× sell]");
});

test("a shrunk counterexample fails the gate; the note gives the sequence, the breach and the seed", () => {
  const breach = { limit: "maxPositionNotionalUsd", at: 1, fillId: "F13", clientOrderId: "O13", value: 549.5, limitValue: 500, reducesRisk: false };
  const judged = judgeWith({ ...base, numShrinks: 31, counterexample: { batches: [{ action: 4, size: 12 }], outcome: { fills: 12, breaches: [breach], notionalPressurePct: 110 } } });
  assert.is(judged.gates[0]!.status, "fail");
  assert.match(judged.gates[0]!.detail, /shrunk to 1 batch\(es\): \[12× buy hard\] → maxPositionNotionalUsd 549\.5 > 500 at F13/);
  assert.match(judged.notes[0]!, /seed 7, 31 shrinks\): \[12× buy hard\].*--set limit-property\.seed=7/);
});

test("no breach is a pass only when the cap was pressed; otherwise not exercised", () => {
  assert.is(judgeWith(base).gates[0]!.status, "pass");
  const idle = judgeWith({ ...base, maxNotionalPressurePct: 40 });
  assert.is(idle.gates[0]!.status, "no-data");
  assert.match(idle.gates[0]!.detail, /not exercised/);
  assert.is(judgeWith(undefined).gates[0]!.status, "no-data");
});

test.run();
