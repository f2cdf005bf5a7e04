// Governors Gauntlet did not write, behind the target contract (docs/target-contract.md):
//   - "external": one the user runs, at a URL. The venue's proxies listen on fixed ports
//     (venue.brokerPort/marketDataPort, 7401/7402 by default) that are printed; the governor must
//     connect to them (retrying) before the run can start.
//   - "command": one Gauntlet launches (`--target-cmd "…"`), with the addresses in its environment:
//     GAUNTLET_GOVERNOR_PORT, GAUNTLET_BROKER_ADDRESS, GAUNTLET_MARKET_DATA_ADDRESS (host:port), and
//     GAUNTLET_PROXY_<NAME>_ADDRESS for each of its own proxied paths.
// Both get Gauntlet's venue and market data, and whatever capabilities their config declares.
import { join } from "node:path";
import {
  CommandTargetSchema,
  definePlugin,
  freePort,
  GauntletError,
  log,
  startProcess,
  UrlTargetSchema,
  waitUntilReady,
  type Market,
  type TargetProvisionContext,
} from "../../core/index.ts";
import { z } from "zod";

function refuseSeededFaults({ seededFaults }: TargetProvisionContext, name: string): void {
  if (seededFaults.length) {
    throw new GauntletError("GAUNTLET_USAGE", `seeded faults (${seededFaults.join(", ")}) are bugs of the bundled sandbox governor; the ${name} target has none`, {
      hint: "Drop --seeded-fault, or run against the sandbox.",
    });
  }
}

function parseOptions<S extends z.ZodType>(schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "target"}: ${issue.message}`).join("; ");
  throw new GauntletError("GAUNTLET_CONFIG_INVALID", `target: ${issues}`);
}

/** The target's own proxies on the run's Toxiproxy; returns name → listen address. */
async function addOwnProxies(market: Market, proxies: ReadonlyArray<{ name: string; upstream: string; listenPort: number }>): Promise<Record<string, string>> {
  const addresses: Record<string, string> = {};
  for (const proxy of proxies) addresses[proxy.name] = await market.addProxy(proxy.name, proxy.upstream, proxy.listenPort);
  return addresses;
}

async function healthAnswers(url: string): Promise<boolean> {
  const response = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.status < 500;
}

export default definePlugin({
  name: "external-target",
  description: "Drive a governor Gauntlet did not write: one you run (a URL) or one Gauntlet launches (a command).",
  config: z.strictObject({}),
  setup(ctx) {
    ctx.registerTarget({
      name: "external",
      description: "a governor you run, at a URL, connected to Gauntlet's venue on fixed ports",
      proxyNames: (options) => parseOptions(UrlTargetSchema, options).proxies.map((proxy) => proxy.name),
      marketPorts: (options) => {
        const target = parseOptions(UrlTargetSchema, options);
        return { broker: target.venue.brokerPort, marketData: target.venue.marketDataPort };
      },
      async provision(context) {
        refuseSeededFaults(context, "external");
        const target = parseOptions(UrlTargetSchema, context.options);
        const own = await addOwnProxies(context.market, target.proxies);
        log.info(
          `venue for your governor: order entry ${context.market.brokerAddress} · market data ${context.market.marketDataAddress}` +
            `${Object.entries(own).map(([name, address]) => ` · ${name} ${address}`).join("")} (waiting up to ${target.connectTimeoutSeconds} s for it to connect)`,
        );
        return { name: "external", baseUrl: target.url.replace(/\/$/, ""), capabilities: target.capabilities, connectTimeoutMs: target.connectTimeoutSeconds * 1000, async stop() {} };
      },
    });

    ctx.registerTarget({
      name: "command",
      description: "a governor Gauntlet launches, with the venue's addresses in its environment",
      proxyNames: (options) => parseOptions(CommandTargetSchema, options).proxies.map((proxy) => proxy.name),
      async provision(context) {
        refuseSeededFaults(context, "command");
        const target = parseOptions(CommandTargetSchema, context.options);
        const { market, runDir, events } = context;
        const own = await addOwnProxies(market, target.proxies);
        const port = target.port ?? (await freePort());
        const governor = startProcess({
          name: "governor",
          command: "/bin/sh",
          // exec: the governor is the process Gauntlet tracks and stops, not a shell around it.
          args: ["-c", `exec ${target.command}`],
          cwd: target.cwd,
          logFile: join(runDir, "governor.log"),
          env: {
            ...process.env,
            ...target.env,
            GAUNTLET_GOVERNOR_PORT: String(port),
            GAUNTLET_BROKER_ADDRESS: market.brokerAddress,
            GAUNTLET_MARKET_DATA_ADDRESS: market.marketDataAddress,
            ...Object.fromEntries(Object.entries(own).map(([name, address]) => [`GAUNTLET_PROXY_${name.toUpperCase().replace(/-/g, "_")}_ADDRESS`, address])),
          },
        });
        events.emit("service.start", { name: governor.name, pid: governor.pid, log: governor.logFile, command: target.command });
        const baseUrl = `http://127.0.0.1:${port}`;
        try {
          await waitUntilReady(governor, () => healthAnswers(baseUrl), 30_000);
        } catch (error) {
          await governor.stop();
          throw error;
        }
        return { name: "command", baseUrl, capabilities: target.capabilities, connectTimeoutMs: target.connectTimeoutSeconds * 1000, stop: () => governor.stop() };
      },
    });
  },
});
