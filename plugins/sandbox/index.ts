// The bundled target: the reference governor with its Redis, PostgreSQL and metrics exporter, on
// the market (venue, proxies, Toxiproxy) Gauntlet provisions for every target.
import { z } from "zod";
import { definePlugin, GauntletError } from "../../core/index.ts";
import { FAULTS, type FaultName } from "../../sandbox/config.ts";
import { launchSandbox, SANDBOX_PROXIES, startSandboxServices, type SandboxServices } from "./launch.ts";

export default definePlugin({
  name: "sandbox",
  description: "Reference risk governor and metrics exporter on private Redis/PostgreSQL, on Gauntlet's venue.",
  config: z.strictObject({}),
  setup(ctx) {
    ctx.registerTarget({
      name: "sandbox",
      description: "the bundled reference governor (shadow mode)",
      proxyNames: () => [...SANDBOX_PROXIES],
      // Redis and PostgreSQL last a whole session; the governor's reset empties them between runs.
      async openShared({ dir, market, events }) {
        const services = await startSandboxServices(dir, market);
        for (const managed of [services.redis.process, services.postgres.process]) events.emit("service.start", { name: managed.name, pid: managed.pid, log: managed.logFile });
        return { services, stop: services.stop };
      },
      async provision({ runDir, market, shared, seededFaults, events }) {
        const unknown = seededFaults.filter((fault) => !(FAULTS as readonly string[]).includes(fault));
        if (unknown.length) {
          throw new GauntletError("GAUNTLET_USAGE", `unknown seeded fault ${unknown.map((f) => `"${f}"`).join(", ")}; the sandbox has: ${FAULTS.join(", ")}`);
        }
        const sandbox = await launchSandbox({ dir: runDir, market, seededFaults: seededFaults as FaultName[], services: shared?.services as SandboxServices | undefined });
        for (const managed of sandbox.processes) events.emit("service.start", { name: managed.name, pid: managed.pid, log: managed.logFile });
        return { name: "sandbox", baseUrl: sandbox.governorUrl, capabilities: sandbox.capabilities, stop: sandbox.stop };
      },
    });
  },
});
