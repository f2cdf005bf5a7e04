// Scenario 4 — hard kill: a broker outage and a 250 ms market-data latency spike at the same
// moment, after an emergency-stop drill. The critical pause flag is sampled in Redis at 10 Hz;
// what reached the venue, and when, comes from its journal.
import { z } from "zod";
import { Redis } from "ioredis";
import type { SteadyPlan } from "../../core/plan.ts";
import { definePlugin } from "../../core/plugins/registry.ts";
import { LimitsSchema } from "../../sandbox/config.ts";
import { INSTITUTIONAL_MIN_FEE } from "../broker-failure/index.ts";
import { playProfile, type AppliedFault } from "../shared/fault-play.ts";
import { hardKillGates, type EmergencyStop } from "./gates.ts";

export const HardKillConfigSchema = z.strictObject({
  profile: z.string().default("double-fault"),
  rate: z.number().int().positive().default(50),
  durationSeconds: z.number().int().positive().default(60),
  /** Buys only: the governor holds a position when the double fault hits, so flattening shows. */
  actions: z.array(z.number().int().min(0).max(4)).default([4, 3, 4, 2, 3]),
  emergencyStopAtS: z.number().nonnegative().default(3),
  emergencyStopHoldS: z.number().positive().default(3),
  maxPauseS: z.number().positive().default(2),
  maxEmergencyStopS: z.number().positive().default(2),
  maxFirstSafeActionS: z.number().positive().default(25),
  staleMs: z.number().positive().default(120),
  flattenAfterS: z.number().positive().default(5),
  freshDataMs: z.number().positive().default(500),
  limits: LimitsSchema.default(LimitsSchema.parse({ maxDailyTurnoverUsd: 200_000 })),
});
export type HardKillConfig = z.infer<typeof HardKillConfigSchema>;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()));
  });

export default definePlugin({
  name: "hard-kill",
  description: "Emergency stop drill, then broker cut + 250 ms latency at once: pause flag, no orders while paused, flatten, recovery.",
  dependsOn: ["sandbox", "integrity"],
  config: HardKillConfigSchema,
  setup(ctx, config) {
    let applied: AppliedFault[] = [];
    let stop: EmergencyStop | undefined;
    ctx.registerScenario<HardKillConfig>({
      name: "hard-kill",
      description: "emergency stop drill, then a double fault (broker cut + 250 ms latency)",
      script: "steady",
      k6Scenario: "steady",
      profiles: ["quick"],
      defaultProfile: "quick",
      sandboxOptions: () => ({ limits: config.limits, venue: { minFeeUsd: INSTITUTIONAL_MIN_FEE } }),
      prepare({ runId, target }) {
        applied = [];
        stop = undefined;
        const plan: SteadyPlan = {
          scenario: "hard-kill", runId, targetUrl: target.baseUrl, symbol: "AAPL", rate: config.rate,
          durationSeconds: config.durationSeconds, actions: config.actions, preAllocatedVUs: 20, maxVUs: 200, requestTimeoutMs: 2000,
        };
        return { plan: { ...plan }, samplers: [{ name: "pause-flag", intervalMs: 100 }] };
      },
      async during(ctx, signal) {
        const drill = async () => {
          const { target } = ctx;
          if (!target.redisUrl || !target.keys?.paused) return;
          await sleep(config.emergencyStopAtS * 1000, signal);
          if (signal.aborted) return;
          const redis = new Redis(target.redisUrl);
          try {
            const requestedAt = Date.now();
            await fetch(`${target.baseUrl}/v1/admin/pause`, { method: "POST", body: JSON.stringify({ paused: true, reason: "emergency-stop drill" }) });
            let visibleAt: number | undefined;
            while (!visibleAt && Date.now() - requestedAt < 10_000) {
              if (await redis.exists(target.keys.paused)) visibleAt = Date.now();
              else await new Promise((resolve) => setTimeout(resolve, 10));
            }
            ctx.events.emit("emergency-stop", { requestedAt, visibleAt });
            await sleep(config.emergencyStopHoldS * 1000, signal);
            const releasing = Date.now();
            await fetch(`${target.baseUrl}/v1/admin/pause`, { method: "POST", body: JSON.stringify({ paused: false }) });
            stop = { requestedAt, visibleAt, releasedAt: releasing };
            ctx.events.emit("emergency-stop.released", { at: releasing });
          } finally {
            redis.disconnect();
          }
        };
        await Promise.all([drill(), playProfile(ctx, config.profile, signal, applied)]);
      },
      judge: (evidence, { target }) => hardKillGates(evidence, target, config, applied, stop),
      selftest: [
        { fault: "leaks-orders-while-paused", mustFail: ["orders_while_paused"] },
        { fault: "late-pause", mustFail: ["pause_within_2s"] },
        { fault: "never-flattens", mustFail: ["flattened_on_stale_data"] },
        { fault: "reconnects-slowly", mustFail: ["first_safe_action"] },
      ],
    });
  },
});
