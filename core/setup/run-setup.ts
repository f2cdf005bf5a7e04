// `gauntlet setup`: idempotent, and called by both README commands. Installs what is missing
// (Debian packages when we may), finds or builds the pinned k6 and Toxiproxy into the cache
// outside the clone, and bundles the k6 scripts.
import { log } from "../log.ts";
import { aptInstall, findChromium, findPostgresBin, findRedisServer } from "./system-packages.ts";
import { ensureTool, type ResolvedTool } from "./tools.ts";

export interface SetupOptions {
  withBrowser: boolean;
  quiet: boolean;
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

  const { buildK6Scripts } = await import("../../esbuild.config.ts");
  await buildK6Scripts();
  say("k6 scripts bundled into dist/k6/");
  return { k6, toxiproxy };
}
