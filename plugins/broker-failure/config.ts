// broker-failure's configuration: the profile it plays, the steady load, the recovery thresholds
// and the limits being certified.
import { z } from "zod";
import { LimitsSchema } from "../../protocol/limits.ts";
import { steadyLoadFields } from "../shared/steady-drill.ts";

export const BrokerFailureConfigSchema = z.strictObject({
  profile: z.string().default("broker-outage-10s"),
  /** The smoke profile (CI, self-test, certify --profile smoke): shorter cuts, the same two kinds. */
  smoke: z.strictObject({ profile: z.string().default("broker-outage-smoke"), durationSeconds: z.number().int().positive().default(20) }).default({ profile: "broker-outage-smoke", durationSeconds: 20 }),
  // One decision in five trades (10 orders/s): enough to be caught in every outage, cheap in fees.
  ...steadyLoadFields({ rate: 50, durationSeconds: 100, actions: [4, 2, 2, 2, 2, 0, 2, 2, 2, 2] }),
  maxMeanRecoveryS: z.number().positive().default(25),
  maxRecoveryS: z.number().positive().default(30),
  freshDataMs: z.number().positive().default(500),
  // A day's turnover budget, so that orders keep flowing through both outages; every other limit
  // stays at the requirements' defaults.
  limits: LimitsSchema.default(LimitsSchema.parse({ maxDailyTurnoverUsd: 200_000 })),
});
export type BrokerFailureConfig = z.infer<typeof BrokerFailureConfigSchema>;
