// The sandbox's own configuration: one JSON value in GAUNTLET_SANDBOX_CONFIG, shared by the
// reference governor and its metrics exporter. The venue they trade on is Gauntlet's (venue/),
// reached through the addresses given here. The sandbox is a stand-in for a user's governor, so it
// depends on nothing in core/ — only on this schema and the contract's (protocol/).
import { z } from "zod";
import { LimitsSchema, type Limits } from "../protocol/limits.ts";

export { LimitsSchema, type Limits };


/** Switchable seeded faults: each one makes a specific gate fail (see sandbox/governor/faults.ts). */
export const FAULTS = [
  // decision-flood
  "slow-path",
  "history-scan",
  "event-loop-stall",
  "error-burst",
  "memory-leak",
  "stalled-exporter",
  // portfolio integrity
  "skip-ledger-row",
  "redis-drift",
  "fee-miscalc",
  "double-count-fill",
  // flash crash
  "never-flattens",
  "ignore-notional-cap",
  "stale-prices",
  "books-order-size",
  // broker failure, hard kill, faults on the state paths
  "sends-queued-twice",
  "drops-queue",
  "panic-sells-on-disconnect",
  "reconnects-slowly",
  "leaks-orders-while-paused",
  "late-pause",
  "ledger-drops-on-error",
  // limit probes
  "forgets-in-flight",
  "turnover-on-fills",
  "sizes-at-mid",
  "loss-realized-only",
  "drawdown-at-cost",
  "loss-resets-on-reconnect",
  // venue protocol faults
  "fill-seq-high-water",
  "ignores-unknown-fills",
  "ack-reopens-order",
  "trusts-crossed-book",
  "age-from-arrival",
] as const;
export type FaultName = (typeof FAULTS)[number];

export const SandboxConfigSchema = z.strictObject({
  governor: z.strictObject({
    port: z.number().int().positive(),
    /** Where the governor reaches each dependency — through Toxiproxy in a Gauntlet run. The
     * broker and market-data addresses are the venue's (venue protocol v1). */
    brokerAddress: z.string(),
    marketDataAddress: z.string(),
    redisUrl: z.string(),
    postgresUrl: z.string(),
    symbol: z.string().default("AAPL"),
    /** Market data older than this blocks risk-increasing trades. */
    staleDataMs: z.number().positive().default(500),
    /** How often metrics events and the state hash are pushed to Redis at most. */
    eventFlushMs: z.number().positive().default(5),
    stateFlushMs: z.number().positive().default(20),
    seed: z.number().int().default(7),
  }),
  exporter: z.strictObject({
    port: z.number().int().positive(),
    /** The exporter reads Redis directly: the pipeline under test is governor → Redis → exporter. */
    redisUrl: z.string(),
  }),
  limits: LimitsSchema.default(LimitsSchema.parse({})),
  seededFaults: z.array(z.enum(FAULTS)).default([]),
});
export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;

/** Redis keys of the governor's hot state: part of the target contract a checker reads. */
export const KEYS = {
  state: "governor:state",
  paused: "governor:paused",
  orderQueue: "governor:orders:queue",
  events: "governor:events",
} as const;

export function loadSandboxConfig(): SandboxConfig {
  const raw = process.env.GAUNTLET_SANDBOX_CONFIG;
  if (!raw) throw new Error("GAUNTLET_SANDBOX_CONFIG is not set");
  return SandboxConfigSchema.parse(JSON.parse(raw));
}
