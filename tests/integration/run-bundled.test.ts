// bin/run-bundled.mjs, which starts the CLI, the governor, the exporter, the venue and the analysis
// threads: on a small tree of its own (a copy of the launcher, this checkout's node_modules), an
// entry runs from its cached bundle, keeps its modules' own import.meta, and is rebuilt the moment
// one of its sources changes — a stale bundle would run code that is no longer in the checkout.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../core/paths.ts";
import { tempDir } from "../support/cli.ts";

function tree(): string {
  const root = tempDir("gauntlet-run-bundled-");
  mkdirSync(join(root, "bin"));
  mkdirSync(join(root, "lib"));
  copyFileSync(join(REPO_ROOT, "bin", "run-bundled.mjs"), join(root, "bin", "run-bundled.mjs"));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(root, "node_modules"));
  writeFileSync(join(root, "main.ts"), `import { answer, where } from "./lib/answer.ts";\nconst args: string[] = process.argv.slice(2);\nconsole.log(JSON.stringify({ answer, where, here: import.meta.dirname, argv1: process.argv[1], args }));\n`);
  writeFileSync(join(root, "lib", "answer.ts"), `export const answer: number = 41;\nexport const where = import.meta.dirname;\n`);
  return root;
}

function run(root: string, cwd = root): { answer: number; where: string; here: string; argv1: string; args: string[] } {
  const result = spawnSync(process.execPath, [join(root, "bin", "run-bundled.mjs"), join(root, "main.ts"), "--flag", "x"], { cwd, encoding: "utf8" });
  assert.is(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim());
}

test("an entry runs from its bundle with its own import.meta and its arguments, from any working directory", () => {
  const root = tree();
  const first = run(root, tempDir());
  assert.equal(first, { answer: 41, where: join(root, "lib"), here: root, argv1: join(root, "main.ts"), args: ["--flag", "x"] });
  const bundle = join(root, "dist", "node", "main.mjs");
  assert.ok(statSync(bundle).size > 0, "the bundle is cached in dist/node/");
  // The second start takes the cached bundle as it is.
  const builtAt = statSync(bundle).mtimeMs;
  assert.equal(run(root), first);
  assert.is(statSync(bundle).mtimeMs, builtAt, "not rebuilt when nothing changed");
});

test("a source changed after the bundle was built is never run stale: same size, only a newer mtime, still rebuilt", () => {
  const root = tree();
  assert.is(run(root).answer, 41);
  // Same length as before, so only the mtime tells the change.
  writeFileSync(join(root, "lib", "answer.ts"), `export const answer: number = 42;\nexport const where = import.meta.dirname;\n`);
  const later = new Date(Date.now() + 5_000);
  utimesSync(join(root, "lib", "answer.ts"), later, later);
  assert.is(run(root).answer, 42);
});

test.run();
