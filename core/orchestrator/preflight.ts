// Pre-flight guards: tools present and versioned, system binaries there, data available, ports
// free, resources sufficient. `gauntlet doctor` prints all of them; `gauntlet run` stops at the
// first that fails, with the fix.
import { existsSync, statfsSync } from "node:fs";
import { freemem } from "node:os";
import { REQUIRED_SAMPLE_FILES } from "../../data/bundled-samples.ts";
import { GauntletError } from "../errors.ts";
import { k6ScriptPath, repoPath, runsDir } from "../paths.ts";
import { runCommand } from "../process/child-process.ts";
import { isPortFree } from "../process/ports.ts";
import { findTool } from "../tools/tools.ts";
import { findChromium, findPostgresBin, findRedisServer } from "../tools/system-packages.ts";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** A failed optional check is reported but does not stop a run. */
  optional?: boolean;
}

const MIN_FREE_MEMORY = 1 << 30;
const MIN_FREE_DISK = 2 * (1 << 30);
const MIN_OPEN_FILES = 4096;

const SAMPLE_FILES = REQUIRED_SAMPLE_FILES;

async function toolCheck(name: "k6" | "toxiproxy"): Promise<Check> {
  const found = await findTool(name).catch((error: unknown) => error as Error);
  const label = name === "k6" ? "k6" : "toxiproxy-server";
  if (found instanceof Error) return { name: label, ok: false, detail: found.message, fix: "Fix the path in the environment variable, or unset it." };
  if (!found) return { name: label, ok: false, detail: "not found", fix: "Run `gauntlet setup` (builds it with Go), or install it on PATH." };
  const extensions = found.extensions.length ? `, with ${found.extensions.join(", ")}` : name === "k6" ? ", no Gauntlet output: runs write k6's CSV" : "";
  return { name: label, ok: true, detail: `v${found.version} (${found.origin}: ${found.path}${extensions})` };
}

export async function preflightChecks(options: { metricsPort?: number; scripts?: string[]; scriptsDir?: string } = {}): Promise<Check[]> {
  const checks: Check[] = [];
  const major = Number(process.versions.node.split(".")[0]);
  checks.push({ name: "node", ok: major >= 20, detail: `v${process.versions.node}`, fix: "Install Node.js 20 or newer." });
  checks.push(await toolCheck("k6"), await toolCheck("toxiproxy"));

  const redis = findRedisServer();
  checks.push({ name: "redis-server", ok: Boolean(redis), detail: redis ?? "not found", fix: "Run `gauntlet setup` (apt-get install redis-server)." });
  const pg = findPostgresBin();
  checks.push({ name: "postgresql", ok: Boolean(pg), detail: pg ? `${pg.version} (${pg.dir})` : "not found", fix: "Run `gauntlet setup` (apt-get install postgresql)." });
  if (process.getuid?.() === 0) {
    const user = await runCommand("id", ["-u", "postgres"]);
    checks.push({ name: "postgres user (running as root)", ok: user.code === 0, detail: user.code === 0 ? "present" : "missing", fix: "Install Debian's postgresql package, which creates it." });
  }
  const chromium = findChromium();
  checks.push({ name: "chromium (report checks)", ok: Boolean(chromium), detail: chromium ?? "not found", fix: "Run `gauntlet setup --with-browser`.", optional: true });

  for (const script of options.scripts ?? ["flood"]) {
    const path = k6ScriptPath(script, options.scriptsDir);
    checks.push({ name: `k6 script ${script}`, ok: existsSync(path), detail: existsSync(path) ? path : "not built", fix: "Run `npm run build` (or `gauntlet setup`)." });
  }
  const missing = SAMPLE_FILES.filter((file) => !existsSync(repoPath(file)));
  checks.push({ name: "market data samples", ok: missing.length === 0, detail: missing.length ? `missing ${missing.join(", ")}` : `${SAMPLE_FILES.length} files`, fix: "Restore data/samples from the repository." });

  if (options.metricsPort) {
    const free = await isPortFree(options.metricsPort, "0.0.0.0");
    checks.push({ name: `port ${options.metricsPort} (live metrics)`, ok: free, detail: free ? "free" : "in use", fix: "Stop what listens there or pass --metrics-port." });
  }
  const limit = await runCommand("sh", ["-c", "ulimit -n"]);
  const files = limit.stdout.trim() === "unlimited" ? Infinity : Number(limit.stdout.trim());
  checks.push({ name: "open-file limit", ok: files >= MIN_OPEN_FILES, detail: String(files), fix: `Raise it: ulimit -n ${MIN_OPEN_FILES} (k6 holds one socket per VU).` });
  const memory = freemem();
  checks.push({ name: "free memory", ok: memory >= MIN_FREE_MEMORY, detail: `${(memory / 2 ** 30).toFixed(1)} GiB`, fix: "Free at least 1 GiB." });
  const fs = statfsSync(existsSync(runsDir()) ? runsDir() : repoPath());
  const disk = fs.bavail * fs.bsize;
  checks.push({ name: "free disk (runs/)", ok: disk >= MIN_FREE_DISK, detail: `${(disk / 2 ** 30).toFixed(1)} GiB`, fix: "A 10-minute run writes ~1 GB of k6 samples; free at least 2 GiB." });
  return checks;
}

/** For `gauntlet run`: stop at the first failed (non-optional) guard. */
export function requirePreflight(checks: Check[]): void {
  const failed = checks.find((check) => !check.ok && !check.optional);
  if (failed) {
    throw new GauntletError("GAUNTLET_PREFLIGHT_FAILED", `${failed.name}: ${failed.detail}`, { hint: failed.fix ?? "Run `gauntlet doctor`." });
  }
}
