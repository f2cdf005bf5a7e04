// Faults on the state paths: steady decisions while Redis slows down (redis-latency) and then
// PostgreSQL goes away (postgres-outage). The decision path must not wait on either, and once
// they are back the ledger must hold every decision — the integrity check proves it after the run.
import { z } from "zod";
import type { SteadyPlan } from "../../core/plan.ts";
import { definePlugin } from "../../core/plugins/registry.ts";
import { formatNumber as n, judge, noData } from "../../core/gates/gate.ts";
import { INSTITUTIONAL_MIN_FEE } from "../broker-failure/index.ts";
import { playProfile, type AppliedFault } from "../shared/fault-play.ts";

export const StateFaultsConfigSchema = z.strictObject({
  rate: z.number().int().positive().default(300),
  durationSeconds: z.number().int().positive().default(60),
  actions: z.array(z.number().int().min(0).max(4)).default([4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2]),
  /** Profiles and when each starts, seconds into the run. */
  profiles: z.array(z.strictObject({ profile: z.string(), startS: z.number().nonnegative() })).default([
    { profile: "redis-latency", startS: 0 },
    { profile: "postgres-outage", startS: 25 },
  ]),
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
    let applied: AppliedFault[] = [];
    ctx.registerScenario<StateFaultsConfig>({
      name: "state-faults",
      description: "Redis latency and a PostgreSQL outage during steady decisions",
      script: "steady",
      k6Scenario: "steady",
      profiles: ["quick"],
      defaultProfile: "quick",
      sandboxOptions: () => ({ venue: { minFeeUsd: INSTITUTIONAL_MIN_FEE } }),
      prepare({ runId, target }) {
        applied = [];
        const plan: SteadyPlan = {
          scenario: "state-faults", runId, targetUrl: target.baseUrl, symbol: "AAPL", rate: config.rate,
          durationSeconds: config.durationSeconds, actions: config.actions, preAllocatedVUs: 50, maxVUs: 300, requestTimeoutMs: 2000,
        };
        return { plan: { ...plan }, samplers: [{ name: "redis-backlog", intervalMs: 200 }] };
      },
      async during(ctx, signal) {
        await Promise.all(
          config.profiles.map(async ({ profile, startS }) => {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, startS * 1000);
              signal.addEventListener("abort", () => (clearTimeout(timer), resolve()));
            });
            if (!signal.aborted) await playProfile(ctx, profile, signal, applied);
          }),
        );
      },
      judge(evidence) {
        const digest = evidence.k6.digest;
        const errorRate = digest.requests ? digest.failed / digest.requests : Number.NaN;
        const faults = applied.map((f) => `${f.proxy} ${f.fault} for ${n(((f.removedAt ?? evidence.driveEndMs) - f.appliedAt) / 1000)} s`).join(", ");
        return [
          judge(
            { id: "error_rate", title: "Decisions answered while the state paths were faulted", category: "load", severity: "HIGH", unit: "%", comparator: "<", threshold: config.maxErrorRate * 100 },
            errorRate * 100,
            `${n(digest.failed)} of ${n(digest.requests)} decisions failed; faults applied: ${faults || "none"}`,
          ),
          digest.latency.count > 0
            ? judge(
                { id: "latency_p99", title: "Decision latency P99 with Redis slow and PostgreSQL away", category: "latency", severity: "HIGH", unit: "ms", comparator: "<=", threshold: config.p99Ms },
                digest.latency.percentileMs(99),
                `k6 http_req_duration over ${n(digest.latency.count)} decisions: the decision path must not wait on the state stores`,
              )
            : noData({ id: "latency_p99", title: "Decision latency P99", category: "latency", severity: "HIGH", unit: "ms", comparator: "<=", threshold: config.p99Ms }, "no decision was measured"),
        ];
      },
      selftest: [{ fault: "ledger-drops-on-error", mustFail: ["integrity_log_complete"] }],
    });
  },
});
