// The hard limits a governor enforces (REQUIREMENTS.md): part of the target contract. Gauntlet
// judges every fill against them; the reference governor enforces the same values. Ground floor:
// the sandbox, core and the plugins all read this one schema.
import { z } from "zod";

export const LimitsSchema = z.strictObject({
  capitalUsd: z.number().positive().default(1000),
  maxIntradayLossUsd: z.number().positive().default(100),
  maxPositionNotionalUsd: z.number().positive().default(500),
  maxDailyTurnoverUsd: z.number().positive().default(2000),
  maxSingleTradeUsd: z.number().positive().default(50),
  drawdownCautionPct: z.number().positive().default(5),
  drawdownReducePct: z.number().positive().default(8),
  drawdownForceFlatPct: z.number().positive().default(10),
});
export type Limits = z.infer<typeof LimitsSchema>;
