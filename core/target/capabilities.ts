// What a target offers beyond the minimum of the target contract (docs/target-contract.md). The
// minimum — decisions with the id echoed, health, reset, pause, state, a connection to Gauntlet's
// venue — is enough for GO: integrity then reconciles k6's answers, /v1/state and the venue's
// journal. Each optional capability, when declared, brings the gates that need it into play; a gate
// whose capability is not declared is "not applicable" (shown as not covered, never passed), and a
// declared capability without data makes the run "could not judge".
import { z } from "zod";

const url = z.url({ error: (iss) => `must be a URL, e.g. http://127.0.0.1:9000/metrics (got ${JSON.stringify(iss.input)})` });

export const LedgerQueriesSchema = z.strictObject({
  /** One row per decision: its id. */
  decisions: z.string().default("select id from decisions"),
  /** One row per order: client_order_id, status (filled|rejected|cancelled|…), reason, created_at (epoch ms), decision_id. */
  orders: z.string().default("select client_order_id, status, reason, created_at, decision_id from orders"),
  /** One row per fill, in order: fill_id, client_order_id, side, qty, price, fee, at (epoch ms). */
  fills: z.string().default("select fill_id, client_order_id, side, qty, price, fee, at from fills order by seq"),
});

export const CapabilitiesSchema = z.strictObject({
  /** Prometheus process metrics: the governor's resident memory (→ memory_growth). */
  processMetrics: z.strictObject({ url, rssMetric: z.string().default("process_resident_memory_bytes") }).optional(),
  /** A Redis mirror of the books (→ integrity_state_synced); its pause key, when given, is where the pause flag is read. */
  redisMirror: z
    .strictObject({
      url: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL"),
      /** A hash with positionShares, cashUsd, decisions, orders, fills. */
      stateKey: z.string(),
      /** A key that exists while the critical pause is up. */
      pausedKey: z.string().optional(),
    })
    .optional(),
  /** A SQL ledger (PostgreSQL) reachable with these queries (→ integrity_state_synced, per-id ledger checks). */
  ledger: z.strictObject({ url: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"), queries: LedgerQueriesSchema.default(LedgerQueriesSchema.parse({})) }).optional(),
  /** A metrics pipeline: decisions → a queue → an exporter (→ pipeline_latency_p99, redis_backlog_max/end). */
  metricsPipeline: z
    .strictObject({
      /** The exporter's Prometheus endpoint: a per-decision latency histogram and a newest-arrival gauge. */
      url,
      latencyMetric: z.string(),
      arrivalMetric: z.string().optional(),
      /** The queue between the governor and the exporter, when it is a Redis list. */
      backlog: z.strictObject({ redisUrl: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL"), key: z.string() }).optional(),
    })
    .optional(),
});

export type Capabilities = z.output<typeof CapabilitiesSchema>;
export type CapabilityName = keyof Capabilities;
export type LedgerQueries = z.output<typeof LedgerQueriesSchema>;

/** What each capability is, for a reader: the "what to add" of a coverage table. */
export const CAPABILITY_HELP: Record<CapabilityName, string> = {
  processMetrics: "capabilities.processMetrics { url, rssMetric }: a Prometheus endpoint with the process's resident memory",
  redisMirror: "capabilities.redisMirror { url, stateKey, pausedKey }: a Redis hash mirroring the books",
  ledger: "capabilities.ledger { url, queries }: a PostgreSQL ledger of decisions, orders and fills",
  metricsPipeline: "capabilities.metricsPipeline { url, latencyMetric, arrivalMetric, backlog }: the exporter at the end of the metrics pipeline",
};
