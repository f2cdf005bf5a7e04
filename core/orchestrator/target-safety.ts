// Safety guards for the system under test: every host must be loopback unless the user allowed
// it by name, and the target must declare itself a shadow instance before any load reaches it.
import { GauntletError } from "../errors.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function requireAllowedHost(url: string, allowedHosts: readonly string[], what = "target"): void {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new GauntletError("GAUNTLET_USAGE", `${what} "${url}" is not a URL (expected e.g. http://127.0.0.1:7300)`);
  }
  if (LOOPBACK.has(host) || host.startsWith("127.")) return;
  if (allowedHosts.includes(host)) return;
  throw new GauntletError("GAUNTLET_TARGET_NOT_LOOPBACK", `${what} host "${host}" is not loopback and was not allowed`, {
    hint: `Pass --allow-host ${host} to drive it on purpose.`,
  });
}

export interface Health {
  mode?: string;
  [field: string]: unknown;
}

export async function requireShadow(baseUrl: string): Promise<Health> {
  let health: Health;
  try {
    const response = await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`status ${response.status}`);
    health = (await response.json()) as Health;
  } catch (error) {
    throw new GauntletError("GAUNTLET_TARGET_UNREACHABLE", `${baseUrl}/v1/health: ${(error as Error).message}`);
  }
  if (health.mode !== "shadow") {
    throw new GauntletError("GAUNTLET_TARGET_NOT_SHADOW", `${baseUrl} reports mode ${JSON.stringify(health.mode ?? null)}, not "shadow"; refusing to drive it`);
  }
  return health;
}

export async function resetTarget(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/v1/admin/reset`, { method: "POST", signal: AbortSignal.timeout(10000) }).catch(
    (error: Error) => error,
  );
  if (response instanceof Error || !response.ok) {
    const why = response instanceof Error ? response.message : `status ${response.status}`;
    throw new GauntletError("GAUNTLET_TARGET_UNREACHABLE", `${baseUrl}/v1/admin/reset failed (${why}); a shadow target must accept a reset`);
  }
}
