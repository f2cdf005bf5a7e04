// Finding and reading fault profiles: a name in toxics/ or a path to any YAML file. Errors name the
// file, the line, the step by its index AND its proxy, and the field.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { loadYamlFile } from "../config/yaml-config.ts";
import { GauntletError } from "../errors.ts";
import { repoPath } from "../paths.ts";
import { FAULT_PROXIES, profileSchema, type FaultProfile } from "./profile-schema.ts";

export const TOXICS_DIR = repoPath("toxics");

/** `steps.2.toxic.type` → `steps[2] (broker) toxic.type`: a reader looks for the proxy. */
export function describeProfilePath(path: readonly PropertyKey[], document: unknown): string {
  if (path[0] !== "steps" || typeof path[1] !== "number") return path.map(String).join(".");
  const steps = (document as { steps?: unknown } | null)?.steps;
  const proxy = Array.isArray(steps) ? (steps[path[1]] as { proxy?: unknown } | null)?.proxy : undefined;
  const step = `steps[${path[1]}]${typeof proxy === "string" ? ` (${proxy})` : ""}`;
  const field = path.slice(2).map(String).join(".");
  return field ? `${step} ${field}` : step;
}

/** Read and validate one profile file; GAUNTLET_PROFILE_INVALID lists every problem. */
export function loadProfile(file: string, proxies: readonly [string, ...string[]] = FAULT_PROXIES): FaultProfile {
  return loadYamlFile(file, profileSchema(proxies), "GAUNTLET_PROFILE_INVALID", { describePath: describeProfilePath });
}

/** The shipped profiles' files, sorted. */
export function profileFiles(dir = TOXICS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file) && !file.includes(".fails."))
    .sort()
    .map((file) => join(dir, file));
}

/** A profile argument: an existing path, a file name in toxics/, or a profile's `name`. */
export function resolveProfile(arg: string, dir = TOXICS_DIR): string {
  if (existsSync(arg) && /\.ya?ml$/.test(arg)) return arg;
  const files = profileFiles(dir);
  const byFile = files.find((file) => basename(file).replace(/\.ya?ml$/, "") === arg);
  if (byFile) return byFile;
  const byName = files.find((file) => {
    try {
      return (parseYaml(readFileSync(file, "utf8")) as { name?: unknown } | null)?.name === arg;
    } catch {
      return false;
    }
  });
  if (byName) return byName;
  const known = files.map((file) => basename(file).replace(/\.ya?ml$/, "")).join(", ") || "(none)";
  throw new GauntletError("GAUNTLET_USAGE", `no fault profile "${arg}": not a YAML file, and not a profile in ${dir} (known: ${known})`, {
    hint: "`gauntlet toxics list` shows the shipped profiles; a path to a .yaml file works too.",
  });
}
