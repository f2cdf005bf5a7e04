// The market Gauntlet provisions for every target, whoever wrote the governor: its own
// toxiproxy-server, the venue simulator (venue/main.ts, a child process speaking venue protocol v1)
// and the two Toxiproxy proxies in front of the venue — `broker` (order entry) and `market_data` —
// whose listen addresses are what a governor connects to. A target adds its own proxies (Redis,
// PostgreSQL…) to the same Toxiproxy, so every fault profile plays on one API.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { GauntletError } from "../errors.ts";
import { ToxiproxyApi, type ProxySpec } from "../faults/toxiproxy-api.ts";
import { log } from "../log.ts";
import { nodeEntryArgs } from "../paths.ts";
import { startProcess, waitUntilReady, type ManagedProcess } from "../process/child-process.ts";
import { freePort, requirePortFree } from "../process/ports.ts";
import { startToxiproxy } from "../services/toxiproxy-server.ts";
import type { MarketSettingsInput } from "../../protocol/market-settings.ts";

/** The proxies in front of the venue, by their names in fault profiles. */
export const VENUE_PROXIES = ["broker", "market_data"] as const;

export interface MarketPorts {
  /** Fixed listen ports of the broker and market-data proxies (a governor the user runs connects there). */
  broker?: number;
  marketData?: number;
  /** Fixed admin port of the venue (k6's flash-crash setup() starts the replay there). */
  venueAdmin?: number;
}

export interface Market {
  /** host:port a governor connects to for order entry (through the broker proxy). */
  brokerAddress: string;
  /** host:port of the market-data feed (through the market_data proxy). */
  marketDataAddress: string;
  venueAdminUrl: string;
  journal: string;
  marketLog: string;
  toxiproxyUrl: string;
  toxiproxy: ToxiproxyApi;
  processes: ManagedProcess[];
  /** A proxy of the target's own (a Redis, a database) on the same Toxiproxy; returns its listen address. */
  addProxy(name: string, upstream: string, listenPort?: number): Promise<string>;
  /** The names of every proxy, the venue's and the target's. */
  proxyNames(): string[];
  /** Reset the venue's books and journal, and set the market and broker terms for the next run. */
  reset(settings: MarketSettingsInput): Promise<void>;
  stop(): Promise<void>;
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.ok;
}

/** Starts the market with the venue's default replay; each run then sets its own with `reset`. */
export async function startMarket(options: { dir: string; toxiproxyBinary: string; ports?: MarketPorts }): Promise<Market> {
  const dir = options.dir;
  mkdirSync(dir, { recursive: true });
  const ports = options.ports ?? {};
  if (ports.broker) await requirePortFree(ports.broker, "the venue's order entry (broker proxy)", "--venue-ports");
  if (ports.marketData) await requirePortFree(ports.marketData, "the venue's market data (market_data proxy)", "--venue-ports");
  if (ports.venueAdmin) await requirePortFree(ports.venueAdmin, "the venue's admin API", "--venue-admin-port");
  const [toxiPort, orderPort, mdPort, freeAdmin, freeBroker, freeMd] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const adminPort = ports.venueAdmin ?? freeAdmin!;
  const brokerPort = ports.broker ?? freeBroker!;
  const marketDataPort = ports.marketData ?? freeMd!;
  const processes: ManagedProcess[] = [];
  const proxies: string[] = [];
  const stop = async () => {
    for (const managed of [...processes].reverse()) await managed.stop().catch(() => undefined);
  };
  try {
    const toxiproxy = await startToxiproxy(options.toxiproxyBinary, join(dir, "toxiproxy"), toxiPort!);
    processes.push(toxiproxy.process);
    const api = new ToxiproxyApi(toxiproxy.apiUrl);
    const journal = join(dir, "venue-journal.ndjson");
    const marketLog = join(dir, "venue-market.ndjson");
    const config = { orderPort, marketDataPort: mdPort, adminPort, journal, marketLog };
    const venue = startProcess({
      name: "venue",
      command: process.execPath,
      args: nodeEntryArgs("venue/main.ts"),
      logFile: join(dir, "venue.log"),
      env: { ...process.env, GAUNTLET_VENUE_CONFIG: JSON.stringify(config) },
    });
    processes.push(venue);
    const venueAdminUrl = `http://127.0.0.1:${adminPort}`;
    await waitUntilReady(venue, () => httpOk(`${venueAdminUrl}/health`));
    const specs: ProxySpec[] = [
      { name: "broker", listen: `127.0.0.1:${brokerPort}`, upstream: `127.0.0.1:${orderPort}` },
      { name: "market_data", listen: `127.0.0.1:${marketDataPort}`, upstream: `127.0.0.1:${mdPort}` },
    ];
    await api.populate(specs);
    proxies.push(...VENUE_PROXIES);
    log.debug(`market up: venue ${venueAdminUrl}, broker 127.0.0.1:${brokerPort}, market data 127.0.0.1:${marketDataPort}, toxiproxy ${toxiproxy.apiUrl}`);
    return {
      brokerAddress: `127.0.0.1:${brokerPort}`,
      marketDataAddress: `127.0.0.1:${marketDataPort}`,
      venueAdminUrl,
      journal,
      marketLog,
      toxiproxyUrl: toxiproxy.apiUrl,
      toxiproxy: api,
      processes,
      async addProxy(name, upstream, listenPort) {
        const listen = `127.0.0.1:${listenPort ?? (await freePort())}`;
        await api.populate([{ name, listen, upstream }]);
        proxies.push(name);
        return listen;
      },
      proxyNames: () => [...proxies],
      async reset(settings) {
        const response = await fetch(`${venueAdminUrl}/admin/reset`, { method: "POST", body: JSON.stringify(settings), signal: AbortSignal.timeout(30_000) });
        if (!response.ok) throw new GauntletError("GAUNTLET_SERVICE_START_FAILED", `the venue refused its settings: ${await response.text()}`, { hint: `See ${venue.logFile}.` });
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
