// The test runner: uvu underneath (fast, small), wrapped once so that test files stay plain
// (`test(name, fn)` + assert) and the closing line is the one CI reads: "N passed, N failed".
//
//   tsx tests/run.ts                 every tier: unit, contract, integration, e2e
//   tsx tests/run.ts unit contract   only those tiers
//   tsx tests/run.ts unit lobster    only files whose name matches "lobster" in the unit tier
import { readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { run } from "uvu/run";
import { createdTempDirs } from "./support/cli.ts";

const TIERS = ["unit", "contract", "integration", "e2e"] as const;
const args = process.argv.slice(2);
const tiers = TIERS.filter((tier) => args.length === 0 || args.includes(tier));
const patterns = args.filter((arg) => !(TIERS as readonly string[]).includes(arg));
const root = resolve(import.meta.dirname, ".");

// The self-test's matrix opens the e2e tier: its latency rows are judged on this 2-core VM, which
// reads slower for minutes after heavy work (the correct flood's median 0.45 ms when rested, 0.69 ms
// seven minutes into the e2e tier), so they get the machine before the other e2e files load it.
const FIRST_IN_TIER = ["selftest.test.ts"];
const order = (file: string) => (FIRST_IN_TIER.includes(file) ? 0 : 1);
const suites = tiers.flatMap((tier) =>
  readdirSync(join(root, tier))
    .filter((file) => file.endsWith(".test.ts") && (patterns.length === 0 || patterns.some((p) => file.includes(p))))
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((file) => ({ name: `${tier}/${file}`, file: join(root, tier, file) })),
);

// uvu prints "Total: N" and "Passed: N"; keep its output and add the closing line CI reads.
// Each file's wall time is printed after it, so a slow CI run shows where its minutes went.
let total = 0;
let passed = 0;
const started = Date.now();
let current: { name: string; since: number } | undefined;
const suiteNames = new Set(suites.map((suite) => suite.name));
const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const totalMatch = /Total:\s+(\d+)/.exec(plain);
  const passedMatch = /Passed:\s+(\d+)/.exec(plain);
  if (totalMatch) total = Number(totalMatch[1]);
  if (passedMatch) passed = Number(passedMatch[1]);
  const header = plain.trim();
  if (suiteNames.has(header) || totalMatch) {
    if (current) write(`  ⏱ ${current.name}: ${elapsed(current.since)}\n`);
    current = suiteNames.has(header) ? { name: header, since: Date.now() } : undefined;
  }
  return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;

await run(suites, { bail: false });
process.stdout.write = write;
const failed = total - passed;
write(`\n${passed} passed, ${failed} failed (${suites.length} files: ${tiers.join(", ")}) in ${elapsed(started)}\n`);
if (failed > 0 || total === 0) process.exitCode = 1;
// A red run keeps its run folders (the failures name them); a green one cleans up after itself.
else if (!process.env.GAUNTLET_KEEP_TEST_RUNS) {
  for (const dir of createdTempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      write(`could not remove ${dir}: ${(error as Error).message}\n`); // tidying, not a test: the verdict stands
    }
  }
}
// Nothing a test left open (a server, a socket, a timer) may keep the runner alive: CI waits for
// the process, not for the closing line. Name what was left, then exit with the verdict.
await new Promise((resolve) => setTimeout(resolve, 200)); // let closes already under way finish
const leftOpen = process.getActiveResourcesInfo().filter((kind) => kind !== "TTYWrap" && kind !== "PipeWrap"); // not our own stdout and stderr
if (leftOpen.length > 0) write(`left open by the tests (closed by exiting): ${leftOpen.join(", ")}\n`);
process.exit(process.exitCode ?? 0);
