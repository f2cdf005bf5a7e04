// The venue protocol, version 1: how any governor talks to the venue Gauntlet provisions for every
// target (docs/venue-protocol.md). Newline-delimited JSON over two plain TCP connections — order
// entry and market data — so that Toxiproxy, which works on TCP streams, can cut, delay or
// black-hole each path on its own. One zod schema per message gives the venue's check, the types
// the TypeScript client and the sandbox use, and schemas/venue-protocol.schema.json.
import { z } from "zod";

export const VENUE_PROTOCOL_VERSION = 1;

const id = z.string().min(1).max(128);
const epochMs = z.number().describe("Wall clock, milliseconds since the UNIX epoch.");
const side = z.enum(["buy", "sell"]);

// ── Order entry: governor → venue ────────────────────────────────────────────────────────────

export const HelloSchema = z
  .strictObject({
    type: z.literal("hello"),
    version: z.literal(VENUE_PROTOCOL_VERSION).optional().describe("The protocol version the governor speaks (1)."),
    lastFillSeq: z.number().int().min(0).default(0).describe("The highest fill `seq` the governor has applied; the venue replays every later fill."),
    inDoubt: z.array(id).default([]).describe("Orders written but never acknowledged: the venue answers which of them it has."),
  })
  .describe("First message on every (re)connect of the order-entry connection.");

export const OrderSchema = z
  .strictObject({
    type: z.literal("order"),
    clientOrderId: id.describe("Unique per order; the venue journals a second receipt of the same id as a duplicate."),
    side,
    qty: z.number().positive().describe("Quantity in the instrument's units (shares, contracts, coins)."),
    decisionId: id.optional().describe("The decision this order answers (POST /v1/decisions id); absent for the governor's own orders, e.g. flattening."),
    createdAt: epochMs.optional().describe("When the governor created the order, before any queueing: an order created during a broker outage is judged by it."),
    sentAt: epochMs.optional().describe("When the governor wrote it to the connection."),
    marketDataAgeMs: z.number().default(-1).describe("Age of the governor's market data when it decided, ms (-1 unknown): the venue journals it to judge safe actions."),
  })
  .describe("A market order. It is acknowledged at once and filled after the broker round trip by walking the book as it is then.");

export const CancelSchema = z
  .strictObject({
    type: z.literal("cancel"),
    clientOrderId: id,
    reason: z.string().min(1).describe("Why the governor gave the order up (journalled: an order is accounted for only with a reason)."),
  })
  .describe("Give an order up: one not yet filled at the venue, or one the venue never received (it is journalled as cancelled).");

export const GovernorToVenueSchema = z.discriminatedUnion("type", [HelloSchema, OrderSchema, CancelSchema]);

// ── Order entry: venue → governor ────────────────────────────────────────────────────────────

export const HelloReplySchema = z.strictObject({
  type: z.literal("hello"),
  version: z.literal(VENUE_PROTOCOL_VERSION),
  known: z.array(id).describe("The in-doubt orders the venue has (their fills are replayed or on their way); the others it never received."),
});

export const AckSchema = z.strictObject({ type: z.literal("ack"), clientOrderId: id, at: epochMs });

export const RejectSchema = z.strictObject({
  type: z.literal("reject"),
  clientOrderId: id,
  reason: z.string().describe('"invalid order", "no market", "no liquidity", "unknown order" (a cancel for a filled order), …'),
  at: epochMs,
});

export const FillSchema = z
  .strictObject({
    type: z.literal("fill"),
    seq: z.number().int().positive().describe("The venue's fill sequence number, 1, 2, 3 … across all orders."),
    clientOrderId: id,
    fillId: id,
    side,
    qty: z.number().positive().describe("May be less than ordered when the displayed book runs out (a partial fill; the rest is cancelled)."),
    price: z.number().positive().describe("Volume-weighted average over the levels the order walked."),
    fee: z.number().min(0).describe("Commission in the quote currency: max(minFeeUsd, feeBps × notional / 10,000)."),
    levels: z.number().int().positive().describe("Book levels the order walked (1 = filled at the touch)."),
    at: epochMs,
  })
  .describe("An execution. An order fills at most once; apply each seq once (a replay after a reconnect repeats seqs you may have seen).");

export const CancelledSchema = z.strictObject({
  type: z.literal("cancelled"),
  clientOrderId: id,
  reason: z.string(),
  /** What was left unfilled: the whole order for a cancel in time, the remainder for a partial fill. */
  remainingQty: z.number().min(0),
  at: epochMs,
});

export const VenueToGovernorSchema = z.discriminatedUnion("type", [HelloReplySchema, AckSchema, RejectSchema, FillSchema, CancelledSchema]);

// ── Market data: venue → governor ────────────────────────────────────────────────────────────

export const TickSchema = z
  .strictObject({
    type: z.literal("tick"),
    seq: z.number().int().positive().describe("1, 2, 3 … per connection: a gap means ticks were lost."),
    ts: epochMs.describe("Market (replay) time of the book state."),
    sentAt: epochMs.describe("When the venue sent it: the governor's data age is measured from here."),
    bid: z.number().positive(),
    ask: z.number().positive(),
    last: z.number().positive(),
  })
  .describe("The top of the book, on every change and as a heartbeat every 100 ms, so a quiet book never looks stale.");

export type Hello = z.output<typeof HelloSchema>;
export type OrderMessage = z.output<typeof OrderSchema>;
export type CancelMessage = z.output<typeof CancelSchema>;
export type GovernorToVenue = z.output<typeof GovernorToVenueSchema>;
export type HelloReply = z.output<typeof HelloReplySchema>;
export type AckMessage = z.output<typeof AckSchema>;
export type RejectMessage = z.output<typeof RejectSchema>;
export type FillMessage = z.output<typeof FillSchema>;
export type CancelledMessage = z.output<typeof CancelledSchema>;
export type VenueToGovernor = z.output<typeof VenueToGovernorSchema>;
export type TickMessage = z.output<typeof TickSchema>;

/** The protocol as one document, for schemas/venue-protocol.schema.json. */
export const VenueProtocolSchema = z.strictObject({
  governorToVenue: GovernorToVenueSchema,
  venueToGovernor: VenueToGovernorSchema,
  marketData: TickSchema,
});

export function encode(message: GovernorToVenue | VenueToGovernor | TickMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/** The reason the venue gives when it cancels the rest of a market order the displayed book could not fill. */
export const PARTIAL_FILL_REASON = "no liquidity for the rest";
