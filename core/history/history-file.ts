// runs/history.ndjson: one line per finished run and one per certification — small, appended and
// never rewritten. `gauntlet compare latest~1 latest` reads it; so can jq or a CI job. A damaged
// line is reported by file, line and field, and left for a person to mend.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { z } from "zod";
import { GauntletError } from "../errors.ts";
import { log } from "../log.ts";
import { runsDir } from "../paths.ts";
import { BuildSchema, GateSchema, ResultsSchema, type Results } from "../results/results-schema.ts";

export function historyFile(dir = runsDir()): string {
  return join(dir, "history.ndjson");
}

export const RunEntrySchema = z.object({
  kind: z.literal("run"),
  runId: z.string(),
  scenario: z.string(),
  profile: z.string(),
  /** The target's name (sandbox, external, command). */
  target: z.string(),
  seededFaults: z.array(z.string()),
  verdict: ResultsSchema.shape.verdict,
  goNoGo: ResultsSchema.shape.goNoGo,
  exitCode: ResultsSchema.shape.exitCode,
  gauntlet: BuildSchema,
  startedAt: z.string(),
  /** The run folder, relative to the history file's folder when inside it. */
  dir: z.string(),
  gates: z.array(GateSchema.pick({ id: true, status: true, measured: true, unit: true, threshold: true })),
});

export const CertificationEntrySchema = z.object({
  kind: z.literal("certification"),
  id: z.string(),
  /** certification.json's verdict (core/certify sits above this folder, so the names are repeated here). */
  verdict: z.enum(["CERTIFIED", "CERTIFIED WITH CONDITIONS", "NOT CERTIFIED"]),
  exitCode: z.number().int(),
  profile: z.string(),
  target: z.string(),
  seededFaults: z.array(z.string()),
  gauntlet: BuildSchema,
  startedAt: z.string(),
  /** Consecutive passes of the whole suite. */
  streak: z.number().int().min(0),
  requestedRuns: z.number().int().positive(),
  /** Runs made (each has its own "run" line). */
  runs: z.number().int().min(0),
  breaches: z.number().min(0),
  dir: z.string(),
});

export const HistoryEntrySchema = z.discriminatedUnion("kind", [RunEntrySchema, CertificationEntrySchema]);
export type RunEntry = z.infer<typeof RunEntrySchema>;
export type CertificationEntry = z.infer<typeof CertificationEntrySchema>;
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** A run folder as the history stores it, and back. */
const stored = (file: string, dir: string) => {
  const inside = relative(dirname(file), resolve(dir));
  return inside && !inside.startsWith("..") && !isAbsolute(inside) ? inside : resolve(dir);
};
export const entryDir = (file: string, entry: { dir: string }) => resolve(dirname(file), entry.dir);

export function runEntry(results: Results, dir: string, file = historyFile()): RunEntry {
  return {
    kind: "run",
    runId: results.runId,
    scenario: results.scenario,
    profile: results.profile,
    target: results.target.name,
    seededFaults: results.seededFaults,
    verdict: results.verdict,
    goNoGo: results.goNoGo,
    exitCode: results.exitCode,
    gauntlet: results.gauntlet,
    startedAt: results.startedAt,
    dir: stored(file, dir),
    gates: results.gates.map(({ id, status, measured, unit, threshold }) => ({ id, status, measured, unit, threshold })),
  };
}

/** The fields of certification.json the history keeps (structural, so core/certify need not be imported). */
export interface CertificationFacts {
  id: string;
  verdict: CertificationEntry["verdict"];
  exitCode: number;
  profile: string;
  target: { name: string; seededFaults: string[] };
  gauntlet: CertificationEntry["gauntlet"];
  startedAt: string;
  streak: number;
  requestedRuns: number;
  runs: readonly unknown[];
  breaches: number;
}

export function certificationEntry(certification: CertificationFacts, dir: string, file = historyFile()): CertificationEntry {
  const { id, verdict, exitCode, profile, target, gauntlet, startedAt, streak, requestedRuns, runs, breaches } = certification;
  return { kind: "certification", id, verdict, exitCode, profile, target: target.name, seededFaults: target.seededFaults, gauntlet, startedAt, streak, requestedRuns, runs: runs.length, breaches, dir: stored(file, dir) };
}

/** One line at the end; the file is opened for appending only, never read back or rewritten. */
export function appendHistory(entry: HistoryEntry, file = historyFile()): void {
  const line = JSON.stringify(HistoryEntrySchema.parse(entry));
  mkdirSync(dirname(file), { recursive: true });
  // A line cut short by a writer that was killed must not swallow this one: start a fresh line.
  appendFileSync(file, `${endsMidLine(file) ? "\n" : ""}${line}\n`);
}

/** appendHistory for a run or a certification that has ended: the history never changes a verdict, so a failure is a warning. */
export function recordHistory(entry: HistoryEntry, file = historyFile()): void {
  try {
    appendHistory(entry, file);
  } catch (error) {
    log.warn(`${file}: this ${entry.kind} was not added to the history (${(error as Error).message})`);
  }
}

function endsMidLine(file: string): boolean {
  if (!existsSync(file)) return false;
  const size = statSync(file).size;
  if (size === 0) return false;
  const fd = openSync(file, "r");
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** Every entry, oldest first; none when there is no history yet. */
export function readHistory(file = historyFile()): HistoryEntry[] {
  if (!existsSync(file)) return [];
  const hint = `${file} is only ever appended to: mend or delete line(s) named here by hand, or move the file aside to start a new history.`;
  const entries: HistoryEntry[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((text, index) => {
      if (text.trim() === "") return;
      const where = `${file}:${index + 1}`;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new GauntletError("GAUNTLET_CONFIG_INVALID", `${where}: not a JSON line (${(error as Error).message})`, { hint });
      }
      const parsed = HistoryEntrySchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new GauntletError("GAUNTLET_CONFIG_INVALID", `${where}: ${issue.path.length ? issue.path.join(".") : "(line)"}: ${issue.message}`, { hint });
      }
      entries.push(parsed.data);
    });
  return entries;
}
