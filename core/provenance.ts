// What certified what: Gauntlet's version and commit (with whether the checkout had uncommitted
// changes), and the versions of the tools it drove. Written into results.json, junit.xml,
// summary.md, every report and `gauntlet --version`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./paths.ts";

export interface Build {
  version: string;
  /** The git commit of the checkout, or "unknown" outside a git checkout (an npm tarball). */
  commit: string;
  /** Uncommitted changes in the checkout: a certification from it names a build nobody can rebuild. */
  dirty: boolean;
}

let cached: Build | undefined;

function git(args: string[]): string | undefined {
  try {
    return execFileSync("git", ["-C", REPO_ROOT, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 }).trim();
  } catch {
    return undefined;
  }
}

export function build(): Build {
  if (cached) return cached;
  const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
  const commit = git(["rev-parse", "HEAD"]) ?? "unknown";
  // Only tracked files count: run folders and caches are not the build.
  const status = commit === "unknown" ? "" : (git(["status", "--porcelain", "--untracked-files=no"]) ?? "");
  cached = { version, commit, dirty: status.length > 0 };
  return cached;
}

/** `0.2.0 (a1b2c3d4e5f6, modified)`: one line for a terminal, a report header, a JUnit property. */
export function describeBuild(b: Build = build()): string {
  return `${b.version} (${b.commit === "unknown" ? "commit unknown" : b.commit.slice(0, 12)}${b.dirty ? ", modified" : ""})`;
}
