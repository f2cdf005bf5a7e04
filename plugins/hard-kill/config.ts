// hard-kill's configuration: the double-fault profile, the steady load, the emergency-stop drill
// and the thresholds of REQUIREMENTS.md scenario 4.
import { z } from "zod";
import { LimitsSchema } from "../../protocol/limits.ts";
import { steadyLoadFields } from "../shared/steady-drill.ts";

export const HardKillConfigSchema = z.strictObject({
  profile: z.string().default("double-fault"),
  /** The smoke profile: a shorter double fault, still over the 5 s flattening rule. */
  smoke: z.strictObject({ profile: z.string().default("double-fault-smoke"), durationSeconds: z.number().int().positive().default(20) }).default({ profile: "double-fault-smoke", durationSeconds: 20 }),
  /** Buys only: the governor holds a position when the double fault hits, so flattening shows. */
  ...steadyLoadFields({ rate: 50, durationSeconds: 60, actions: [4, 3, 4, 2, 3] }),
  /**
   * The drill's pause must be released well before the double fault (quick: at 10 s; smoke: at
   * 6 s), or its pause is still set when the fault begins and the critical pause cannot be told
   * apart from it. At 3 s + 3 s held, smoke released it at the very moment of the fault.
   */
  emergencyStopAtS: z.number().nonnegative().default(1),
  emergencyStopHoldS: z.number().positive().default(3),
  maxPauseS: z.number().positive().default(2),
  maxEmergencyStopS: z.number().positive().default(2),
  maxFirstSafeActionS: z.number().positive().default(25),
  staleMs: z.number().positive().default(120),
  flattenAfterS: z.number().positive().default(5),
  freshDataMs: z.number().positive().default(500),
  limits: LimitsSchema.default(LimitsSchema.parse({ maxDailyTurnoverUsd: 200_000 })),
});
export type HardKillConfig = z.infer<typeof HardKillConfigSchema>;
