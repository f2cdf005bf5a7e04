import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ERRORS, errorTableMarkdown, EXIT, GauntletError, isGauntletError, type ErrorCode } from "../../core/errors.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCE_DIRS = ["core", "plugins", "sandbox", "data", "reports"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" ? [] : sourceFiles(full);
    return /\.(ts|mts|mjs|js)$/.test(name) ? [full] : [];
  });
}

/** Every `new GauntletError("CODE"` in the sources, the code possibly on the next line. */
function thrownCodes(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(path.join(root, dir))) {
      for (const match of readFileSync(file, "utf8").matchAll(/new GauntletError\(\s*["'`]([A-Za-z0-9_]+)["'`]/g)) {
        const where = found.get(match[1]!) ?? [];
        where.push(path.relative(root, file));
        found.set(match[1]!, where);
      }
    }
  }
  return found;
}

test("docs/errors.md is the generated table", () => {
  assert.fixture(readFileSync(path.join(root, "docs/errors.md"), "utf8"), errorTableMarkdown(), "docs/errors.md drifted: regenerate it with `gauntlet errors --markdown > docs/errors.md`");
});

test("every code has a title, a hint and an exit code of 0, 1 or 2", () => {
  for (const [code, spec] of Object.entries(ERRORS)) {
    assert.match(code, /^GAUNTLET_[A-Z0-9_]+$/);
    assert.ok(spec.title.trim().length > 0, `${code} has no title`);
    assert.ok(spec.hint.trim().length > 0, `${code} has no hint`);
    assert.ok(([EXIT.pass, EXIT.gateFailed, EXIT.couldNotJudge] as number[]).includes(spec.exit), `${code} exit ${spec.exit}`);
  }
});

test("every row of the table has four cells (a | in a hint is escaped)", () => {
  const rows = errorTableMarkdown().split("\n").filter((line) => line.startsWith("| `"));
  assert.is(rows.length, Object.keys(ERRORS).length);
  for (const row of rows) assert.is(row.split(/(?<!\\)\|/).length - 2, 4, row);
});

test("every code thrown in core/, plugins/, sandbox/, data/ and reports/ is in the table", () => {
  const thrown = thrownCodes();
  assert.ok(thrown.size >= 10, `only ${thrown.size} codes found: is the search still looking in the right places?`);
  assert.ok(thrown.has("GAUNTLET_SERVICE_START_FAILED"), "a code given on the line after `new GauntletError(` is found");
  for (const [code, files] of thrown) assert.ok(code in ERRORS, `${code} (thrown in ${files.join(", ")}) is not in core/errors.ts`);
});

test("a GauntletError carries its code, the table's hint and exit code, and prints as two lines", () => {
  const error = new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", "k6.csv: line 3 is truncated");
  assert.ok(isGauntletError(error));
  assert.not.ok(isGauntletError(new Error("x")));
  assert.is(error.exitCode, 2);
  assert.is(error.hint, ERRORS.GAUNTLET_K6_OUTPUT_INVALID.hint);
  assert.is(error.format(), `GAUNTLET_K6_OUTPUT_INVALID — k6.csv: line 3 is truncated\n  Hint: ${ERRORS.GAUNTLET_K6_OUTPUT_INVALID.hint}`);
  const custom = new GauntletError("GAUNTLET_PORT_IN_USE" satisfies ErrorCode, "port 8000 is taken", { hint: "Use --metrics-port.", cause: new Error("EADDRINUSE") });
  assert.is(custom.hint, "Use --metrics-port.");
  assert.instance(custom.cause, Error);
});

test.run();
