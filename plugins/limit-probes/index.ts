// The limit probes: five scenarios, one per hard limit, each pushing the governor into its limit on
// purpose (probes.ts) and judging from the venue's fills that the limit held. One folder, one k6
// script (scripts/limit-probe.ts), the scenarios registered from the probe table.
import { definePlugin } from "../../core/index.ts";
import { INSTITUTIONAL_MIN_FEE } from "../shared/steady-drill.ts";
import { limitProbeJudgement } from "./gates.ts";
import { LimitProbeConfigSchema, limitProbePlan, probeSeconds, type LimitProbeConfig, type LimitProbePlan } from "./plan.ts";
import { PROBES } from "./probes.ts";

export default definePlugin({
  name: "limit-probes",
  description: "One drive per hard limit (notional, turnover, single trade, loss, drawdown) that pushes the governor into it.",
  dependsOn: ["sandbox", "integrity"],
  config: LimitProbeConfigSchema,
  setup(ctx, config) {
    for (const probe of PROBES) {
      const limits = { ...config.limits, ...probe.limits };
      ctx.registerScenario<LimitProbeConfig, LimitProbePlan>({
        name: probe.name,
        description: `limit probe: ${probe.description}`,
        script: "limit-probe",
        k6Scenario: probe.decline ? "pressure" : "burst",
        gates: [{ id: probe.gate }, { id: "limit_breaches" }],
        profiles: ["quick", "smoke"],
        defaultProfile: "quick",
        plan: limitProbePlan(probe),
        expectedSeconds: probeSeconds,
        limits,
        market: () => ({
          // Fees at an institutional rate: the probes' tight loss and drawdown stops measure the
          // market's move, not a retail minimum commission per slice.
          minFeeUsd: INSTITUTIONAL_MIN_FEE,
          ...(probe.decline
            ? {
                replay: {
                  loop: true,
                  autostart: false,
                  // A plain slide of the real book: no spread widening, no depth removed.
                  crash: { startSeconds: probe.decline.startSeconds, windowSeconds: probe.decline.seconds, dropPct: probe.decline.dropPct, path: "linear", spreadFactor: 1, depthRemovedPct: 0 },
                },
              }
            : {}),
        }),
        ...(probe.outage
          ? {
              faultProfiles: () => [probe.outage!],
              during: async (ctx, signal) => void (await ctx.faults.play(probe.outage!, signal)),
            }
          : {}),
        judge: (evidence, { target }) => limitProbeJudgement(probe, evidence, target, config, limits),
        selftest: [{ seededFault: probe.seededFault, mustFail: [probe.gate] }],
      });
    }
  },
});
