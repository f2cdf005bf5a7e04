// certification.json: the outcome of `gauntlet certify`, what a risk committee signs. One zod
// schema gives the check, the type and schemas/certification.schema.json.
import { z } from "zod";
import { BuildSchema } from "../results/results-schema.ts";

const severity = z.enum(["CRITICAL", "HIGH", "MEDIUM"]);
const category = z.enum(["safety", "latency", "recovery", "integrity", "stability", "pipeline", "load"]);

export const CertificationRunSchema = z.object({
  /** Which pass of the suite (1-based). */
  iteration: z.number().int().positive(),
  scenario: z.string(),
  profile: z.string(),
  runId: z.string(),
  runDir: z.string(),
  verdict: z.enum(["pass", "fail", "could-not-judge", "not-applicable"]),
  goNoGo: z.string(),
  exitCode: z.number().int(),
  /** Hard-limit breaches at fills (the limit_breaches gates' measure). */
  breaches: z.number().min(0),
  failed: z.array(z.object({ id: z.string(), severity, category })),
  notApplicable: z.array(z.string()),
  error: z.string().optional(),
  /** The whole machine while the run's load was driven (results.json's extra.host), where measured. */
  host: z.object({ busyMeanPct: z.number(), stealPct: z.number() }).optional(),
});

export const GateDistributionSchema = z.object({
  scenario: z.string(),
  gate: z.string(),
  title: z.string(),
  severity,
  category,
  unit: z.string(),
  comparator: z.enum(["<=", "<", ">=", ">", "=="]),
  threshold: z.number(),
  /** Runs with a measurement. */
  runs: z.number().int().min(0),
  /** How many runs ended pass, fail, no-data, not-applicable. */
  statuses: z.record(z.string(), z.number().int()),
  min: z.number().nullable(),
  median: z.number().nullable(),
  max: z.number().nullable(),
  /** Room left to the threshold in the worst run (negative: crossed by that much). */
  margin: z.number().nullable(),
});

export const CertificationSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  gauntlet: BuildSchema,
  target: z.object({ name: z.string(), options: z.record(z.string(), z.unknown()), seededFaults: z.array(z.string()) }),
  profile: z.string(),
  requestedRuns: z.number().int().positive(),
  suite: z.array(z.string()),
  /**
   * How many runs of a pass ran side by side, each on its own services and target instance (1: one
   * after the other; a scenario whose load takes a core always ran alone). Absent before lanes.
   */
  lanes: z.number().int().positive().optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  verdict: z.enum(["CERTIFIED", "CERTIFIED WITH CONDITIONS", "NOT CERTIFIED"]),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  /** Consecutive passes of the whole suite from the first. */
  streak: z.number().int().min(0),
  breaches: z.number().min(0),
  /** The first run that was not a pass. */
  stoppedAt: z.object({ iteration: z.number().int(), scenario: z.string(), runId: z.string(), why: z.string() }).optional(),
  /** What failed HIGH gates ask of the committee (proceed with monitoring, daily reconciliation…). */
  conditions: z.array(z.string()),
  /** Failed MEDIUM gates: advisory. */
  advisories: z.array(z.string()),
  /** Gates (or whole scenarios) that do not apply to this target: not covered by this certification. */
  notCovered: z.array(z.string()),
  runs: z.array(CertificationRunSchema),
  gates: z.array(GateDistributionSchema),
  /** The self-test of the same build, when one was run (gauntlet selftest). */
  selftest: z
    .object({ commit: z.string(), rows: z.number().int(), asExpected: z.number().int(), at: z.string() })
    .optional(),
});

export type Certification = z.infer<typeof CertificationSchema>;
export type CertificationRun = z.infer<typeof CertificationRunSchema>;
export type GateDistribution = z.infer<typeof GateDistributionSchema>;
