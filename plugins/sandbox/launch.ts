// Provisions the bundled target on the market Gauntlet provisions for every target: a private
// Redis and PostgreSQL, the reference governor and its metrics exporter. Every path from the
// governor to its dependencies goes through a proxy on the run's Toxiproxy, so any of them can be
// faulted:
//
//   governor ──▶ toxiproxy[broker]      ──▶ venue order desk       (the market's, every target)
//            ──▶ toxiproxy[market_data] ──▶ venue market data
//            ──▶ toxiproxy[redis]       ──▶ redis ◀── exporter (direct: the pipeline's far end)
//            ──▶ toxiproxy[postgres]    ──▶ postgresql
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import {
  freePort,
  log,
  nodeEntryArgs,
  startPostgres,
  startProcess,
  startRedis,
  waitUntilReady,
  type Capabilities,
  type ManagedProcess,
  type Market,
  type PostgresInstance,
  type RedisInstance,
} from "../../core/index.ts";
import { KEYS, SandboxConfigSchema, type FaultName, type SandboxConfig } from "../../sandbox/config.ts";

/** The sandbox's own paths, besides the venue's broker and market_data. */
export const SANDBOX_PROXIES = ["redis", "postgres"] as const;

/** The sandbox's long-lived services: Redis and PostgreSQL, each behind its proxy on the run's Toxiproxy. */
export interface SandboxServices {
  redis: RedisInstance;
  postgres: PostgresInstance;
  /** host:port of the proxies the governor uses. */
  redisProxy: string;
  postgresProxy: string;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  dir: string;
  market: Market;
  seededFaults: FaultName[];
  /** Fixed governor port (`gauntlet sandbox up`); a free one otherwise. */
  governorPort?: number;
  /** Redis and PostgreSQL already up for a session; started (and stopped) here when absent. */
  services?: SandboxServices;
}

export interface SandboxHandle {
  governorUrl: string;
  redisUrl: string;
  postgresUrl: string;
  /** What the reference governor offers beyond the minimum contract: all four capabilities. */
  capabilities: Capabilities;
  config: SandboxConfig;
  processes: ManagedProcess[];
  stop(): Promise<void>;
}

function startNode(name: string, entry: string, dir: string, config: SandboxConfig, nodeFlags: string[] = []): ManagedProcess {
  return startProcess({
    name,
    command: process.execPath,
    args: [...nodeFlags, ...nodeEntryArgs(entry)],
    logFile: join(dir, `${name}.log`),
    env: { ...process.env, GAUNTLET_SANDBOX_CONFIG: JSON.stringify(config) },
  });
}

async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await response.arrayBuffer();
  return response.ok;
}

/** Redis and PostgreSQL, and their proxies on the market's Toxiproxy (names "redis" and "postgres"). */
export async function startSandboxServices(dir: string, market: Market): Promise<SandboxServices> {
  mkdirSync(dir, { recursive: true });
  const [redisPort, pgPort] = await Promise.all([freePort(), freePort()]);
  // allSettled, not all: when one service fails to start, the one that did must still be stopped.
  const [redisStart, postgresStart] = await Promise.allSettled([startRedis(join(dir, "redis"), redisPort), startPostgres(join(dir, "postgres"), pgPort)]);
  const started = [redisStart, postgresStart].flatMap((start) => (start.status === "fulfilled" ? [start.value.process] : []));
  const stop = async () => {
    for (const managed of started.reverse()) await managed.stop().catch(() => undefined);
  };
  try {
    if (redisStart.status === "rejected") throw redisStart.reason;
    if (postgresStart.status === "rejected") throw postgresStart.reason;
    const [redis, postgres] = [redisStart.value, postgresStart.value];
    const redisProxy = await market.addProxy("redis", `127.0.0.1:${redis.port}`);
    const postgresProxy = await market.addProxy("postgres", `127.0.0.1:${postgres.port}`);
    return { redis, postgres, redisProxy, postgresProxy, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The reference governor and its exporter (new for each run: seeded faults are set at launch). */
export async function launchSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const { dir, market } = options;
  mkdirSync(dir, { recursive: true });
  const own = options.services ? undefined : await startSandboxServices(dir, market);
  const services = (options.services ?? own)!;
  const { redis, postgres } = services;
  const exporterPort = await freePort();
  const governorPort = options.governorPort ?? (await freePort());
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    for (const managed of processes.reverse()) await managed.stop().catch(() => undefined);
    await own?.stop();
  };
  try {
    const config = SandboxConfigSchema.parse({
      governor: {
        port: governorPort,
        brokerAddress: market.brokerAddress,
        marketDataAddress: market.marketDataAddress,
        redisUrl: `redis://${services.redisProxy}`,
        postgresUrl: `postgres://${postgres.user}@${services.postgresProxy}/${postgres.database}`,
      },
      exporter: { port: exporterPort, redisUrl: redis.url },
      seededFaults: options.seededFaults,
    });

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
    // 30 s, as for a team's own governor: tsx compiles the governor at start, and four self-test
    // lanes on two cores (a run queue of 18) once kept it from answering within 15 s.
    await Promise.all([
      waitUntilReady(exporter, () => httpOk(`http://127.0.0.1:${exporterPort}/metrics`), 30_000),
      waitUntilReady(governor, () => httpOk(`http://127.0.0.1:${governorPort}/v1/health`), 30_000),
    ]);
    log.debug(`sandbox up: governor :${governorPort}, exporter :${exporterPort}`);
    const governorUrl = `http://127.0.0.1:${governorPort}`;
    return {
      governorUrl,
      redisUrl: redis.url,
      postgresUrl: postgres.url,
      capabilities: {
        processMetrics: { url: `${governorUrl}/metrics`, rssMetric: "governor_process_resident_memory_bytes" },
        // Direct (not through Toxiproxy): Gauntlet reads the state, it does not fault its own reads.
        redisMirror: { url: redis.url, stateKey: KEYS.state, pausedKey: KEYS.paused },
        ledger: { url: postgres.url, queries: LEDGER_QUERIES },
        metricsPipeline: {
          url: `http://127.0.0.1:${exporterPort}/metrics`,
          latencyMetric: "governor_pipeline_latency_seconds",
          arrivalMetric: "governor_pipeline_newest_arrival_timestamp_seconds",
          backlog: { redisUrl: redis.url, key: KEYS.events },
        },
      },
      config,
      processes: [...(own ? [own.redis.process, own.postgres.process] : []), ...processes],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The reference governor's ledger tables (sandbox/governor/ledger.ts), as the ledger capability reads them. */
const LEDGER_QUERIES = {
  decisions: "select id from decisions",
  orders: "select client_order_id, status, reason, created_at, decision_id from orders",
  fills: "select fill_id, client_order_id, side, qty, price, fee, at from fills order by seq",
};
