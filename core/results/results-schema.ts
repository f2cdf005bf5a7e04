// results.json: the machine-readable outcome of a run. One zod schema gives the runtime check
// (a results file is validated before it is written and when a report is rebuilt from it), the
// TypeScript type and the published JSON Schema in schemas/results.schema.json.
import { z } from "zod";

export const GateSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.enum(["safety", "latency", "recovery", "integrity", "stability", "pipeline", "load"]),
  severity: z.enum(["CRITICAL", "HIGH", "MEDIUM"]),
  status: z.enum(["pass", "fail", "no-data"]),
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

export const ResultsSchema = z.object({
  schemaVersion: z.literal(1),
  runId: z.string(),
  scenario: z.string(),
  profile: z.string(),
  target: z.object({ name: z.string(), baseUrl: z.string() }),
  faults: z.array(z.string()),
  startedAt: z.string(),
  endedAt: z.string(),
  verdict: z.enum(["pass", "fail", "could-not-judge"]),
  goNoGo: z.enum(["GO", "GO WITH CONDITIONS", "NO-GO", "NOT JUDGED"]),
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
