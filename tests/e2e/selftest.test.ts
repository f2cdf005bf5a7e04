// `gauntlet selftest`: every gate has been seen to fail. Each seeded fault must fail the gates it
// targets — asserted by gate id — and the correct governor must pass every gate.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SelftestRecord } from "../../core/selftest/selftest.ts";
import { builtinRegistry } from "../../cli/builtin.ts";
import { startGauntlet, tempDir } from "../support/cli.ts";

test("the fault matrix: each fault trips its gates, the correct governor passes them all", async () => {
  const runs = tempDir();
  // Every row a real run, on the smoke profile (shorter cuts and windows). The rows a timing gate
  // decides (latency, throughput) run alone, the rest four at a time. Each row's verdict is echoed as it lands, so
  // a CI log shows how far the matrix got.
  const started = Date.now();
  const run = startGauntlet(["selftest", "--profile", "smoke", "--metrics-port", "0", "--lanes", "4"], { GAUNTLET_RUNS_DIR: runs }, 30 * 60_000);
  run.child.stderr!.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      // Each verdict, each retried attempt, and a run that could not be carried out.
      if (/^(\[(lane|pair) \d\] )?(selftest .+ \/ .+: |machine (settled|still busy)|.*(GAUNTLET_[A-Z_]+|Error)\b)/.test(line)) process.stdout.write(`  [${Math.round((Date.now() - started) / 1000)} s] ${line}\n`);
    }
  });
  const result = await run.done;
  process.stdout.write(`\n${result.stdout.split("\n").filter((line) => /^[✓✗ok]/.test(line) || line.includes("self-test rows")).join("\n")}\n`);
  // Without its record the matrix ended early: its own last words say why.
  const recordPath = join(runs, "selftest-latest.json");
  assert.ok(existsSync(recordPath), `gauntlet selftest exited ${result.code} without writing its record; the end of its output:\n${result.stderr.slice(-4000)}\n${result.stdout.slice(-2000)}`);
  const { rows, lanes } = JSON.parse(readFileSync(recordPath, "utf8")) as SelftestRecord;
  assert.is(lanes, 4);

  // Each row on its own profile where it names one, else on smoke (the scenario's own where it has no smoke).
  const expected = [...builtinRegistry().scenarios.values()].flatMap(({ scenario }) => {
    const matrixProfile = scenario.profiles.includes("smoke") ? "smoke" : (scenario.selftestProfile ?? scenario.defaultProfile);
    return [
      { scenario: scenario.name, seededFault: "none", mustFail: [] as string[], profile: scenario.correctGovernorProfile ?? matrixProfile },
      ...(scenario.selftest ?? []).map((c) => ({ scenario: scenario.name, ...c, profile: c.profile ?? matrixProfile })),
    ];
  });
  assert.is(rows.length, expected.length);
  for (const want of expected) {
    // A row with its own profile (a thin-book correct governor, say) is told apart by it.
    const row = rows.find((r) => r.scenario === want.scenario && r.seededFault === want.seededFault && r.profile === want.profile)!;
    assert.ok(row, `${want.scenario}/${want.seededFault} (${want.profile}) ran`);
    if (want.seededFault === "none") {
      assert.equal(row.failedGates, [], `${want.scenario}: the correct governor fails ${row.failedGates.join(", ")} (${row.runDir})`);
      assert.is(row.verdict, "pass");
    } else {
      for (const gate of want.mustFail) assert.ok(row.failedGates.includes(gate), `${want.scenario}/${want.seededFault} must fail ${gate}; failed: ${row.failedGates.join(", ")} (${row.runDir})`);
    }
  }
  assert.is(result.code, 0, result.stdout.slice(-3000));
});

test.run();
