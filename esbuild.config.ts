// Builds what k6 runs: each scripts/<name>.ts becomes one plain ES module in dist/k6/<name>.js
// (k6's own modules stay external), plus the observation file the scripts open(). Run with
// `npm run build`; `gauntlet setup` runs it too. Type-checking is tsc's job (`npm run typecheck`).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { buildObservations } from "./data/observations.ts";
import { openLobster } from "./data/readers/lobster.ts";
import { REPO_ROOT } from "./core/paths.ts";

export const K6_SCRIPTS = ["flood", "order-burst", "flash-crash", "steady"] as const;
export const K6_OUT_DIR = join(REPO_ROOT, "dist", "k6");

export const LOBSTER_SAMPLE = {
  messageFile: join(REPO_ROOT, "data/samples/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv"),
  orderbookFile: join(REPO_ROOT, "data/samples/lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv"),
};

export async function buildK6Scripts(): Promise<void> {
  mkdirSync(K6_OUT_DIR, { recursive: true });
  await build({
    entryPoints: K6_SCRIPTS.map((name) => join(REPO_ROOT, "scripts", `${name}.ts`)),
    outdir: K6_OUT_DIR,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    external: ["k6", "k6/*"],
    logLevel: "warning",
    banner: { js: "// Built by Gauntlet (esbuild.config.ts) from scripts/. Edit the TypeScript, not this file." },
  });
  const observations = await buildObservations(openLobster(LOBSTER_SAMPLE), "AAPL", "LOBSTER AAPL 2012-06-21 (level 10)");
  writeFileSync(join(K6_OUT_DIR, "observations.json"), JSON.stringify(observations));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await buildK6Scripts();
  console.log(`built ${K6_SCRIPTS.map((name) => `dist/k6/${name}.js`).join(", ")} and dist/k6/observations.json`);
}
