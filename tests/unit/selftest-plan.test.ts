// Which self-test rows may share the machine: a row a timing gate decides runs alone (the correct
// governor of a scenario with timing gates; a seeded fault that must trip one), every other row
// shares it. A wrong split would let one lane's CPU fail another's latency gate, or prove a
// latency gate "can fail" with a fault that only slowed the machine.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { builtinRegistry } from "../../cli/builtin.ts";
import { planMatrix } from "../../core/selftest/selftest.ts";

const rows = planMatrix({ registry: builtinRegistry(), profile: "smoke" });
const alone = (scenario: string, seededFault: string) => {
  const row = rows.find((r) => r.scenario === scenario && r.seededFault === seededFault);
  assert.ok(row, `${scenario}/${seededFault} is in the matrix`);
  return row!.alone;
};

test("the correct governor runs alone where the scenario has timing gates, and shares the machine where it has none", () => {
  for (const scenario of ["decision-flood", "flash-crash", "state-faults", "broker-failure"]) assert.ok(alone(scenario, "none"), scenario);
  for (const scenario of ["order-burst", "hard-kill", "venue-faults", "limit-notional"]) assert.not.ok(alone(scenario, "none"), scenario);
  // broker-failure's seeded rows share the machine unless they must fail positions_held.
  assert.ok(alone("broker-failure", "panic-sells-on-disconnect"));
  assert.not.ok(alone("broker-failure", "drops-queue"));
});

test("a seeded fault runs alone when one of the gates it must fail is a timing gate, or its scenario's load takes a core", () => {
  assert.not.ok(alone("flash-crash", "never-flattens"));
  assert.not.ok(alone("flash-crash", "ignore-notional-cap"));
  assert.not.ok(alone("state-faults", "ledger-drops-on-error"));
  // decision-flood runs alone whatever the gate: error-burst fails error_rate, not a timing gate.
  for (const fault of ["slow-path", "history-scan", "event-loop-stall", "stalled-exporter", "error-burst", "memory-leak"]) assert.ok(alone("decision-flood", fault), fault);
});

test("rows run alone on a light load go two at a time; the flood's, whose load takes a core, never do", () => {
  const paired = (scenario: string, seededFault: string) => rows.find((r) => r.scenario === scenario && r.seededFault === seededFault)!.paired;
  for (const fault of ["none", "slow-path", "history-scan", "event-loop-stall", "stalled-exporter", "error-burst", "memory-leak"]) assert.not.ok(paired("decision-flood", fault), fault);
  for (const [scenario, fault] of [["flash-crash", "none"], ["broker-failure", "none"], ["broker-failure", "panic-sells-on-disconnect"], ["state-faults", "none"]] as const) assert.ok(paired(scenario, fault), `${scenario}/${fault}`);
  // Only rows run alone are paired: the shared lanes' rows are not.
  assert.ok(rows.filter((r) => r.paired).every((r) => r.alone));
});

test("the matrix keeps its order and every row once", () => {
  assert.equal(rows.map((r) => r.index), rows.map((_, i) => i));
  assert.is(new Set(rows.map((r) => `${r.scenario}/${r.seededFault}/${r.profile}`)).size, rows.length);
});

test.run();
