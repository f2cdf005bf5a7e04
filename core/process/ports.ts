// Private loopback ports for the services a run owns, and a clear error when a fixed one is taken.
import { createServer } from "node:net";
import { GauntletError } from "../errors.ts";

// Ports are drawn from below the kernel's ephemeral range (ip_local_port_range, 32768–60999 on
// Linux by default). A port the kernel hands out for listen(0) comes from that range, and between
// closing the probe and the service binding it, an outgoing connection (k6's, a governor's to its
// Redis) may take it as its local port: in a four-lane self-test a lane once died that way. Below
// the range only another listener can hold a port, which the probe sees.
const PRIVATE_PORTS = { low: 20_000, high: 32_000 };
/** Handed out by this process already: two lanes starting at once never get the same port. */
const handedOut = new Set<number>();

/** A free loopback port, never one this process has handed out before. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = PRIVATE_PORTS.low + Math.floor(Math.random() * (PRIVATE_PORTS.high - PRIVATE_PORTS.low));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await isPortFree(port)) return port;
  }
  throw new GauntletError("GAUNTLET_PORT_IN_USE", `no free loopback port between ${PRIVATE_PORTS.low} and ${PRIVATE_PORTS.high} after 200 tries`);
}

export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Fail with GAUNTLET_PORT_IN_USE, naming the port, what wanted it and the flag that moves it. */
export async function requirePortFree(port: number, purpose: string, flag: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new GauntletError(
      "GAUNTLET_PORT_IN_USE",
      `port ${port} (${purpose}) is already in use`,
      { hint: `Stop what listens on ${port}, or pass ${flag} <port>.` },
    );
  }
}
