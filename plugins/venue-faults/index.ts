// Venue protocol faults: steady decisions while the venue says wrong things in well-formed
// messages (protocol/venue-faults.ts) — fills twice or out of order, a fill for an order nobody
// sent, late and delayed acks, a reject storm, a crossed book, a frozen feed, lost and repeated
// ticks. Toxiproxy cannot do this: it breaks bytes. The books are judged by the integrity gates
// that follow every scenario (against the venue's journal); this drill adds that no decision may
// trade on a price that is not one.
import { definePlugin } from "../../core/index.ts";
import { steadyDrill } from "../shared/steady-drill.ts";
import { VenueFaultsConfigSchema } from "./config.ts";
import { badDataGate } from "./gates.ts";

export default definePlugin({
  name: "venue-faults",
  description: "Venue protocol faults (duplicate/out-of-order/unsolicited fills, late acks, reject storm, crossed book, frozen feed): books and trading judged.",
  dependsOn: ["sandbox", "integrity"],
  config: VenueFaultsConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario(
      steadyDrill({
        name: "venue-faults",
        description: "every venue protocol fault under steady decisions",
        config,
        gates: [{ id: "no_trading_on_bad_data" }],
        profiles: {
          quick: { durationSeconds: config.durationSeconds, schedule: [{ profile: config.profile, startS: 0 }] },
          smoke: { durationSeconds: config.smoke.durationSeconds, schedule: [{ profile: config.smoke.profile, startS: 0 }] },
        },
        limits: config.limits,
        judge: async (evidence, { target }) => [await badDataGate(evidence, target, config)],
        selftest: [
          { seededFault: "fill-seq-high-water", mustFail: ["integrity_position"] },
          { seededFault: "ignores-unknown-fills", mustFail: ["integrity_position"] },
          { seededFault: "ack-reopens-order", mustFail: ["integrity_log_complete"] },
          { seededFault: "trusts-crossed-book", mustFail: ["no_trading_on_bad_data"] },
          { seededFault: "age-from-arrival", mustFail: ["no_trading_on_bad_data"] },
        ],
      }),
    );
  },
});
