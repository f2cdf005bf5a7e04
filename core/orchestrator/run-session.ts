// What lasts across the runs of a self-test, a certification or a test file: the market (Toxiproxy,
// the venue and its proxies) and the target's own long-lived services (the sandbox's Redis and
// PostgreSQL), started once and reset between runs — so a run pays only for what must be new each
// time (the governor, k6). A run without a session starts and stops everything itself.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { EventLog } from "../events/event-log.ts";
import { clearGauntletFaults } from "../faults/clear-faults.ts";
import { log } from "../log.ts";
import { startMarket, type Market } from "../market/market.ts";
import type { SharedServices } from "../plugins/contracts.ts";
import type { Registry } from "../plugins/registry.ts";
import { runsDir } from "../paths.ts";
import { clearActiveRun, recordActiveRun } from "../services/leftovers.ts";
import { ensureReaper } from "../services/reaper.ts";
import { requireTool } from "../tools/tools.ts";

export interface RunSession {
  id: string;
  /** Where the shared services keep their logs (runs/<session>/services). */
  dir: string;
  /** The target the session was opened for: every run in it drives this one. */
  target: string;
  targetOptions: Record<string, unknown>;
  market: Market;
  shared: SharedServices | undefined;
  close(): Promise<void>;
}

export async function openRunSession(options: { registry: Registry; target: string; targetOptions?: Record<string, unknown>; label: string }): Promise<RunSession> {
  const id = `${new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}-${options.label}`;
  const dir = join(runsDir(), id, "services");
  mkdirSync(dir, { recursive: true });
  const events = new EventLog(join(runsDir(), id, "events.ndjson"));
  const definition = options.registry.target(options.target);
  const targetOptions = options.targetOptions ?? {};
  const toxiproxy = await requireTool("toxiproxy");
  const market = await startMarket({ dir, toxiproxyBinary: toxiproxy.path, ports: definition.marketPorts?.(targetOptions) });
  let shared: SharedServices | undefined;
  try {
    shared = await definition.openShared?.({ dir, market, events, options: targetOptions });
  } catch (error) {
    await market.stop();
    throw error;
  }
  ensureReaper();
  recordActiveRun(id, { toxiproxyUrl: market.toxiproxyUrl });
  events.emit("session.open", { target: options.target, processes: market.processes.map((p) => ({ name: p.name, pid: p.pid })) });
  log.info(`services up for the whole ${options.label}: ${dir}`);
  return {
    id,
    dir,
    target: options.target,
    targetOptions,
    market,
    shared,
    async close() {
      await clearGauntletFaults(market.toxiproxy).catch(() => undefined);
      await shared?.stop().catch((error: Error) => log.warn(`stopping shared services: ${error.message}`));
      await market.stop();
      clearActiveRun(id);
      // PostgreSQL's cluster (~40 MB) is only useful while the session lasts; the logs stay.
      rmSync(join(dir, "postgres", "data"), { recursive: true, force: true });
      events.emit("session.close", {});
    },
  };
}
