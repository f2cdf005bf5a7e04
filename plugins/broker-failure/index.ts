// Scenario 3 — broker failure: steady decisions while the broker goes away for 10 s, twice (the
// default profile turns the link into a black hole for 2 s, then cuts it for 8 s). Judged from the
// venue's journal and the ledger: how long until the first safe action, whether positions were
// held, and whether every order caught in the outage reached the venue exactly once or was
// cancelled with a reason.
import { z } from "zod";
import type { SteadyPlan } from "../../core/plan.ts";
import { definePlugin } from "../../core/plugins/registry.ts";
import { LimitsSchema } from "../../sandbox/config.ts";
import { playProfile, type AppliedFault } from "../shared/fault-play.ts";
import { brokerFailureGates } from "./gates.ts";

/**
 * Minutes of steady trading at the retail $0.35 minimum would burn the $100 loss budget on fees
 * alone, and the loss stop would then (rightly) halt trading; the outage drills use an
 * institutional schedule (1 bp, $0.01 minimum). order-burst keeps the retail minimum.
 */
export const INSTITUTIONAL_MIN_FEE = 0.01;

export const BrokerFailureConfigSchema = z.strictObject({
  profile: z.string().default("broker-outage-10s"),
  rate: z.number().int().positive().default(50),
  durationSeconds: z.number().int().positive().default(100),
  /** One decision in five trades (10 orders/s): enough to be caught in every outage, cheap in fees. */
  actions: z.array(z.number().int().min(0).max(4)).default([4, 2, 2, 2, 2, 0, 2, 2, 2, 2]),
  maxMeanRecoveryS: z.number().positive().default(25),
  maxRecoveryS: z.number().positive().default(30),
  freshDataMs: z.number().positive().default(500),
  // A day's turnover budget, so that orders keep flowing through both outages; every other limit
  // stays at the requirements' defaults.
  limits: LimitsSchema.default(LimitsSchema.parse({ maxDailyTurnoverUsd: 200_000 })),
});
export type BrokerFailureConfig = z.infer<typeof BrokerFailureConfigSchema>;

export default definePlugin({
  name: "broker-failure",
  description: "10 s broker outage, twice: recovery time, positions held, order queue intact, no breaches.",
  dependsOn: ["sandbox", "integrity"],
  config: BrokerFailureConfigSchema,
  setup(ctx, config) {
    let applied: AppliedFault[] = [];
    ctx.registerScenario<BrokerFailureConfig>({
      name: "broker-failure",
      description: "broker cut for 10 s, twice, under steady decisions",
      script: "steady",
      k6Scenario: "steady",
      profiles: ["quick"],
      defaultProfile: "quick",
      sandboxOptions: () => ({ limits: config.limits, venue: { minFeeUsd: INSTITUTIONAL_MIN_FEE } }),
      prepare({ runId, target }) {
        applied = [];
        const plan: SteadyPlan = {
          scenario: "broker-failure", runId, targetUrl: target.baseUrl, symbol: "AAPL", rate: config.rate,
          durationSeconds: config.durationSeconds, actions: config.actions, preAllocatedVUs: 20, maxVUs: 200, requestTimeoutMs: 2000,
        };
        return { plan: { ...plan }, samplers: [] };
      },
      during: (ctx, signal) => playProfile(ctx, config.profile, signal, applied),
      judge: (evidence, { target }) => brokerFailureGates(evidence, target, config, applied),
      selftest: [
        { fault: "sends-queued-twice", mustFail: ["order_queue_intact"] },
        { fault: "drops-queue", mustFail: ["order_queue_intact"] },
        { fault: "panic-sells-on-disconnect", mustFail: ["positions_held"] },
        { fault: "reconnects-slowly", mustFail: ["recovery_mean", "recovery_max"] },
      ],
    });
  },
});
