// `gauntlet sandbox up`: the bundled target on fixed ports, for `k6 run dist/k6/<script>.js` by
// hand — the scripts' standalone defaults point at these ports.
import type { Command } from "commander";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { log } from "../../core/log.ts";
import { runsDir } from "../../core/paths.ts";
import { requirePortFree } from "../../core/process/ports.ts";
import { FAULTS, type FaultName } from "../../sandbox/config.ts";
import { builtinRegistry } from "../builtin.ts";
import { startSandboxStack } from "../sandbox-stack.ts";
import { collect, integer, oneOf } from "../options.ts";
import { ensureSetup } from "../setup.ts";
import { STANDALONE_TARGET } from "../standalone-plans.ts";

interface SandboxFlags {
  port: number;
  venuePort: number;
  seededFault?: FaultName[];
  scenario?: string;
}

export function registerSandbox(program: Command): void {
  const sandbox = program.command("sandbox").description("the bundled reference governor");
  sandbox
    .command("up")
    .description("start the sandbox in the foreground (Ctrl-C stops it); the k6 scripts target it by default")
    .option("--port <port>", "governor port", integer("--port", 1, 65535), Number(new URL(STANDALONE_TARGET.baseUrl).port))
    .option("--venue-port <port>", "the venue's admin port (flash-crash.js starts its replay there)", integer("--venue-port", 1, 65535), Number(new URL(STANDALONE_TARGET.venueAdminUrl!).port))
    .option("--seeded-fault <name>", `seeded bug (repeatable): ${FAULTS.join(", ")}`, (v: string, prev: string[] = []) => collect(v, prev).map(oneOf("--seeded-fault", FAULTS)))
    .option("--scenario <name>", "provision the market and limits this scenario needs (e.g. flash-crash holds the replay for k6's setup())")
    .action(async (flags: SandboxFlags) => {
      await ensureSetup();
      await requirePortFree(flags.port, "sandbox governor", "--port");
      const scenario = flags.scenario ? builtinRegistry().scenario(flags.scenario).scenario : undefined;
      const dir = join(runsDir(), `sandbox-${Date.now()}`);
      mkdirSync(dir, { recursive: true });
      // The market and limits the scenario asks for, as a run would set them.
      const stack = await startSandboxStack({
        dir,
        seededFaults: flags.seededFault ?? [],
        governorPort: flags.port,
        ports: { venueAdmin: flags.venuePort },
        market: scenario?.market?.(scenario.defaultProfile),
        limits: scenario?.limits,
      });
      const { market, sandbox: handle } = stack;
      log.info(`sandbox up (shadow mode): governor ${handle.governorUrl} · venue ${market.venueAdminUrl} · exporter ${handle.capabilities.metricsPipeline?.url} · toxiproxy ${market.toxiproxyUrl}`);
      log.info(`seeded faults: ${(flags.seededFault ?? []).join(", ") || "none"} · logs in ${dir}`);
      log.info(`try:  k6 run dist/k6/${scenario?.script ?? "flood"}.js      (Ctrl-C here stops the sandbox)`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      log.info("stopping the sandbox…");
      await stack.stop();
    });
}
