// A private Redis instance in the run folder, on a loopback port of its own. Nothing is persisted:
// it exists for one run.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { GauntletError } from "../errors.ts";
import { findRedisServer } from "../tools/system-packages.ts";
import { startProcess, waitUntilReady, type ManagedProcess } from "../process/child-process.ts";

export interface RedisInstance {
  port: number;
  url: string;
  process: ManagedProcess;
}

export async function startRedis(dir: string, port: number): Promise<RedisInstance> {
  const binary = findRedisServer();
  if (!binary) throw new GauntletError("GAUNTLET_TOOL_MISSING", "redis-server was not found; run `gauntlet setup`");
  mkdirSync(dir, { recursive: true });
  const managed = startProcess({
    name: "redis",
    command: binary,
    args: [
      "--port", String(port),
      "--bind", "127.0.0.1",
      "--save", "",
      "--appendonly", "no",
      "--dir", dir,
      "--daemonize", "no",
      "--protected-mode", "yes",
      "--maxclients", "10000",
    ],
    logFile: join(dir, "redis.log"),
  });
  const url = `redis://127.0.0.1:${port}`;
  await waitUntilReady(managed, async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused while redis-server is still starting: connect() rejects and we poll again; without
    // a listener ioredis would also print the same refusal as an "Unhandled error event".
    client.on("error", () => {});
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } finally {
      client.disconnect();
    }
  });
  return { port, url, process: managed };
}
