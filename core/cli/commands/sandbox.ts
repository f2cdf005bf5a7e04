// `gauntlet sandbox up`: the bundled target on a fixed port, for `k6 run dist/k6/flood.js` by hand.
import type { Command } from "commander";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { log } from "../../log.ts";
import { runsDir } from "../../paths.ts";
import { requireTool } from "../../setup/tools.ts";
import { launchSandbox } from "../../../plugins/sandbox/launch.ts";
import { FAULTS, type FaultName } from "../../../sandbox/config.ts";
import { requirePortFree } from "../../services/ports.ts";
import { collect, integer, oneOf } from "../options.ts";
import { ensureSetup } from "../../setup/run-setup.ts";

export function registerSandbox(program: Command): void {
  const sandbox = program.command("sandbox").description("the bundled reference governor");
  sandbox
    .command("up")
    .description("start the sandbox in the foreground (Ctrl-C stops it); k6 scripts target it by default")
    .option("--port <port>", "governor port", integer("--port", 1, 65535), 7300)
    .option("--fault <fault>", `seeded fault (repeatable): ${FAULTS.join(", ")}`, (v: string, prev: string[] = []) => collect(v, prev).map(oneOf("--fault", FAULTS)))
    .action(async (flags: { port: number; fault?: FaultName[] }) => {
      await ensureSetup();
      await requirePortFree(flags.port, "sandbox governor", "--port");
      const toxiproxy = await requireTool("toxiproxy");
      const dir = join(runsDir(), `sandbox-${Date.now()}`);
      mkdirSync(dir, { recursive: true });
      const handle = await launchSandbox({ dir, toxiproxyBinary: toxiproxy.path, faults: flags.fault ?? [], governorPort: flags.port });
      log.info(`sandbox up (shadow mode): governor ${handle.governorUrl} · exporter ${handle.exporterMetricsUrl} · toxiproxy ${handle.toxiproxyUrl}`);
      log.info(`faults: ${(flags.fault ?? []).join(", ") || "none"} · logs in ${dir}`);
      log.info(`try:  k6 run dist/k6/flood.js      (Ctrl-C here stops the sandbox)`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      log.info("stopping the sandbox…");
      await handle.stop();
    });
}
