// Portfolio integrity, judged after every scenario: do the governor, its Redis mirror, its
// PostgreSQL ledger and the venue's own fills agree — to the dollar, fees included — and is every
// decision k6 saw answered in the ledger exactly once?
import { z } from "zod";
import { definePlugin } from "../../core/plugins/registry.ts";
import { integrityGates } from "./reconcile.ts";
import { readVenueJournal } from "../shared/venue-journal.ts";
import { quiesce, readGovernor, readLedger, readRedis } from "./sources.ts";

export const IntegrityConfigSchema = z.strictObject({
  maxPositionDeltaUsd: z.number().nonnegative().default(1),
  maxCashDeltaUsd: z.number().nonnegative().default(1),
  quiesceTimeoutMs: z.number().int().positive().default(15_000),
});

export default definePlugin({
  name: "integrity",
  description: "Reconciles governor, Redis, PostgreSQL and venue books after every scenario.",
  config: IntegrityConfigSchema,
  setup(ctx, config) {
    ctx.registerCheck({
      name: "integrity",
      description: "position and cash vs the venue's fills; Redis ↔ PostgreSQL ↔ counters; complete ledger",
      async judge({ target, evidence, events }) {
        const settled = await quiesce(target.baseUrl, config.quiesceTimeoutMs);
        events.emit("integrity.snapshot", settled);
        const [governor, redis, ledger, venue] = await Promise.all([
          readGovernor(target.baseUrl),
          target.redisUrl && target.keys?.state ? readRedis(target.redisUrl, target.keys.state) : undefined,
          target.postgresUrl ? readLedger(target.postgresUrl) : undefined,
          target.venueJournal ? readVenueJournal(target.venueJournal) : undefined,
        ]);
        const outcome = integrityGates({ governor, redis, ledger, venue, answered: evidence.k6.digest.answered }, config);
        return { gates: outcome.gates, facts: { ...outcome.facts, quiesced: settled } };
      },
    });
  },
});
