// `gauntlet selftest`: every gate has been seen to fail. Each seeded fault must fail the gates it
// targets — asserted by gate id — and the correct governor must pass every gate.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SelftestRow } from "../../core/selftest/selftest.ts";
import { builtinRegistry } from "../../plugins/index.ts";
import { gauntlet, tempDir } from "../support/cli.ts";

test("the fault matrix: each fault trips its gates, the correct governor passes them all", async () => {
  const runs = tempDir();
  const result = await gauntlet(["selftest", "--metrics-port", "0"], { GAUNTLET_RUNS_DIR: runs });
  process.stdout.write(`\n${result.stdout.split("\n").filter((line) => /^[✓✗ok]/.test(line) || line.includes("self-test rows")).join("\n")}\n`);
  const rows = JSON.parse(readFileSync(join(runs, "selftest-latest.json"), "utf8")) as SelftestRow[];

  const expected = [...builtinRegistry().scenarios.values()].flatMap(({ scenario }) => [
    { scenario: scenario.name, fault: "none", mustFail: [] as string[] },
    ...(scenario.selftest ?? []).map((c) => ({ scenario: scenario.name, ...c })),
  ]);
  assert.is(rows.length, expected.length);
  for (const want of expected) {
    const row = rows.find((r) => r.scenario === want.scenario && r.fault === want.fault)!;
    assert.ok(row, `${want.scenario}/${want.fault} ran`);
    if (want.fault === "none") {
      assert.equal(row.failedGates, [], `${want.scenario}: the correct governor fails ${row.failedGates.join(", ")} (${row.runDir})`);
      assert.is(row.verdict, "pass");
    } else {
      for (const gate of want.mustFail) assert.ok(row.failedGates.includes(gate), `${want.scenario}/${want.fault} must fail ${gate}; failed: ${row.failedGates.join(", ")} (${row.runDir})`);
    }
  }
  assert.is(result.code, 0, result.stdout.slice(-3000));
});

test.run();
