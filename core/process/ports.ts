// Private loopback ports for the services a run owns, and a clear error when a fixed one is taken.
import { createServer } from "node:net";
import { GauntletError } from "../errors.ts";

/** Ask the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
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
