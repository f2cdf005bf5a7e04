// Faults at the protocol level of the venue: what Toxiproxy cannot do, because it breaks bytes and
// these are well-formed messages that say the wrong thing — a fill sent twice, fills out of order,
// a fill for an order nobody sent, a storm of rejects, acks that come late or after the fill, gaps
// in the market-data sequence, ticks repeated or frozen, a crossed book. A fault profile step
// names one with `venue:` instead of a toxic (core/faults/profile-schema.ts), and the run's fault
// timeline applies and removes it through the venue's admin API (PUT/DELETE /admin/faults/<id>),
// on the same clock and in the same record as the toxics. One zod schema per fault gives the
// profile check, the venue's check and schemas/fault-profile.schema.json.
import { z } from "zod";
import { unknownTypeError } from "./type-registry-error.ts";

const ms = (what: string) => z.number().min(0).describe(`${what}, ms.`);

function venueFault<T extends string, A extends z.ZodRawShape>(type: T, attributes: A, description: string) {
  return z.strictObject({ type: z.literal(type), attributes: z.strictObject(attributes).prefault({} as z.input<z.ZodObject<A>>) }).describe(description);
}

/** The registry of venue protocol faults, by name. What each one does is the venue's (venue/protocol-faults.ts). */
export const VENUE_FAULT_VARIANTS = [
  venueFault("duplicate-fill", {}, "Order entry: every fill is sent twice, same seq and fillId (a venue resend). Apply each seq once."),
  venueFault("out-of-order-fills", { holdMs: ms("How long a fill is held back to be overtaken by the next").default(250) }, "Order entry: each fill is held back and sent after the next one, so seqs arrive 2, 1, 4, 3 …; a governor that drops a seq lower than the last it saw loses fills."),
  venueFault("unknown-order-fill", { qty: z.number().positive().default(1).describe("Shares bought at the ask.") }, "Order entry: once, at the start, a fill for an order the governor never sent (a manual trade on the account). The position really changed: the books must follow the venue."),
  venueFault("reject-storm", { reason: z.string().min(1).default("throttled: too many orders") }, "Order entry: every new order is rejected with a reason instead of acked and filled."),
  venueFault("ack-delay", { meanMs: ms("Mean ack delay").default(30), sdMs: ms("Standard deviation").default(8) }, "Order entry: each ack waits N(meanMs, sdMs) ms (never below 0); the fill follows the ack after the round trip."),
  venueFault("late-ack", {}, "Order entry: the ack of each order is sent after its fill or its cancel, when the order is already over."),
  venueFault("md-seq-gap", { dropPct: z.number().min(1).max(99).default(75).describe("Share of ticks lost, %.") }, "Market data: ticks are lost (their seq numbers skipped), so the sequence has gaps."),
  venueFault("duplicate-ticks", {}, "Market data: every tick is sent twice with the same seq."),
  venueFault("stale-ticks", {}, "Market data: the feed keeps sending the tick of the moment the fault began, its seq counting up but its book and sentAt frozen (a stuck feed handler)."),
  venueFault("crossed-book", {}, "Market data: ticks carry a crossed book (bid above ask by the spread), a state no real market quotes; orders still fill against the real book."),
] as const;

export const VENUE_FAULT_TYPES = VENUE_FAULT_VARIANTS.map((variant) => variant.shape.type.value);

export const VenueFaultSchema = z.discriminatedUnion("type", VENUE_FAULT_VARIANTS, { error: unknownTypeError("a venue fault", "unknown venue fault", VENUE_FAULT_TYPES) });

export type VenueFault = z.output<typeof VenueFaultSchema>;
export type VenueFaultType = VenueFault["type"];

/** The faults that act on the market-data connection; the others act on order entry. */
export const MARKET_DATA_FAULTS: readonly VenueFaultType[] = ["md-seq-gap", "duplicate-ticks", "stale-ticks", "crossed-book"];

/** The pseudo-proxy name venue faults carry in the fault record and the `proxy` label of gauntlet_active_faults. */
export const VENUE_FAULT_TARGET = "venue";

/** The clientOrderId prefix of the venue's unsolicited fills (unknown-order-fill): never a governor's id. */
export const UNSOLICITED_ORDER_PREFIX = "venue-unsolicited-";
