// Where the dependencies point (STYLE.md §10), checked on every test run from the code's own
// imports: core/ is a library that imports nothing above it, with no folder cycle inside; plugins
// reach core through its public surface; the k6 scripts import types only (and plain values from a
// protocol/ file that imports nothing).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkArchitecture, cycles } from "../../tools/check-architecture.ts";

test("no rule of tools/check-architecture.ts is broken", () => {
  const report = checkArchitecture();
  assert.equal(report.violations, [], report.violations.join("\n"));
  assert.ok(report.arrows.some((arrow) => arrow.from === "cli" && arrow.to === "core"), "the composition root wires core");
  assert.not.ok(report.arrows.some((arrow) => arrow.from === "core" && ["cli", "plugins", "reports", "sandbox", "scripts"].includes(arrow.to)));
});

test("a k6 script may take values from a protocol/ file only when that file imports nothing", () => {
  const root = mkdtempSync(join(tmpdir(), "gauntlet-architecture-"));
  try {
    mkdirSync(join(root, "scripts"));
    mkdirSync(join(root, "protocol"));
    writeFileSync(join(root, "protocol/names.ts"), 'export const NAME = "gauntlet_x";\n');
    writeFileSync(join(root, "protocol/shapes.ts"), 'import { z } from "zod";\nexport const Shape = z.string();\n');
    writeFileSync(join(root, "protocol/types.ts"), "export interface Plan { rate: number }\n");
    writeFileSync(join(root, "scripts/flood.ts"), 'import { NAME } from "../protocol/names.ts";\nimport { Shape } from "../protocol/shapes.ts";\nimport type { Plan } from "../protocol/types.ts";\n');
    assert.equal(checkArchitecture(root).violations, [
      "scripts/flood.ts → protocol/shapes.ts: a k6 script imports no values from Node code (use `import type`, or a protocol/ file that imports nothing)",
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the cycle finder finds a cycle, and only a real one", () => {
  assert.equal(cycles([["a", "b"], ["b", "c"], ["c", "a"], ["c", "d"]]), [["a", "b", "c"]]);
  assert.equal(cycles([["a", "b"], ["b", "c"]]), []);
});

test.run();
