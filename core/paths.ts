// Where things live: the repository root, the tool cache (outside the clone, so a fresh clone on
// the same machine reuses binaries that take minutes to build) and the runs folder.
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The node arguments that run one of this checkout's TypeScript entry points (a governor, the
 * venue), given absolute or relative to the checkout: bundled and cached by bin/run-bundled.mjs,
 * which starts in a fraction of tsx's time.
 */
export function nodeEntryArgs(entry: string): [launcher: string, entry: string] {
  return [join(REPO_ROOT, "bin", "run-bundled.mjs"), resolve(REPO_ROOT, entry)];
}

export function cacheDir(): string {
  if (process.env.GAUNTLET_CACHE_DIR) return resolve(process.env.GAUNTLET_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  return join(base, "gauntlet");
}

export function runsDir(): string {
  return resolve(process.env.GAUNTLET_RUNS_DIR ?? join(REPO_ROOT, "runs"));
}

/** The bundled k6 scripts (esbuild output); a plugin outside the repo bundles into its own folder. */
export function k6ScriptPath(name: string, dir = join(REPO_ROOT, "dist", "k6")): string {
  return join(dir, `${name}.js`);
}

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}
