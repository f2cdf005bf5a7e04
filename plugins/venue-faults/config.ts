// venue-faults' configuration: the profiles it plays, the steady load, and what "fresh" means for
// the market-data gate.
import { z } from "zod";
import { LimitsSchema } from "../../protocol/limits.ts";
import { steadyLoadFields } from "../shared/steady-drill.ts";

export const VenueFaultsConfigSchema = z.strictObject({
  profile: z.string().default("venue-protocol"),
  smoke: z.strictObject({ profile: z.string().default("venue-protocol-smoke"), durationSeconds: z.number().int().positive().default(18) }).default({ profile: "venue-protocol-smoke", durationSeconds: 18 }),
  // Half the decisions trade (25 orders/s), both ways, so that every order-entry fault meets fills
  // and partial positions, and every market-data fault meets decisions that want to trade.
  ...steadyLoadFields({ rate: 50, durationSeconds: 62, actions: [4, 2, 0, 2, 3, 2, 1, 2] }),
  /**
   * A decision may still trade this long after the feed went bad: a governor only knows its data
   * is stale once it has aged (the requirements' 500 ms). After that, none may.
   */
  freshDataMs: z.number().positive().default(500),
  /**
   * And this much more: the last good tick may come up to a heartbeat (100 ms) after the fault
   * began, and k6 sees an answer a little after the governor decided it. A correct governor was
   * seen trading once 0.5 s into a frozen feed.
   */
  graceMs: z.number().min(0).default(250),
  limits: LimitsSchema.default(LimitsSchema.parse({ maxDailyTurnoverUsd: 200_000 })),
});
export type VenueFaultsConfig = z.infer<typeof VenueFaultsConfigSchema>;
