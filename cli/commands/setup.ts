// `gauntlet setup`: tools, system packages and the bundled k6 scripts (idempotent).
import type { Command } from "commander";
import { runSetup } from "../setup.ts";

export function registerSetup(program: Command): void {
  program
    .command("setup")
    .description("install or build what Gauntlet needs (k6, toxiproxy-server, Redis, PostgreSQL) and bundle the k6 scripts")
    .option("--with-browser", "also install Chromium (for the HTML report check)")
    .option("-q, --quiet", "print only progress of long steps")
    .action(async (flags: { withBrowser?: boolean; quiet?: boolean }) => {
      await runSetup({ withBrowser: Boolean(flags.withBrowser), quiet: Boolean(flags.quiet) });
    });
}
