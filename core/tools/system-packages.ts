// Redis, PostgreSQL and (for report checks) Chromium come from the operating system's packages.
// Gauntlet only ever uses their binaries: it starts its own instances in a run folder and never
// touches the machine's default ones.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { GauntletError } from "../errors.ts";
import { runCommand } from "../process/child-process.ts";

function firstExisting(paths: string[]): string | undefined {
  return paths.find((path) => existsSync(path));
}

export function findRedisServer(): string | undefined {
  return firstExisting(["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"]);
}

/** The newest PostgreSQL server bin directory (Debian layout first, then PATH via pg_config). */
export function findPostgresBin(): { dir: string; version: string } | undefined {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => existsSync(join(root, name, "bin", "postgres")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return { dir: join(root, versions[0], "bin"), version: versions[0] };
  }
  for (const dir of ["/usr/local/bin", "/opt/homebrew/bin", "/usr/bin"]) {
    if (existsSync(join(dir, "postgres")) && existsSync(join(dir, "initdb"))) return { dir, version: "unknown" };
  }
  return undefined;
}

export function findChromium(): string | undefined {
  return firstExisting([process.env.GAUNTLET_CHROMIUM ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser"]);
}

/** Install Debian packages when we are root on a Debian-like system; otherwise say what to run. */
export async function aptInstall(packages: string[], progress: (line: string) => void): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  if (!existsSync("/usr/bin/apt-get") || !isRoot) {
    throw new GauntletError(
      "GAUNTLET_TOOL_MISSING",
      `missing system packages: ${packages.join(", ")}`,
      {
        hint: existsSync("/usr/bin/apt-get")
          ? `Run: sudo apt-get install -y ${packages.join(" ")}`
          : `Install ${packages.join(", ")} with your system's package manager.`,
      },
    );
  }
  progress(`installing ${packages.join(", ")} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let result = await runCommand("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { env });
  if (result.code !== 0) {
    // A fresh machine may have no package lists yet.
    await runCommand("apt-get", ["update"], { env });
    result = await runCommand("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { env });
  }
  if (result.code !== 0) {
    throw new GauntletError(
      "GAUNTLET_TOOL_MISSING",
      `apt-get install ${packages.join(" ")} failed: ${result.stderr.trim().split("\n").slice(-3).join(" ")}`,
    );
  }
}
