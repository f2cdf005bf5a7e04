// Scenario 4 — hard kill: a broker outage and a 250 ms market-data latency spike at the same
// moment, after an emergency-stop drill. The critical pause flag is sampled in Redis at 10 Hz;
// what reached the venue, and when, comes from its journal.
import { Redis } from "ioredis";
import { HardKillConfigSchema, type HardKillConfig } from "./config.ts";
import { definePlugin, sleepUnlessAborted, type ScenarioContext } from "../../core/index.ts";
import { steadyDrill } from "../shared/steady-drill.ts";
import { hardKillGates, type EmergencyStop } from "./gates.ts";

/** Whether the pause flag is up: in the Redis mirror when the target declares its key, else GET /v1/health `paused`. */
function pauseFlag(ctx: ScenarioContext<HardKillConfig>): { read(): Promise<boolean>; close(): void } {
  const mirror = ctx.target.capabilities.redisMirror;
  if (mirror?.pausedKey) {
    const redis = new Redis(mirror.url, { maxRetriesPerRequest: 1 });
    const key = mirror.pausedKey;
    return { read: async () => (await redis.exists(key)) === 1, close: () => redis.disconnect() };
  }
  const health = `${ctx.target.baseUrl}/v1/health`;
  return {
    read: async () => ((await (await fetch(health, { signal: AbortSignal.timeout(500) })).json()) as { paused?: unknown }).paused === true,
    close: () => undefined,
  };
}

/** The emergency stop: POST /v1/admin/pause, the flag timed (10 ms polls), released after a hold. */
async function emergencyStopDrill(ctx: ScenarioContext<HardKillConfig>, signal: AbortSignal): Promise<EmergencyStop | undefined> {
  const { target, config } = ctx;
  await sleepUnlessAborted(config.emergencyStopAtS * 1000, signal);
  if (signal.aborted) return undefined;
  const flag = pauseFlag(ctx);
  try {
    const requestedAt = Date.now();
    await fetch(`${target.baseUrl}/v1/admin/pause`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ paused: true, reason: "emergency-stop drill" }) });
    let visibleAt: number | undefined;
    while (!visibleAt && Date.now() - requestedAt < 10_000) {
      if (await flag.read().catch(() => false)) visibleAt = Date.now();
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    ctx.events.emit("emergency-stop", { requestedAt, visibleAt, readFrom: target.capabilities.redisMirror?.pausedKey ? "redis" : "/v1/health" });
    await sleepUnlessAborted(config.emergencyStopHoldS * 1000, signal);
    const releasedAt = Date.now();
    await fetch(`${target.baseUrl}/v1/admin/pause`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ paused: false }) });
    ctx.events.emit("emergency-stop.released", { at: releasedAt });
    return { requestedAt, visibleAt, releasedAt };
  } finally {
    flag.close();
  }
}

export default definePlugin({
  name: "hard-kill",
  description: "Emergency stop drill, then broker cut + 250 ms latency at once: pause flag, no orders while paused, flatten, recovery.",
  dependsOn: ["sandbox", "integrity"],
  config: HardKillConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario(
      steadyDrill({
        name: "hard-kill",
        description: "emergency stop drill, then a double fault (broker cut + 250 ms latency)",
        config,
        gates: [{ id: "emergency_stop" }, { id: "pause_within_2s" }, { id: "orders_while_paused" }, { id: "flattened_on_stale_data" }, { id: "first_safe_action" }],
        profiles: {
          quick: { durationSeconds: config.durationSeconds, schedule: [{ profile: config.profile, startS: 0 }] },
          smoke: { durationSeconds: config.smoke.durationSeconds, schedule: [{ profile: config.smoke.profile, startS: 0 }] },
        },
        samplers: [{ name: "pause-flag", intervalMs: 100 }],
        limits: config.limits,
        recoveryOf: { proxy: "broker", freshDataMs: config.freshDataMs },
        alongside: emergencyStopDrill,
        judge: (evidence, { target }, stop) => hardKillGates(evidence, target, config, stop),
        selftest: [
          { seededFault: "leaks-orders-while-paused", mustFail: ["orders_while_paused"] },
          { seededFault: "late-pause", mustFail: ["pause_within_2s"] },
          { seededFault: "never-flattens", mustFail: ["flattened_on_stale_data"] },
          { seededFault: "reconnects-slowly", mustFail: ["first_safe_action"] },
        ],
      }),
    );
  },
});
