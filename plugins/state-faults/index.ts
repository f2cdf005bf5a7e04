// Faults on the state paths: steady decisions while Redis slows down (redis-latency) and then
// PostgreSQL goes away (postgres-outage). The decision path must not wait on either, and once
// they are back the ledger must hold every decision — the integrity check proves it after the run.
import { z } from "zod";
import { definePlugin, formatNumber as n, gateSpec, judge, noData } from "../../core/index.ts";
import { steadyDrill, steadyLoadFields } from "../shared/steady-drill.ts";

export const StateFaultsConfigSchema = z.strictObject({
  ...steadyLoadFields({
    rate: 300,
    durationSeconds: 60,
    actions: [4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2],
    preAllocatedVUs: 50,
    maxVUs: 300,
  }),
  /** Profiles and when each starts, seconds into the run. */
  profiles: z.array(z.strictObject({ profile: z.string(), startS: z.number().nonnegative() })).default([
    { profile: "redis-latency", startS: 0 },
    { profile: "postgres-outage", startS: 25 },
  ]),
  /** The smoke profile: the same two faults, shorter. */
  smoke: z
    .strictObject({
      durationSeconds: z.number().int().positive().default(16),
      profiles: z.array(z.strictObject({ profile: z.string(), startS: z.number().nonnegative() })).default([
        { profile: "redis-latency-smoke", startS: 0 },
        { profile: "postgres-outage-smoke", startS: 8 },
      ]),
    })
    .default({ durationSeconds: 16, profiles: [{ profile: "redis-latency-smoke", startS: 0 }, { profile: "postgres-outage-smoke", startS: 8 }] }),
  p99Ms: z.number().positive().default(15),
  maxErrorRate: z.number().min(0).max(1).default(0.01),
});
export type StateFaultsConfig = z.infer<typeof StateFaultsConfigSchema>;

export default definePlugin({
  name: "state-faults",
  description: "Redis latency, then a PostgreSQL outage, under steady decisions: answers keep flowing, the ledger loses nothing.",
  dependsOn: ["sandbox", "integrity"],
  config: StateFaultsConfigSchema,
  setup(ctx, config) {
    const errorSpec = gateSpec("error_rate", "Decisions answered while the state paths were faulted", "load", "HIGH", "%", "<", config.maxErrorRate * 100);
    const latencySpec = gateSpec("latency_p99", "Decision latency P99 with Redis slow and PostgreSQL away", "latency", "HIGH", "ms", "<=", config.p99Ms);
    ctx.registerScenario(
      steadyDrill({
        name: "state-faults",
        description: "Redis latency and a PostgreSQL outage during steady decisions",
        config,
        gates: [{ id: "error_rate" }, { id: "latency_p99" }],
        // latency_p99 judges that the decision path never waits on Redis: milliseconds.
        timingGates: ["latency_p99"],
        profiles: {
          quick: { durationSeconds: config.durationSeconds, schedule: config.profiles },
          smoke: { durationSeconds: config.smoke.durationSeconds, schedule: config.smoke.profiles },
        },
        samplers: [{ name: "redis-backlog", intervalMs: 200 }],
        judge(evidence) {
          const digest = evidence.k6.digest;
          const errorRate = digest.requests ? digest.failed / digest.requests : Number.NaN;
          const faults = evidence.faults.records.map((f) => `${f.proxy} ${f.fault} for ${n(((f.removedAt ?? evidence.driveEndMs) - f.appliedAt) / 1000)} s`).join(", ");
          return [
            judge(errorSpec, errorRate * 100, `${n(digest.failed)} of ${n(digest.requests)} decisions failed; faults applied: ${faults || "none"}`),
            digest.latency.count > 0
              ? judge(latencySpec, digest.latency.percentileMs(99), `k6 http_req_duration over ${n(digest.latency.count)} decisions: the decision path must not wait on the state stores`)
              : noData(latencySpec, "no decision was measured"),
          ];
        },
        selftest: [{ seededFault: "ledger-drops-on-error", mustFail: ["integrity_log_complete"] }],
      }),
    );
  },
});
