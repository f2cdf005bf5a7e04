// The sandbox's own configuration: one JSON value in GAUNTLET_SANDBOX_CONFIG, shared by the
// governor, the venue and the exporter. The sandbox is a stand-in for a user's governor, so it
// depends on nothing in core/ — only on this schema.
import { z } from "zod";
import { CrashShapeSchema } from "../data/crash-shaper.ts";

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

export const DEFAULT_REPLAY_SOURCE = "data/samples/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv";

export const ReplaySchema = z.strictObject({
  /** An L2 file (format told by its name; either file of a LOBSTER pair), relative to the repo. */
  source: z.string(),
  /** Replay again when the file ends, continuing time and price (data/replay-loop.ts). */
  loop: z.boolean().default(true),
  /** 1 = real time. */
  speed: z.number().positive().default(1),
  /** Bend the replay into a flash crash (data/crash-shaper.ts); absent: the real book. */
  crash: CrashShapeSchema.optional(),
  /** false: hold the first book until POST /admin/replay/start (a scenario starts the clock). */
  autostart: z.boolean().default(true),
});
export type ReplayConfig = z.infer<typeof ReplaySchema>;

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
  // broker failure, hard kill, faults on the state paths
  "sends-queued-twice",
  "drops-queue",
  "panic-sells-on-disconnect",
  "reconnects-slowly",
  "leaks-orders-while-paused",
  "late-pause",
  "ledger-drops-on-error",
] as const;
export type FaultName = (typeof FAULTS)[number];

export const SandboxConfigSchema = z.strictObject({
  governor: z.strictObject({
    port: z.number().int().positive(),
    /** Where the governor reaches each dependency — through Toxiproxy in a Gauntlet run. */
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
  venue: z.strictObject({
    orderPort: z.number().int().positive(),
    marketDataPort: z.number().int().positive(),
    adminPort: z.number().int().positive(),
    /** The venue's journal of every order, reject and fill it saw (NDJSON): the ground truth. */
    journal: z.string(),
    replay: ReplaySchema.default(ReplaySchema.parse({ source: DEFAULT_REPLAY_SOURCE })),
    /** Book state per tick (mid, spread, depth), NDJSON: the market series a report plots. */
    marketLog: z.string().optional(),
    heartbeatMs: z.number().positive().default(100),
    roundTripMs: z.number().nonnegative().default(30),
    roundTripJitterMs: z.number().nonnegative().default(0),
    feeBps: z.number().nonnegative().default(1),
    /** Per-fill minimum commission, as retail brokers charge: it makes fees matter on small orders. */
    minFeeUsd: z.number().nonnegative().default(0.35),
    seed: z.number().int().default(11),
  }),
  exporter: z.strictObject({
    port: z.number().int().positive(),
    /** The exporter reads Redis directly: the pipeline under test is governor → Redis → exporter. */
    redisUrl: z.string(),
  }),
  limits: LimitsSchema.default(LimitsSchema.parse({})),
  faults: z.array(z.enum(FAULTS)).default([]),
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
