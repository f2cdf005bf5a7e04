// Portfolio integrity, judged after every scenario, for any governor: do its books (/v1/state)
// agree with the venue's own fills — to the dollar, fees included — and is every order it answered
// with at the venue or cancelled there with a reason, and none left open (CRITICAL: an order
// nobody can find is money at risk)? A governor that declares a Redis mirror or a
// ledger has those reconciled too (every decision k6 saw answered in the ledger exactly once);
// one that does not has those comparisons "not applicable", shown as not covered.
import { z } from "zod";
import { definePlugin } from "../../core/index.ts";
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
      description: "position and cash vs the venue's fills; Redis ↔ PostgreSQL ↔ counters; every order accounted for",
      gates: [{ id: "orders_accounted" }, { id: "integrity_position" }, { id: "integrity_cash" }, { id: "integrity_state_synced", requires: ["redisMirror", "ledger"] }, { id: "integrity_log_complete" }],
      async judge({ target, evidence, events }) {
        const settled = await quiesce(target, config.quiesceTimeoutMs);
        events.emit("integrity.snapshot", settled);
        const { redisMirror, ledger: ledgerCapability } = target.capabilities;
        // A declared capability that cannot be read is "could not judge" for its gate, not an error for all.
        const [governor, redis, ledger, venue] = await Promise.all([
          readGovernor(target.baseUrl),
          redisMirror ? readRedis(redisMirror.url, redisMirror.stateKey).catch(() => undefined) : undefined,
          ledgerCapability ? readLedger(ledgerCapability.url, ledgerCapability.queries).catch(() => undefined) : undefined,
          target.venueJournal ? readVenueJournal(target.venueJournal) : undefined,
        ]);
        const digest = evidence.k6.digest;
        const declares = { redisMirror: Boolean(redisMirror), ledger: Boolean(ledgerCapability) };
        const outcome = integrityGates({ governor, settled, redis, ledger, venue, answered: digest.answered, orders: digest.orders, declares }, config);
        return { gates: outcome.gates, facts: { ...outcome.facts, quiesced: settled } };
      },
    });
  },
});
