// Builds what k6 runs: every scripts/<name>.ts becomes one plain ES module in dist/k6/<name>.js
// (k6's own modules stay external), with the script's standalone plan baked in as
// GAUNTLET_DEFAULT_PLAN, plus the observation file the scripts open(). Scripts are found by
// convention — a new one needs no list entry. Run with `npm run build`; `gauntlet setup` runs it
// too (both through cli/bundle.ts, which knows the scenarios). Type-checking is tsc's job
// (`npm run typecheck`).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { LOBSTER_AAPL } from "./data/bundled-samples.ts";
import { buildObservations } from "./data/observations.ts";
import { openLobster } from "./data/readers/lobster.ts";
import { REPO_ROOT } from "./core/paths.ts";

export const K6_SCRIPTS_DIR = join(REPO_ROOT, "scripts");
export const K6_OUT_DIR = join(REPO_ROOT, "dist", "k6");

/** Every `<name>.ts` directly in the scripts folder is a k6 script; lib/ holds what they share. */
export function k6ScriptNames(dir = K6_SCRIPTS_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -3))
    .sort();
}

export interface BundleOptions {
  /** Each script's standalone plan, by script name (cli/standalone-plans.ts). */
  defaultPlans: Record<string, unknown>;
  scriptsDir?: string;
  outDir?: string;
}

/** Bundles every script of `scriptsDir` into `outDir`; returns the bundles written. */
export async function buildK6Scripts(options: BundleOptions): Promise<string[]> {
  const scriptsDir = options.scriptsDir ?? K6_SCRIPTS_DIR;
  const outDir = options.outDir ?? K6_OUT_DIR;
  mkdirSync(outDir, { recursive: true });
  const names = k6ScriptNames(scriptsDir);
  const orphans = names.filter((name) => !(name in options.defaultPlans));
  if (orphans.length) {
    throw new Error(`${orphans.map((name) => join(scriptsDir, `${name}.ts`)).join(", ")}: no registered scenario uses this script, so it has no plan to run with`);
  }
  // One build per script: each gets its own plan in `define`.
  await Promise.all(
    names.map((name) =>
      build({
        entryPoints: [join(scriptsDir, `${name}.ts`)],
        outfile: join(outDir, `${name}.js`),
        bundle: true,
        format: "esm",
        platform: "browser",
        target: "es2020",
        external: ["k6", "k6/*"],
        logLevel: "warning",
        define: { GAUNTLET_DEFAULT_PLAN: JSON.stringify(options.defaultPlans[name]) },
        banner: { js: "// Built by Gauntlet (esbuild.config.ts) from scripts/. Edit the TypeScript, not this file." },
      }),
    ),
  );
  const observations = join(outDir, "observations.json");
  if (outDir === K6_OUT_DIR || !existsSync(observations)) {
    const lobster = { messageFile: join(REPO_ROOT, LOBSTER_AAPL.messageFile), orderbookFile: join(REPO_ROOT, LOBSTER_AAPL.orderbookFile) };
    writeFileSync(observations, JSON.stringify(await buildObservations(openLobster(lobster), LOBSTER_AAPL.symbol, LOBSTER_AAPL.description)));
  }
  return names.map((name) => join(outDir, `${name}.js`));
}
