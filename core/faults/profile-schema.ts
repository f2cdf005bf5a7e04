// A named fault profile (toxics/*.yaml): what goes wrong, on which proxy, when and for how long.
// One zod schema gives the runtime check, the type and schemas/fault-profile.schema.json.
//
// The toxic is Toxiproxy's own envelope — `name`, `type`, `stream`, `toxicity`, `attributes` with
// Toxiproxy's attribute names and units — so anyone who knows Toxiproxy reads it as is. Gauntlet
// adds two compositions, and nothing else:
//   - `direction: both` on a toxic = two real toxics, one upstream and one downstream, with the
//     same attributes (Toxiproxy toxics act on one direction only);
//   - `cut: true` instead of a toxic = the proxy disabled (`enabled: false`): every connection
//     closed and new ones refused, both directions — a hard outage.
import { z } from "zod";
import { unknownTypeError } from "../../protocol/type-registry-error.ts";
import { MARKET_DATA_FAULTS, VENUE_FAULT_TARGET, VenueFaultSchema } from "../../protocol/venue-faults.ts";

/** The proxies of the bundled sandbox. A target with other proxies passes its own list. */
export const FAULT_PROXIES = ["broker", "market_data", "redis", "postgres"] as const;

const NAME = /^[A-Za-z0-9_-]+$/;
const nameError = "use letters, digits, - and _ only (it becomes part of Toxiproxy toxic names and URLs)";

const count = (unit: string) => z.number().int().min(0).describe(unit);

const Stream = z
  .enum(["upstream", "downstream"], { error: (iss) => `stream must be upstream (client → server) or downstream (server → client) (got ${JSON.stringify(iss.input)})` })
  .meta({ default: "downstream", description: "Toxiproxy's stream: upstream = client → server, downstream = server → client (default)." });

const Toxicity = z
  .number({ error: (iss) => `toxicity must be a number from 0 to 1 (got ${JSON.stringify(iss.input)})` })
  .min(0, { error: (iss) => `toxicity must be from 0 to 1 — the share of connections hit (got ${String(iss.input)})` })
  .max(1, { error: (iss) => `toxicity must be from 0 to 1 — the share of connections hit (got ${String(iss.input)})` })
  .default(1)
  .describe("Share of connections the toxic acts on, 0..1 (Toxiproxy redraws it whenever a toxic is added).");

/** One Toxiproxy toxic type: the common envelope plus its own attributes. */
function toxic<T extends string, A extends z.ZodRawShape>(type: T, attributes: A, description: string) {
  return z
    .strictObject({
      name: z.string().regex(NAME, nameError).optional().describe("Suffix of the Toxiproxy toxic name (default: step<index>)."),
      type: z.literal(type),
      stream: Stream.optional(),
      direction: z
        .literal("both", { error: 'direction can only be "both" (for one direction use stream)' })
        .optional()
        .describe("Gauntlet convenience: two real toxics, upstream and downstream, with the same attributes."),
      toxicity: Toxicity,
      attributes: z.strictObject(attributes),
    })
    .describe(description);
}

/** The registry of toxic types, by Toxiproxy's own name. */
export const TOXIC_VARIANTS = [
  toxic("latency", { latency: count("Added delay, ms."), jitter: count("Random ± delay, ms.").default(0) }, "Delays data by latency ± jitter ms."),
  toxic("bandwidth", { rate: count("KB/s.") }, "Limits throughput to rate KB/s."),
  toxic("slow_close", { delay: count("ms.") }, "Delays the TCP close by delay ms."),
  toxic("timeout", { timeout: count("ms; 0 = never (a black hole).") }, "Stops all data and closes the connection after timeout ms (0: keeps it open, data dropped)."),
  toxic("reset_peer", { timeout: count("ms.").default(0) }, "Resets the connection (TCP RST) after timeout ms."),
  toxic("slicer", { average_size: count("Bytes per slice."), size_variation: count("± bytes.").default(0), delay: count("Between slices, µs.").default(0) }, "Slices data into small packets with a delay between them."),
  toxic("limit_data", { bytes: count("Bytes.") }, "Closes the connection once bytes have passed."),
] as const;

export const TOXIC_TYPES = TOXIC_VARIANTS.map((variant) => variant.shape.type.value);

export const ToxicSchema = z.discriminatedUnion("type", TOXIC_VARIANTS, { error: unknownTypeError("a toxic", "unknown toxic type", TOXIC_TYPES) });

const seconds = (what: string) =>
  z.number({ error: (iss) => (iss.input === undefined ? `${what} is required (seconds)` : `${what} must be a number of seconds (got ${JSON.stringify(iss.input)})`) });

function stepSchema(proxies: readonly [string, ...string[]]) {
  return z
    .strictObject({
      proxy: z
        .enum(proxies, { error: (iss) => `unknown proxy ${JSON.stringify(iss.input)} — known: ${proxies.join(", ")}` })
        .optional()
        .describe("The Toxiproxy proxy a toxic or cut acts on (a venue fault names none: it acts in the venue)."),
      at: seconds("at").min(0, { error: (iss) => `at must be ≥ 0 seconds from the profile start (got ${String(iss.input)})` }).describe("Seconds from the profile start."),
      duration: seconds("duration").positive({ error: (iss) => `duration must be > 0 seconds (got ${String(iss.input)})` }).describe("Seconds the fault stays on."),
      repeat: z
        .strictObject({
          times: z.number().int().min(1, { error: "repeat.times must be a whole number ≥ 1 (occurrences in all)" }).describe("Occurrences in all (1 = once)."),
          every: seconds("repeat.every").positive({ error: (iss) => `repeat.every must be > 0 seconds (got ${String(iss.input)})` }).describe("Seconds from one start to the next."),
        })
        .optional(),
      toxic: ToxicSchema.optional(),
      cut: z.literal(true, { error: "cut can only be true (leave it out for a toxic step)" }).optional().describe("Disable the proxy: a hard outage, both directions."),
      venue: VenueFaultSchema.optional().describe("A protocol fault the venue itself commits (protocol/venue-faults.ts): well-formed messages that say the wrong thing."),
    })
    .superRefine((step, ctx) => {
      const kinds = [step.toxic && "toxic", step.cut && "cut: true", step.venue && "venue"].filter(Boolean);
      if (kinds.length !== 1) {
        ctx.addIssue({ code: "custom", path: [], message: kinds.length === 0 ? "a step needs a toxic, cut: true or a venue fault" : `give one of toxic, cut: true or venue, not ${kinds.join(" and ")}` });
      }
      if (step.venue && step.proxy !== undefined) {
        ctx.addIssue({ code: "custom", path: ["proxy"], message: "a venue fault acts in the venue, not on a proxy: leave out proxy" });
      }
      if (!step.venue && step.proxy === undefined) {
        ctx.addIssue({ code: "custom", path: ["proxy"], message: `a ${step.cut ? "cut" : "toxic"} needs a proxy — known: ${proxies.join(", ")}` });
      }
      if (step.toxic?.direction === "both" && step.toxic.stream !== undefined) {
        ctx.addIssue({ code: "custom", path: ["toxic", "direction"], message: "direction: both already covers both streams; leave out stream" });
      }
    });
}

/** [start, end) of every occurrence of a step, in seconds from the profile start. */
export function stepWindows(step: { at: number; duration: number; repeat?: { times: number; every: number } | undefined }): Array<[number, number]> {
  const times = step.repeat?.times ?? 1;
  const every = step.repeat?.every ?? 0;
  return Array.from({ length: times }, (_, k) => [step.at + k * every, step.at + k * every + step.duration] as [number, number]);
}

/** What a step acts on: its proxy, or the venue for a protocol fault. */
export function stepTarget(step: { proxy?: string | undefined; venue?: unknown }): string {
  return step.venue ? VENUE_FAULT_TARGET : step.proxy!;
}

/**
 * Where two faults at once would make a drill's result depend on their order: one proxy, or one of
 * the venue's two connections (a market-data fault and an order-entry fault may overlap).
 */
function stepChannel(step: { proxy?: string | undefined; venue?: { type: string } | undefined }): string {
  if (!step.venue) return `proxy ${step.proxy}`;
  return (MARKET_DATA_FAULTS as readonly string[]).includes(step.venue.type) ? "the venue's market data" : "the venue's order entry";
}

const span = ([start, end]: [number, number]) => `[${start} s, ${end} s)`;

/** The profile schema for a set of proxies; the sandbox's four by default. */
export function profileSchema(proxies: readonly [string, ...string[]] = FAULT_PROXIES) {
  return z
    .strictObject({
      name: z.string().regex(NAME, nameError).describe("The profile's name; toxics it creates are named gauntlet-<name>-…"),
      description: z.string().min(1, "description must say what the profile does, for the people who read it").describe("What this profile does and why, for a reader."),
      steps: z.array(stepSchema(proxies)).min(1, "a profile needs at least one step"),
    })
    .superRefine((profile, ctx) => {
      // One fault per proxy at a time: two toxics or a toxic and a cut on one proxy at once would
      // make the result of a drill depend on their order in Toxiproxy's chain.
      const windows = profile.steps.map((step) => stepWindows(step));
      profile.steps.forEach((step, j) => {
        const own = windows[j]!;
        for (let k = 1; k < own.length; k++) {
          if (own[k]![0] < own[k - 1]![1]) {
            ctx.addIssue({ code: "custom", path: ["steps", j, "repeat", "every"], message: `repeat.every ${step.repeat!.every} s is shorter than duration ${step.duration} s, so occurrences ${span(own[k - 1]!)} and ${span(own[k]!)} overlap` });
            break;
          }
        }
        for (let i = 0; i < j; i++) {
          if (stepChannel(profile.steps[i]!) !== stepChannel(step)) continue;
          const other = windows[i]!;
          const clash = other.flatMap((a, k) => own.filter((b) => a[0] < b[1] && b[0] < a[1]).map((b) => [a, b, k] as const))[0];
          if (clash) {
            const which = other.length > 1 ? ` (occurrence ${clash[2] + 1} of ${other.length})` : "";
            ctx.addIssue({ code: "custom", path: ["steps", j, "at"], message: `overlaps steps[${i}]${which} on ${stepChannel(step)}: ${span(clash[0])} and ${span(clash[1])} — one fault per ${step.venue ? "venue connection" : "proxy"} at a time` });
          }
        }
      });
    });
}

export const FaultProfileSchema = profileSchema();
export type FaultProfile = z.output<typeof FaultProfileSchema>;
export type FaultStep = FaultProfile["steps"][number];
