// A game-day plan (gamedays/*.yaml): fault profiles played one after another against a live,
// steadily loaded governor, each followed by an observation window, with the conditions under
// which the drill is aborted and every fault rolled back.
import { z } from "zod";

export const GamedayPlanSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/),
  description: z.string(),
  load: z
    .strictObject({
      rate: z.number().int().positive().default(50),
      actions: z.array(z.number().int().min(0).max(4)).default([4, 0, 3, 1, 4, 1, 0, 3]),
    })
    .default({ rate: 50, actions: [4, 0, 3, 1, 4, 1, 0, 3] }),
  phases: z
    .array(
      z.strictObject({
        /** A profile name in toxics/ or a path. */
        profile: z.string(),
        /** Quiet time after the profile's last fault is removed, before the next phase. */
        observeSeconds: z.number().nonnegative().default(15),
      }),
    )
    .min(1),
  /** Abort (and roll back) when any of these holds — the live view of the CRITICAL gates. */
  abort: z
    .strictObject({
      /** Decision latency P99 over the last 10 s, ms. */
      p99Ms: z.number().positive().default(250),
      /** Share of failed decisions so far. */
      errorRate: z.number().min(0).max(1).default(0.2),
      /** The critical pause flag held longer than this, s. */
      pausedSeconds: z.number().positive().default(30),
    })
    .default({ p99Ms: 250, errorRate: 0.2, pausedSeconds: 30 }),
});

export type GamedayPlan = z.infer<typeof GamedayPlanSchema>;
