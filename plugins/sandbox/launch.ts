// Provisions the bundled target: a private Redis, PostgreSQL and toxiproxy-server, the venue
// simulator, the reference governor and its metrics exporter. Every path from the governor to
// its dependencies goes through a Toxiproxy proxy, so any of them can be faulted:
//
//   governor ──▶ toxiproxy[broker]      ──▶ venue order desk
//            ──▶ toxiproxy[market_data] ──▶ venue market data
//            ──▶ toxiproxy[redis]       ──▶ redis ◀── exporter (direct: the pipeline's far end)
//            ──▶ toxiproxy[postgres]    ──▶ postgresql
import { join, resolve } from "node:path";
import { mkdirSync } from "node:fs";
import { ToxiproxyApi } from "../../core/faults/toxiproxy-api.ts";
import { log } from "../../core/log.ts";
import { REPO_ROOT, repoPath } from "../../core/paths.ts";
import { startProcess, waitUntilReady, type ManagedProcess } from "../../core/services/child-process.ts";
import { freePort } from "../../core/services/ports.ts";
import { startPostgres } from "../../core/services/postgres-server.ts";
import { startRedis } from "../../core/services/redis-server.ts";
import { startToxiproxy } from "../../core/services/toxiproxy-server.ts";
import { DEFAULT_REPLAY_SOURCE, KEYS, SandboxConfigSchema, type FaultName, type ReplayConfig, type SandboxConfig } from "../../sandbox/config.ts";

export const PROXY_NAMES = ["broker", "market_data", "redis", "postgres"] as const;
export type ProxyName = (typeof PROXY_NAMES)[number];

export interface SandboxOptions {
  dir: string;
  toxiproxyBinary: string;
  faults: FaultName[];
  /** Fixed governor port (`gauntlet sandbox up`); a free one otherwise. */
  governorPort?: number;
  venue?: Partial<Pick<SandboxConfig["venue"], "roundTripMs" | "roundTripJitterMs" | "feeBps" | "minFeeUsd">>;
  replay?: Partial<ReplayConfig>;
  limits?: Partial<SandboxConfig["limits"]>;
}

export interface SandboxHandle {
  governorUrl: string;
  governorMetricsUrl: string;
  exporterMetricsUrl: string;
  venueAdminUrl: string;
  journal: string;
  redisUrl: string;
  postgresUrl: string;
  toxiproxyUrl: string;
  toxiproxy: ToxiproxyApi;
  /** Redis keys of the target contract. */
  keys: typeof KEYS;
  config: SandboxConfig;
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

const TSX_LOADER = join(REPO_ROOT, "node_modules", "tsx", "dist", "loader.mjs");

function startNode(name: string, entry: string, dir: string, config: SandboxConfig, nodeFlags: string[] = []): ManagedProcess {
  return startProcess({
    name,
    command: process.execPath,
    args: [...nodeFlags, "--import", TSX_LOADER, repoPath(entry)],
    logFile: join(dir, `${name}.log`),
    env: { ...process.env, GAUNTLET_SANDBOX_CONFIG: JSON.stringify(config) },
  });
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.ok;
}

export async function launchSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const dir = options.dir;
  mkdirSync(dir, { recursive: true });
  const [redisPort, pgPort, toxiPort, orderPort, mdPort, adminPort, exporterPort, ...proxyPorts] = await Promise.all(
    Array.from({ length: 7 + PROXY_NAMES.length }, () => freePort()),
  );
  const governorPort = options.governorPort ?? (await freePort());
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    for (const managed of processes.reverse()) await managed.stop().catch(() => undefined);
  };
  try {
    // allSettled, not all: when one service fails to start, the ones that did must still be stopped.
    const [redisStart, postgresStart, toxiproxyStart] = await Promise.allSettled([
      startRedis(join(dir, "redis"), redisPort!),
      startPostgres(join(dir, "postgres"), pgPort!),
      startToxiproxy(options.toxiproxyBinary, join(dir, "toxiproxy"), toxiPort!),
    ]);
    for (const start of [redisStart, postgresStart, toxiproxyStart]) if (start.status === "fulfilled") processes.push(start.value.process);
    if (redisStart.status === "rejected") throw redisStart.reason;
    if (postgresStart.status === "rejected") throw postgresStart.reason;
    if (toxiproxyStart.status === "rejected") throw toxiproxyStart.reason;
    const [redis, postgres, toxiproxy] = [redisStart.value, postgresStart.value, toxiproxyStart.value];

    const proxyPort = Object.fromEntries(PROXY_NAMES.map((name, i) => [name, proxyPorts[i]!])) as Record<ProxyName, number>;
    const api = new ToxiproxyApi(toxiproxy.apiUrl);
    await api.populate([
      { name: "broker", listen: `127.0.0.1:${proxyPort.broker}`, upstream: `127.0.0.1:${orderPort}` },
      { name: "market_data", listen: `127.0.0.1:${proxyPort.market_data}`, upstream: `127.0.0.1:${mdPort}` },
      { name: "redis", listen: `127.0.0.1:${proxyPort.redis}`, upstream: `127.0.0.1:${redis.port}` },
      { name: "postgres", listen: `127.0.0.1:${proxyPort.postgres}`, upstream: `127.0.0.1:${postgres.port}` },
    ]);

    const config = SandboxConfigSchema.parse({
      governor: {
        port: governorPort,
        brokerAddress: `127.0.0.1:${proxyPort.broker}`,
        marketDataAddress: `127.0.0.1:${proxyPort.market_data}`,
        redisUrl: `redis://127.0.0.1:${proxyPort.redis}`,
        postgresUrl: `postgres://${postgres.user}@127.0.0.1:${proxyPort.postgres}/${postgres.database}`,
      },
      venue: {
        orderPort,
        marketDataPort: mdPort,
        adminPort,
        journal: join(dir, "venue-journal.ndjson"),
        replay: { ...options.replay, source: resolve(REPO_ROOT, options.replay?.source ?? DEFAULT_REPLAY_SOURCE) },
        marketLog: join(dir, "venue-market.ndjson"),
        ...options.venue,
      },
      exporter: { port: exporterPort, redisUrl: redis.url },
      limits: options.limits ?? {},
      faults: options.faults,
    });

    const venue = startNode("venue", "sandbox/venue/main.ts", dir, config);
    processes.push(venue);
    await waitUntilReady(venue, () => httpOk(`http://127.0.0.1:${adminPort}/health`));
    const exporter = startNode("exporter", "sandbox/exporter/main.ts", dir, config);
    processes.push(exporter);
    // Heap sizing, like a production service would: a fixed 16 MB young generation (fewer
    // scavenges on the decision path, and RSS does not grow as V8 sizes it up), and an old
    // generation capped at 48 MB — about three times the governor's live set — so that V8
    // collects it every few seconds instead of letting garbage pile up for a minute, which would
    // read as a leak on a one-minute run. GAUNTLET_GOVERNOR_NODE_FLAGS adds flags for diagnosis,
    // e.g. "--trace-gc" or "--cpu-prof --cpu-prof-dir=/tmp".
    const extraFlags = (process.env.GAUNTLET_GOVERNOR_NODE_FLAGS ?? "").split(" ").filter(Boolean);
    const heapFlags = ["--min-semi-space-size=16", "--max-semi-space-size=16", "--max-old-space-size=48"];
    const governor = startNode("governor", "sandbox/governor/main.ts", dir, config, [...heapFlags, ...extraFlags]);
    processes.push(governor);
    await Promise.all([
      waitUntilReady(exporter, () => httpOk(`http://127.0.0.1:${exporterPort}/metrics`)),
      waitUntilReady(governor, () => httpOk(`http://127.0.0.1:${governorPort}/v1/health`)),
    ]);
    log.debug(`sandbox up: governor :${governorPort}, toxiproxy :${toxiPort}`);
    return {
      governorUrl: `http://127.0.0.1:${governorPort}`,
      governorMetricsUrl: `http://127.0.0.1:${governorPort}/metrics`,
      exporterMetricsUrl: `http://127.0.0.1:${exporterPort}/metrics`,
      venueAdminUrl: `http://127.0.0.1:${adminPort}`,
      journal: config.venue.journal,
      redisUrl: redis.url,
      postgresUrl: postgres.url,
      toxiproxyUrl: toxiproxy.apiUrl,
      toxiproxy: api,
      keys: KEYS,
      config,
      processes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
