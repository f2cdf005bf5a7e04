// Scenario 3 — broker failure: steady decisions while the broker goes away for 10 s, twice (the
// default profile turns the link into a black hole for 2 s, then cuts it for 8 s). Judged from the
// venue's journal and the ledger: how long until the first safe action, whether positions were
// held, and whether every order caught in the outage reached the venue exactly once or was
// cancelled with a reason.
import { BrokerFailureConfigSchema } from "./config.ts";
import { definePlugin } from "../../core/index.ts";
import { steadyDrill } from "../shared/steady-drill.ts";
import { brokerFailureGates } from "./gates.ts";

export default definePlugin({
  name: "broker-failure",
  description: "10 s broker outage, twice: recovery time, positions held, order queue intact, no breaches.",
  dependsOn: ["sandbox", "integrity"],
  config: BrokerFailureConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario(
      steadyDrill({
        name: "broker-failure",
        description: "broker cut for 10 s, twice, under steady decisions",
        config,
        gates: [{ id: "recovery_mean" }, { id: "recovery_max" }, { id: "positions_held" }, { id: "order_queue_intact" }, { id: "limit_breaches" }],
        // positions_held hangs on when the governor notices a black-holed link: beside other runs a
        // correct governor was twice starved into sending 13 and 20 orders decided in the outage.
        timingGates: ["positions_held"],
        profiles: {
          quick: { durationSeconds: config.durationSeconds, schedule: [{ profile: config.profile, startS: 0 }] },
          smoke: { durationSeconds: config.smoke.durationSeconds, schedule: [{ profile: config.smoke.profile, startS: 0 }] },
        },
        limits: config.limits,
        recoveryOf: { proxy: "broker", freshDataMs: config.freshDataMs },
        judge: (evidence, { target }) => brokerFailureGates(evidence, target, config),
        selftest: [
          { seededFault: "sends-queued-twice", mustFail: ["order_queue_intact"] },
          { seededFault: "drops-queue", mustFail: ["order_queue_intact", "orders_accounted"] },
          { seededFault: "panic-sells-on-disconnect", mustFail: ["positions_held"] },
          { seededFault: "reconnects-slowly", mustFail: ["recovery_mean", "recovery_max"] },
        ],
      }),
    );
  },
});
