// The target contract's HTTP shapes (docs/target-contract.md): what a governor Gauntlet did not
// write must answer. One zod schema per route gives Gauntlet's checks (with the field and the
// expected form in every error), `gauntlet doctor --target`'s probes and
// schemas/target-contract.schema.json. Objects are open (`looseObject`): a governor may say more.
import { z } from "zod";
import { LimitsSchema } from "./limits.ts";

const count = z.number().int().min(0);

/** POST /v1/decisions — body. */
export const DecisionRequestSchema = z.strictObject({
  id: z.string().min(1).describe("Unique per decision; echo it in the answer and in the X-Decision-Id header."),
  ts: z.number().describe("When the model decided, epoch ms."),
  symbol: z.string(),
  action: z.number().int().min(0).max(4).describe("0 sell hard, 1 sell, 2 hold, 3 buy, 4 buy hard."),
  obs: z.array(z.number()).describe("The model's observation (16 numbers built from the order book)."),
});

/** POST /v1/decisions — answer (200). Headers: X-Decision-Id (always), X-Order-Id (when an order was placed). */
export const DecisionResponseSchema = z.looseObject({
  id: z.string().describe("The request's id, echoed."),
  verdict: z.enum(["approved", "reduced", "blocked", "paused"]),
  increment: z.number().describe("Signed quantity ordered (0 when blocked)."),
  orderId: z.string().optional().describe("The clientOrderId sent to the venue, when an order was placed."),
  reason: z.string(),
  marketDataAgeMs: z.number().describe("Age of the market data the decision used, ms (-1 unknown)."),
  brokerConnected: z.boolean(),
});

/** GET /v1/health. */
export const HealthSchema = z.looseObject({
  mode: z.literal("shadow").describe('Must be "shadow": Gauntlet never drives anything else.'),
  paused: z.boolean().describe("Whether the critical pause is up (manual or automatic)."),
  brokerConnected: z.boolean().optional(),
  marketDataAgeMs: z.number().nullable().optional(),
});

/** GET /v1/state: the governor's own books and counters, read after every scenario. */
export const StateSchema = z.looseObject({
  capitalUsd: z.number().positive(),
  positionShares: z.number(),
  cashUsd: z.number().describe("capital − Σ side·qty·price − Σ fees, from the venue's fills as the governor applied them."),
  mid: z.number().nullable().describe("The last mid the governor saw (null before any tick)."),
  openOrders: count.describe("Orders sent and not yet filled, rejected or cancelled (0 when quiet)."),
  counters: z.looseObject({ decisions: count, orders: count, fills: count }),
  /** Optional: work still queued behind the books (Gauntlet waits for both to reach 0). */
  ledgerPending: count.optional(),
  orderQueue: count.optional(),
  /** Optional: the limits in force, to show they were taken from the reset. */
  limits: LimitsSchema.partial().optional(),
});

/** POST /v1/admin/reset — body: forget everything and trade this run under these limits. */
export const ResetRequestSchema = z.strictObject({ limits: LimitsSchema });

/** POST /v1/admin/pause — body: the emergency stop. */
export const PauseRequestSchema = z.strictObject({ paused: z.boolean(), reason: z.string().optional() });

export type DecisionRequest = z.output<typeof DecisionRequestSchema>;
export type DecisionResponse = z.output<typeof DecisionResponseSchema>;
export type GovernorState = z.output<typeof StateSchema>;

/** The contract as one document, for schemas/target-contract.schema.json. */
export const TargetContractSchema = z.strictObject({
  "POST /v1/decisions": z.strictObject({ request: DecisionRequestSchema, response: DecisionResponseSchema }),
  "GET /v1/health": HealthSchema,
  "GET /v1/state": StateSchema,
  "POST /v1/admin/reset": ResetRequestSchema,
  "POST /v1/admin/pause": PauseRequestSchema,
});

/** The first problem with a value, as `route: field: expected …` for an error a person can act on. */
export function contractProblem(route: string, schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${route}: ${issue.path.length ? issue.path.join(".") : "(body)"}: ${issue.message}`)
    .join("; ");
}
