// results.json: the machine-readable outcome of a run. One zod schema gives the runtime check
// (a results file is validated before it is written and when a report is rebuilt from it), the
// TypeScript type and the published JSON Schema in schemas/results.schema.json.
import { z } from "zod";

export const GateSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(["safety", "latency", "recovery", "integrity", "stability", "pipeline", "load"]),
  severity: z.enum(["CRITICAL", "HIGH", "MEDIUM"]),
  status: z.enum(["pass", "fail", "no-data", "not-applicable"]),
  measured: z.number().nullable(),
  measuredText: z.string().optional(),
  unit: z.string(),
  comparator: z.enum(["<=", "<", ">=", ">", "=="]),
  threshold: z.number(),
  detail: z.string(),
});

const SeriesSchema = z.object({
  name: z.string(),
  unit: z.string(),
  /** Seconds since the drive phase started. */
  t: z.array(z.number()),
  v: z.array(z.number()),
});

/** Bumped when a field changes meaning or shape (2: seededFaults, faultTimeline, driveStartedAt). */
export const RESULTS_SCHEMA_VERSION = 2;

/** One fault applied during the run: core/faults/fault-log.ts, the same record everywhere. */
export const FaultRecordSchema = z.object({
  id: z.string(),
  profile: z.string(),
  proxy: z.string(),
  fault: z.string(),
  description: z.string(),
  toxics: z.array(z.string()),
  plannedStartMs: z.number(),
  plannedEndMs: z.number(),
  /** Epoch ms. */
  appliedAt: z.number(),
  removedAt: z.number().optional(),
  /** Epoch ms: when the removal was asked for (the fault may be gone from then on). */
  removalBeganAt: z.number().optional(),
  removal: z.enum(["scheduled", "end", "abort", "error"]).optional(),
});

/** `gauntlet run --baseline <run>`: one latency percentile of this run against the baseline's. */
export const BaselineDeltaSchema = z.object({
  percentile: z.enum(["p50", "p95", "p99"]),
  baselineMs: z.number(),
  measuredMs: z.number(),
  deltaMs: z.number(),
  /** null when the baseline's figure is 0. */
  deltaPct: z.number().nullable(),
  /** Worse by more than the tolerance (and by at least minChangeMs). */
  worse: z.boolean(),
});

/** How this run's latency compares with the baseline run's (core/results/baseline.ts). */
export const BaselineComparisonSchema = z.object({
  runId: z.string(),
  dir: z.string(),
  tolerancePct: z.number(),
  /** Changes smaller than this count as none (noise on a shared machine). */
  minChangeMs: z.number(),
  /** The worst counted change, % (the baseline_regression gate's measure); null without figures. */
  worstPct: z.number().nullable(),
  deltas: z.array(BaselineDeltaSchema),
});

/** What certified what (core/provenance.ts). */
export const BuildSchema = z.object({ version: z.string(), commit: z.string(), dirty: z.boolean() });

export const ResultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  runId: z.string(),
  /** The Gauntlet build that judged this run. */
  gauntlet: BuildSchema,
  scenario: z.string(),
  profile: z.string(),
  target: z.object({ name: z.string(), baseUrl: z.string() }),
  /** Seeded governor bugs switched on for this run (the sandbox's self-test faults). */
  seededFaults: z.array(z.string()),
  /** Every fault applied and removed during the run, on the wall clock (epoch ms). */
  faultTimeline: z.array(FaultRecordSchema).default([]),
  /** Epoch ms when the drive phase (k6) started: the zero of `series[].t` and of the report's charts. */
  driveStartedAt: z.number().optional(),
  /** Epoch ms of the judged k6 scenario's first sample (after any warm-up): the zero of `windows[].t`. */
  measuredStartedAt: z.number().optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  /** Ctrl-C or SIGTERM ended the run: what was measured is judged and kept, the verdict is "could-not-judge". */
  interrupted: z.boolean().default(false),
  verdict: z.enum(["pass", "fail", "could-not-judge", "not-applicable"]),
  goNoGo: z.enum(["GO", "GO WITH CONDITIONS", "NO-GO", "NOT JUDGED", "NOT APPLICABLE"]),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  /** Why the run could not be judged, when it could not. */
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
  gates: z.array(GateSchema),
  /** What a reader must know to interpret the gates (how data was replayed, looped, bent). */
  notes: z.array(z.string()).default([]),
  k6: z
    .object({
      exitCode: z.number(),
      requests: z.number(),
      failed: z.number(),
      dropped: z.number(),
      checksFailed: z.number(),
      durationSeconds: z.number(),
      latencyMs: z.object({ count: z.number(), meanMs: z.number(), p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number(), maxMs: z.number() }),
      outputLines: z.number(),
      outputBytes: z.number(),
    })
    .optional(),
  /** The latency compared with a baseline run (`gauntlet run --baseline`), when one was given. */
  baseline: BaselineComparisonSchema.optional(),
  windows: z
    .array(z.object({ t: z.number(), seconds: z.number(), requests: z.number(), failed: z.number(), dropped: z.number(), p50Ms: z.number().nullable(), p95Ms: z.number().nullable(), p99Ms: z.number().nullable() }))
    .default([]),
  series: z.array(SeriesSchema).default([]),
  tools: z.record(z.string(), z.string()),
  plan: z.record(z.string(), z.unknown()).optional(),
  /** Extra, scenario-specific facts (snapshots, integrity discrepancies, ...). */
  extra: z.record(z.string(), z.unknown()).default({}),
});

export type Results = z.infer<typeof ResultsSchema>;
export type ResultsSeries = z.infer<typeof SeriesSchema>;
export type BaselineComparison = z.infer<typeof BaselineComparisonSchema>;
