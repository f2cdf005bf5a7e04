// The sandbox with its market, in one call, outside a run: for `gauntlet sandbox up`, the tests
// that talk to the reference governor directly, and the decision-rate benchmark.
import { startMarket, type Market, type MarketPorts } from "../core/market/market.ts";
import { join } from "node:path";
import { EventLog } from "../core/events/event-log.ts";
import { requireVenueConnection, resetTarget } from "../core/orchestrator/target-safety.ts";
import { requireTool } from "../core/tools/tools.ts";
import { launchSandbox, type SandboxHandle } from "../plugins/sandbox/launch.ts";
import { LimitsSchema, type Limits } from "../protocol/limits.ts";
import type { MarketSettingsInput } from "../protocol/market-settings.ts";
import type { FaultName } from "../sandbox/config.ts";

export interface SandboxStack {
  market: Market;
  sandbox: SandboxHandle;
  stop(): Promise<void>;
}

export async function startSandboxStack(options: {
  dir: string;
  seededFaults?: FaultName[];
  governorPort?: number;
  ports?: MarketPorts;
  /** The market and limits a scenario would set (default: the venue's and the requirements'). */
  market?: MarketSettingsInput;
  limits?: Partial<Limits>;
}): Promise<SandboxStack> {
  const toxiproxy = await requireTool("toxiproxy");
  const market = await startMarket({ dir: options.dir, toxiproxyBinary: toxiproxy.path, ports: options.ports });
  let sandbox: SandboxHandle | undefined;
  try {
    sandbox = await launchSandbox({ dir: options.dir, market, seededFaults: options.seededFaults ?? [], governorPort: options.governorPort });
    await market.reset(options.market ?? {});
    await resetTarget(sandbox.governorUrl, { limits: LimitsSchema.parse(options.limits ?? {}) });
    await requireVenueConnection(market, { name: "sandbox", baseUrl: sandbox.governorUrl, capabilities: sandbox.capabilities, async stop() {} }, new EventLog(join(options.dir, "events.ndjson")));
  } catch (error) {
    await sandbox?.stop();
    await market.stop();
    throw error;
  }
  const running = sandbox;
  return {
    market,
    sandbox: running,
    async stop() {
      await running.stop();
      await market.stop();
    },
  };
}
