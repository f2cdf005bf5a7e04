// Safety guards for the system under test: every host must be loopback unless the user allowed
// it by name; the target must declare itself a shadow instance before any load reaches it; it must
// hold both connections to the venue before the run starts; and it must accept a reset.
import { describeFetchError, GauntletError } from "../errors.ts";

export { describeFetchError };
import type { EventLog } from "../events/event-log.ts";
import type { Market } from "../market/market.ts";
import { sleep } from "../process/child-process.ts";
import type { TargetHandle } from "../target/target-handle.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith("127.");
}

export function requireAllowedHost(url: string, allowedHosts: readonly string[], what = "target"): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new GauntletError("GAUNTLET_USAGE", `${what} "${url}" is not a URL (expected e.g. http://127.0.0.1:7300)`);
  }
  if (isLoopbackHost(host)) return;
  if (allowedHosts.includes(host)) return;
  throw new GauntletError("GAUNTLET_TARGET_NOT_LOOPBACK", `${what} host "${host}" is not loopback and was not allowed`, {
    hint: `Pass --allow-host ${host} to drive it on purpose.`,
  });
}

/** Every string option that looks like a URL (url, metricsUrl, capabilities.…Url), for the host check. */
export function urlsIn(options: unknown): string[] {
  if (typeof options === "string") return /^[a-z][a-z0-9+.-]*:\/\//i.test(options) ? [options] : [];
  if (Array.isArray(options)) return options.flatMap(urlsIn);
  if (options && typeof options === "object") return Object.values(options).flatMap(urlsIn);
  return [];
}

export interface Health {
  mode?: string;
  [field: string]: unknown;
}

export async function requireShadow(baseUrl: string): Promise<Health> {
  let health: Health;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(3000) });
  } catch (error) {
    throw new GauntletError("GAUNTLET_TARGET_UNREACHABLE", `GET ${baseUrl}/v1/health: ${describeFetchError(baseUrl, error)}`);
  }
  if (!response.ok) throw new GauntletError("GAUNTLET_TARGET_UNREACHABLE", `GET ${baseUrl}/v1/health answered ${response.status}; the target contract needs 200 with {"mode":"shadow"}`);
  try {
    health = (await response.json()) as Health;
  } catch {
    throw new GauntletError("GAUNTLET_TARGET_CONTRACT", `GET ${baseUrl}/v1/health did not answer JSON; expected {"mode":"shadow", …}`);
  }
  if (health.mode !== "shadow") {
    throw new GauntletError("GAUNTLET_TARGET_NOT_SHADOW", `${baseUrl} reports mode ${JSON.stringify(health.mode ?? null)}, not "shadow"; refusing to drive it`);
  }
  return health;
}

/**
 * Wait until the governor holds both connections to the venue (order entry and market data). A
 * governor Gauntlet starts gets the addresses in its environment; one the user runs was told them
 * (they are printed) and must connect, retrying, before the run can start.
 */
export async function requireVenueConnection(market: Market, target: TargetHandle, events: EventLog, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status = { orderEntryConnected: false, marketDataSubscribers: 0 };
  while (Date.now() < deadline) {
    status = (await fetch(`${market.venueAdminUrl}/health`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.json())
      .catch(() => status)) as typeof status;
    // The venue sees the sockets; a governor that reports its own link (brokerConnected in
    // /v1/health) is ready once it says so too (it may still be greeting the venue).
    if (status.orderEntryConnected && status.marketDataSubscribers > 0 && (await reportsReady(target.baseUrl))) {
      events.emit("venue.connected", { target: target.name, broker: market.brokerAddress, marketData: market.marketDataAddress });
      return;
    }
    await sleep(100);
  }
  throw new GauntletError(
    "GAUNTLET_TARGET_NOT_CONNECTED",
    `${target.name} at ${target.baseUrl} did not connect to the venue within ${timeoutMs / 1000} s: order entry ${market.brokerAddress} ${status.orderEntryConnected ? "connected" : "not connected"}, market data ${market.marketDataAddress} ${status.marketDataSubscribers > 0 ? "connected" : "not connected"}`,
    { hint: `Point the governor at GAUNTLET_BROKER_ADDRESS=${market.brokerAddress} and GAUNTLET_MARKET_DATA_ADDRESS=${market.marketDataAddress}, and reconnect every second while they are down (docs/venue-protocol.md).` },
  );
}

/** Ready by its own word, where it says: its broker link up and its market data fresh (both optional in /v1/health). */
async function reportsReady(baseUrl: string): Promise<boolean> {
  const health = (await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.json())
    .catch(() => ({}))) as { brokerConnected?: unknown; marketDataAgeMs?: unknown };
  const fresh = typeof health.marketDataAgeMs !== "number" || health.marketDataAgeMs < FRESH_DATA_MS;
  return health.brokerConnected !== false && health.marketDataAgeMs !== null && fresh;
}

/** The venue's heartbeat is 100 ms: data older than this right after a connect is not there yet. */
const FRESH_DATA_MS = 500;

/** Shadow only: the governor forgets its books and fill sequence and takes this run's limits. */
export async function resetTarget(baseUrl: string, body: { limits: unknown }): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/admin/reset`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  }).catch((error: Error) => error);
  if (response instanceof Error || !response.ok) {
    const why = response instanceof Error ? describeFetchError(baseUrl, response) : `status ${response.status}: ${(await response.text()).slice(0, 200)}`;
    throw new GauntletError("GAUNTLET_TARGET_UNREACHABLE", `POST ${baseUrl}/v1/admin/reset failed (${why}); a shadow target must accept a reset`);
  }
}
