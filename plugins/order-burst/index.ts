// Scenario 5 — concurrent order burst: 50 rapid position changes with several orders in flight at
// once, fees on. Judged from the venue's journal (what was really filled, at what price and fee)
// against the governor's own books; the integrity check then reconciles Redis and PostgreSQL.
import { z } from "zod";
import type { OrderBurstPlan } from "../../core/plan.ts";
import { definePlugin } from "../../core/plugins/registry.ts";
import { LimitsSchema } from "../../sandbox/config.ts";
import { orderBurstGates } from "./gates.ts";

export const OrderBurstConfigSchema = z.strictObject({
  decisions: z.number().int().positive().default(50),
  concurrency: z.number().int().positive().default(8),
  symbol: z.string().default("AAPL"),
  minFilledPct: z.number().min(0).max(100).default(95),
  maxPnlDeltaUsd: z.number().nonnegative().default(1),
  /** The hard limits being certified (the sandbox enforces the same defaults). */
  limits: LimitsSchema.default(LimitsSchema.parse({})),
});
export type OrderBurstConfig = z.infer<typeof OrderBurstConfigSchema>;

export default definePlugin({
  name: "order-burst",
  description: "50 rapid position changes with orders in flight at once; breaches, fee-adjusted P&L, fill ratio.",
  dependsOn: ["sandbox", "integrity"],
  config: OrderBurstConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario<OrderBurstConfig>({
      name: "order-burst",
      description: "50 rapid position changes, several orders in flight, fees on",
      script: "order-burst",
      k6Scenario: "order_burst",
      profiles: ["quick"],
      defaultProfile: "quick",
      prepare({ runId, target }) {
        const plan: OrderBurstPlan = {
          scenario: "order-burst",
          runId,
          targetUrl: target.baseUrl,
          symbol: config.symbol,
          decisions: config.decisions,
          concurrency: config.concurrency,
          requestTimeoutMs: 2000,
        };
        // rate/durationSeconds only size the progress display: the burst is over in about a second.
        return { plan: { ...plan, rate: config.decisions, durationSeconds: 5, warmupSeconds: 0 }, samplers: [] };
      },
      judge: (evidence, { target }) => orderBurstGates(evidence, target, config),
      selftest: [
        { fault: "skip-ledger-row", mustFail: ["integrity_log_complete"] },
        { fault: "redis-drift", mustFail: ["integrity_state_synced"] },
        { fault: "fee-miscalc", mustFail: ["integrity_cash", "pnl_delta"] },
        { fault: "double-count-fill", mustFail: ["integrity_position", "pnl_delta"] },
      ],
    });
  },
});
