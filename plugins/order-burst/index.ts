// Scenario 5 — concurrent order burst: 50 rapid position changes with several orders in flight at
// once, fees on. Judged from the venue's journal (what was really filled, at what price and fee)
// against the governor's own books; the integrity check then reconciles Redis and PostgreSQL.
import { definePlugin } from "../../core/index.ts";
import { OrderBurstConfigSchema, orderBurstPlan, type OrderBurstConfig, type OrderBurstPlan } from "./config.ts";
import { orderBurstGates } from "./gates.ts";
import { withReplayNote } from "../shared/market-data-notes.ts";

export default definePlugin({
  name: "order-burst",
  description: "50 rapid position changes with orders in flight at once; breaches, fee-adjusted P&L, fill ratio.",
  dependsOn: ["sandbox", "integrity"],
  config: OrderBurstConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario<OrderBurstConfig, OrderBurstPlan>({
      name: "order-burst",
      description: "50 rapid position changes, several orders in flight, fees on",
      script: "order-burst",
      k6Scenario: "order-burst",
      gates: [{ id: "limit_breaches" }, { id: "pnl_delta" }, { id: "filled_ratio" }],
      profiles: ["quick", "smoke"],
      defaultProfile: "quick",
      plan: orderBurstPlan,
      limits: config.limits,
      judge: async (evidence, { target }) => withReplayNote(await orderBurstGates(evidence, target, config), target.venueAdminUrl),
      selftest: [
        { seededFault: "skip-ledger-row", mustFail: ["integrity_log_complete"] },
        { seededFault: "redis-drift", mustFail: ["integrity_state_synced"] },
        { seededFault: "fee-miscalc", mustFail: ["integrity_cash", "pnl_delta"] },
        { seededFault: "double-count-fill", mustFail: ["integrity_position", "pnl_delta"] },
      ],
    });
  },
});
