// `gauntlet setup`: idempotent, and called by both README commands. Installs what is missing
// (Debian packages when we may), finds or builds the pinned k6 and Toxiproxy into the cache
// outside the clone, and bundles the k6 scripts.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { log } from "../core/log.ts";
import { REPO_ROOT } from "../core/paths.ts";
import { aptInstall, findChromium, findPostgresBin, findRedisServer } from "../core/tools/system-packages.ts";
import { ensureTool, type ResolvedTool } from "../core/tools/tools.ts";
import { buildK6Scripts, K6_OUT_DIR, k6ScriptNames } from "../esbuild.config.ts";
import { builtinRegistry } from "./builtin.ts";
import { standalonePlans } from "./standalone-plans.ts";

export interface SetupOptions {
  withBrowser: boolean;
  quiet: boolean;
  /** "always" for `gauntlet setup`; "when-stale" before a run: rebundling under a running k6 could hand it a half-written script. */
  bundle?: "always" | "when-stale";
}

export async function runSetup(options: SetupOptions): Promise<{ k6: ResolvedTool; toxiproxy: ResolvedTool }> {
  const say = (line: string) => (options.quiet ? log.debug(line) : log.info(line));
  const progress = (line: string) => log.info(line); // builds take minutes: always show progress

  const packages: string[] = [];
  if (!findRedisServer()) packages.push("redis-server");
  if (!findPostgresBin()) packages.push("postgresql");
  if (options.withBrowser && !findChromium()) packages.push("chromium");
  if (packages.length > 0) await aptInstall(packages, progress);

  const k6 = await ensureTool("k6", progress);
  const toxiproxy = await ensureTool("toxiproxy", progress);
  say(`k6 v${k6.version} (${k6.origin}) · toxiproxy-server v${toxiproxy.version} (${toxiproxy.origin})`);

  const outputs = [...k6ScriptNames().map((name) => join(K6_OUT_DIR, `${name}.js`)), join(K6_OUT_DIR, "observations.json")];
  const oldestOutput = Math.min(...outputs.map((file) => (existsSync(file) ? statSync(file).mtimeMs : 0)));
  if (options.bundle !== "when-stale" || oldestOutput < newestSourceMs()) {
    await buildK6Scripts({ defaultPlans: standalonePlans(builtinRegistry()) });
    say("k6 scripts bundled into dist/k6/");
  }
  return { k6, toxiproxy };
}

/**
 * The set-up every command that runs something does first, so that the README's first command
 * works on a fresh clone: silent when everything is there (tools cached, scripts bundled), with
 * progress when it has to install or build.
 */
export async function ensureSetup(): Promise<void> {
  await runSetup({ withBrowser: false, quiet: true, bundle: "when-stale" });
}

/** The newest modification among what the bundles are built from. */
function newestSourceMs(): number {
  // The bundles carry the scripts, the data they open and the standalone plans (plugins' schemas).
  const roots = ["scripts", "data", "plugins", "protocol", "esbuild.config.ts"].map((root) => join(REPO_ROOT, root));
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const root of roots) if (existsSync(root)) visit(root);
  return newest;
}
