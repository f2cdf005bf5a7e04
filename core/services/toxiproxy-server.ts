// The run's own toxiproxy-server on a private loopback port.
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { startProcess, waitUntilReady, type ManagedProcess } from "../process/child-process.ts";

export interface ToxiproxyInstance {
  port: number;
  apiUrl: string;
  process: ManagedProcess;
}

export async function startToxiproxy(binary: string, dir: string, port: number): Promise<ToxiproxyInstance> {
  mkdirSync(dir, { recursive: true });
  const managed = startProcess({
    name: "toxiproxy",
    command: binary,
    args: ["-host", "127.0.0.1", "-port", String(port)],
    logFile: join(dir, "toxiproxy.log"),
    // The proxies carry little traffic; one OS thread keeps Toxiproxy from competing for both
    // cores with k6 and the governor.
    env: { ...process.env, GOMAXPROCS: process.env.GOMAXPROCS ?? "1" },
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(managed, async () => (await fetch(`${apiUrl}/version`)).ok);
  return { port, apiUrl, process: managed };
}
