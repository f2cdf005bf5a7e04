// Removing what a Gauntlet process left in Toxiproxy when it could not clean up itself (SIGKILL, a
// lost terminal, a hung API call): exactly the toxics named gauntlet-…, and re-enabling exactly the
// proxies a Gauntlet cut disabled (they carry a cut marker, see fault-plan.ts). Unlike POST /reset,
// it leaves alone what someone else set up on a shared Toxiproxy.
import { GauntletError } from "../errors.ts";
import { isCutMarker, isGauntletToxic } from "./fault-plan.ts";
import type { ToxiproxyApi } from "./toxiproxy-api.ts";

export interface ClearedFaults {
  /** `proxy/toxic` for each toxic removed. */
  removed: string[];
  /** Proxies re-enabled. */
  reenabled: string[];
}

export async function clearGauntletFaults(api: ToxiproxyApi): Promise<ClearedFaults> {
  const cleared: ClearedFaults = { removed: [], reenabled: [] };
  const failures: string[] = [];
  for (const proxy of await api.listProxies()) {
    const ours = proxy.toxics.filter((toxic) => isGauntletToxic(toxic.name));
    // Re-enable before removing the marker: if this is interrupted in between, the marker is
    // still there to say the proxy is ours.
    if (!proxy.enabled && ours.some((toxic) => isCutMarker(toxic.name))) {
      try {
        await api.setEnabled(proxy.name, true);
        cleared.reenabled.push(proxy.name);
      } catch (error) {
        failures.push(`enable ${proxy.name}: ${(error as Error).message}`);
        continue;
      }
    }
    for (const toxic of ours) {
      try {
        await api.removeToxic(proxy.name, toxic.name);
        cleared.removed.push(`${proxy.name}/${toxic.name}`);
      } catch (error) {
        failures.push(`remove ${proxy.name}/${toxic.name}: ${(error as Error).message}`);
      }
    }
  }
  if (failures.length > 0) {
    const done = [...cleared.reenabled.map((name) => `re-enabled ${name}`), ...cleared.removed.map((name) => `removed ${name}`)];
    throw new GauntletError("GAUNTLET_TOXIPROXY_API", `could not clear every Gauntlet fault at ${api.url}: ${failures.join("; ")}${done.length ? ` (done: ${done.join(", ")})` : ""}`, {
      hint: "Run `gauntlet toxics clear --toxiproxy <url>` again; POST /reset removes every toxic, Gauntlet's or not.",
    });
  }
  return cleared;
}
