// Where the dependencies point (STYLE.md §10), checked on every test run from the code's own
// imports: core/ is a library that imports nothing above it, with no folder cycle inside; plugins
// reach core through its public surface; the k6 scripts import types only.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkArchitecture, cycles } from "../../tools/check-architecture.ts";

test("no rule of tools/check-architecture.ts is broken", () => {
  const report = checkArchitecture();
  assert.equal(report.violations, [], report.violations.join("\n"));
  assert.ok(report.arrows.some((arrow) => arrow.from === "cli" && arrow.to === "core"), "the composition root wires core");
  assert.not.ok(report.arrows.some((arrow) => arrow.from === "core" && ["cli", "plugins", "reports", "sandbox", "scripts"].includes(arrow.to)));
});

test("the cycle finder finds a cycle, and only a real one", () => {
  assert.equal(cycles([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]]), [["a", "b", "c"]]);
  assert.equal(cycles([["a", "b"], ["b", "c"]]), []);
});

test.run();
