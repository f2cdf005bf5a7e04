// Finding k6 and toxiproxy-server: an explicit path (GAUNTLET_K6 / GAUNTLET_TOXIPROXY), then PATH
// when it is on the pinned major line, then the cache, and finally a build from the pinned Go
// module. Builds go to a temporary name and are renamed into place, so an interrupted build
// never leaves a half-written binary that a later run would trust.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import { GauntletError } from "../errors.ts";
import { log } from "../log.ts";
import { cacheDir, repoPath } from "../paths.ts";
import { runCommand } from "../process/child-process.ts";
import { PINS, type PinnedTool } from "./pins.ts";

export interface ResolvedTool {
  name: PinnedTool;
  path: string;
  version: string;
  origin: "env" | "path" | "cache" | "built";
  /** The extensions linked in, as `k6 version` lists them: "output:gauntlet", … (none for Toxiproxy). */
  extensions: string[];
}

const BINARY: Record<PinnedTool, { exe: string; env: string; versionArgs: string[]; pattern: RegExp }> = {
  k6: { exe: "k6", env: "GAUNTLET_K6", versionArgs: ["version"], pattern: /\bv(\d+\.\d+\.\d+)/ },
  toxiproxy: {
    exe: "toxiproxy-server",
    env: "GAUNTLET_TOXIPROXY",
    versionArgs: ["-version"],
    pattern: /version (\d+\.\d+\.\d+|git)/,
  },
};

/**
 * One folder per tool, version and build source (a hash of the Go module under tools/: its
 * go.mod, go.sum and Go files), so the binary keeps its own name (k6 prints it) and a change to
 * what is linked in — Gauntlet's k6 output extension — builds a new binary instead of reusing one.
 */
export function cachedBinaryPath(name: PinnedTool): string {
  return join(cacheDir(), "tools", name, `v${PINS[name].version}-${buildSourceHash(name)}`, BINARY[name].exe);
}

const sourceHashes = new Map<PinnedTool, string>();
function buildSourceHash(name: PinnedTool): string {
  const known = sourceHashes.get(name);
  if (known) return known;
  const root = repoPath(PINS[name].toolsDir);
  const hash = createHash("sha256");
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/^go\.(mod|sum)$|\.go$/.test(entry.name)) hash.update(`${relative(root, path)}\0`).update(readFileSync(path)).update("\0");
    }
  };
  walk(root);
  const short = hash.digest("hex").slice(0, 10);
  sourceHashes.set(name, short);
  return short;
}

interface ToolIdentity {
  version: string;
  extensions: string[];
}

/** What the binary says of itself; undefined when it does not run or names no version. */
export async function toolIdentity(path: string, name: PinnedTool): Promise<ToolIdentity | undefined> {
  const result = await runCommand(path, BINARY[name].versionArgs, { timeoutMs: 10000 });
  if (result.code !== 0) return undefined;
  const text = result.stdout + result.stderr;
  const version = BINARY[name].pattern.exec(text)?.[1];
  if (!version) return undefined;
  // k6 lists each extension as "  <module>.<constructor> , <name> [<kind>]".
  const extensions = [...text.matchAll(/,\s*([\w-]+)\s*\[(\w+)\]/g)].map((m) => `${m[2]}:${m[1]}`);
  return { version, extensions };
}

/** The k6 output Gauntlet writes with: its own (`gauntlet`, only what it reads) when linked in, else k6's CSV. */
export function k6OutputKind(k6: Pick<ResolvedTool, "extensions">): "gauntlet" | "csv" {
  return k6.extensions.includes("output:gauntlet") ? "gauntlet" : "csv";
}

function onPath(exe: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, exe);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Find a usable binary without building; undefined when there is none. */
export async function findTool(name: PinnedTool): Promise<ResolvedTool | undefined> {
  const spec = BINARY[name];
  const fromEnv = process.env[spec.env];
  if (fromEnv) {
    const identity = await toolIdentity(fromEnv, name);
    if (!identity) {
      throw new GauntletError("GAUNTLET_TOOL_MISSING", `${spec.env}=${fromEnv} does not run or print a version`);
    }
    return { name, path: fromEnv, ...identity, origin: "env" };
  }
  const found = onPath(spec.exe);
  if (found) {
    const identity = await toolIdentity(found, name);
    if (identity && Number(identity.version.split(".")[0]) === PINS[name].major) {
      return { name, path: found, ...identity, origin: "path" };
    }
    log.debug(`${found} is version ${identity?.version ?? "unknown"}; Gauntlet needs the v${PINS[name].major} line`);
  }
  const cached = cachedBinaryPath(name);
  if (existsSync(cached)) {
    const identity = await toolIdentity(cached, name);
    if (identity) return { name, path: cached, ...identity, origin: "cache" };
  }
  return undefined;
}

/** Build the pinned version from its Go module into the cache. */
export async function buildTool(name: PinnedTool, progress: (line: string) => void): Promise<ResolvedTool> {
  const pin = PINS[name];
  const go = onPath("go") ?? (existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : undefined);
  if (!go) {
    throw new GauntletError(
      "GAUNTLET_TOOL_MISSING",
      `${BINARY[name].exe} is not on PATH and Go is not installed to build v${pin.version}`,
    );
  }
  const target = cachedBinaryPath(name);
  const partial = `${target}.partial-${process.pid}`;
  mkdirSync(dirname(target), { recursive: true });
  const args = ["build", "-trimpath", "-o", partial];
  if (pin.ldflags) args.push("-ldflags", pin.ldflags);
  args.push(pin.module);

  const started = Date.now();
  progress(`building ${BINARY[name].exe} v${pin.version} from ${pin.module} (a few minutes on 2 cores)…`);
  const ticker = setInterval(
    () => progress(`  still building ${BINARY[name].exe}: ${Math.round((Date.now() - started) / 1000)} s`),
    20000,
  );
  const result = await runCommand(go, args, {
    cwd: repoPath(pin.toolsDir),
    env: { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" },
  }).finally(() => clearInterval(ticker));
  if (result.code !== 0) {
    rmSync(partial, { force: true });
    const logPath = join(cacheDir(), `build-${name}.log`);
    writeFileSync(logPath, result.stdout + result.stderr);
    throw new GauntletError(
      "GAUNTLET_TOOL_BUILD_FAILED",
      `go build of ${pin.module} failed (exit ${result.code}); log: ${logPath}\n${result.stderr.split("\n").slice(-6).join("\n")}`,
    );
  }
  renameSync(partial, target);
  const identity = (await toolIdentity(target, name)) ?? { version: pin.version, extensions: [] };
  progress(`built ${BINARY[name].exe} v${identity.version}${identity.extensions.length ? ` with ${identity.extensions.join(", ")}` : ""} in ${Math.round((Date.now() - started) / 1000)} s → ${target}`);
  return { name, path: target, ...identity, origin: "built" };
}

export async function ensureTool(name: PinnedTool, progress: (line: string) => void): Promise<ResolvedTool> {
  return (await findTool(name)) ?? (await buildTool(name, progress));
}

/** For commands that must not build (doctor, run): a clear error naming how to get the tool. */
export async function requireTool(name: PinnedTool): Promise<ResolvedTool> {
  const found = await findTool(name);
  if (found) return found;
  throw new GauntletError(
    "GAUNTLET_TOOL_MISSING",
    `${BINARY[name].exe} v${PINS[name].major}.x was not found (PATH, ${BINARY[name].env}, ${cachedBinaryPath(name)})`,
    {
      hint:
        "Run `gauntlet setup` to build it with Go, or install it: k6 — https://grafana.com/docs/k6/latest/set-up/install-k6/ ; " +
        "Toxiproxy — https://github.com/Shopify/toxiproxy/releases (binary toxiproxy-server).",
    },
  );
}
