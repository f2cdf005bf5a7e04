// What every report says about the market a run traded against, in the venue's own words (GET
// /health `replay`, data/replay-provenance.ts): which file, read by which reader, which instrument
// in what units, which span of the data, how much of the file, the crash as applied — and where the
// decisions' observations came from, which is not the replayed book.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { REPO_ROOT, repoPath, type GateResult, type Judgement } from "../../core/index.ts";
import { LOBSTER_AAPL } from "../../data/bundled-samples.ts";
import { ReplayProvenanceSchema, type AppliedCrash, type ReplayProvenance } from "../../data/replay-provenance.ts";

/** The venue's account of its replay, or why there is none. */
export async function readReplayProvenance(venueAdminUrl: string | undefined): Promise<{ provenance?: ReplayProvenance; health: Record<string, unknown>; missing?: string }> {
  if (!venueAdminUrl) return { health: {}, missing: "the target has no venue admin API" };
  try {
    const health = (await (await fetch(`${venueAdminUrl}/health`, { signal: AbortSignal.timeout(5000) })).json()) as Record<string, unknown>;
    const parsed = ReplayProvenanceSchema.safeParse(health.replay);
    return parsed.success ? { provenance: parsed.data, health } : { health, missing: "the venue's /health did not say what it replayed" };
  } catch (error) {
    return { health: {}, missing: `the venue's /health did not answer (${(error as Error).message})` };
  }
}

/** A repo file as the repo names it; a user's file as given. */
const shown = (file: string) => (file.startsWith(`${REPO_ROOT}/`) ? file.slice(REPO_ROOT.length + 1) : file);

/** 2012-06-21 13:30:00.004 UTC */
export function formatDataTime(ts: number): string {
  return new Date(ts).toISOString().replace("T", " ").replace("Z", " UTC");
}

/** 71.3 s, 12 min 5 s, 5 h 02 min. */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Number(seconds.toFixed(seconds < 10 ? 2 : 1))} s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.round((seconds % 3600) / 60)).padStart(2, "0")} min`;
}

/** A fraction of a pass: two significant digits below 0.1 (0.0039), else two decimals (0.45). */
export function formatFraction(value: number): string {
  if (value === 0) return "0";
  return value < 0.1 ? String(Number(value.toPrecision(2))) : value.toFixed(2);
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** "Market data: real L2 replay of <file> (<format> reader), <instrument>, sizes in <units>: <span> …" */
export function replayNote(p: ReplayProvenance): string {
  const head = `Market data: real L2 replay of ${shown(p.file)} (${p.format} reader), ${p.instrument ?? "instrument not named by the data"}, sizes in ${p.units}`;
  if (!p.played) return `${head}: no book was shown (the replay never produced one).`;
  const { played, fileSpan, passes } = p;
  const speed = `${p.speed}x real time`;
  const events = plural(p.events, "book event");
  const whole = fileSpan ? `the file's ${formatDuration(fileSpan.seconds)} (${formatDataTime(fileSpan.fromTs)} to ${formatDataTime(fileSpan.toTs)}, the data's own clock)` : undefined;
  if (p.seams.length > 0) {
    const shifts = p.seams.map((s) => `${s.priceShift >= 0 ? "+" : ""}${s.priceShift.toFixed(4)}`).join(", ");
    const of = passes.total === null ? `${plural(passes.completed, "whole pass")} and part of the next` : `${passes.total.toFixed(2)} times: ${plural(passes.completed, "whole pass")}, then ${formatFraction(passes.ofCurrent ?? 0)} of the next up to ${formatDataTime(played.toTs)}`;
    return `${head}: ${formatDuration(played.seconds)} of data (${events}) at ${speed} — ${whole ?? "the file"} played ${of}; looped with continuity (each pass continues the previous one's time and mid; price shifts at the ${plural(p.seams.length, "seam")}: ${shifts}).`;
  }
  let how: string;
  if (passes.total === null) how = "part of one pass (the file's length was not measured), not looped";
  else if (passes.total >= 1) how = `the whole file, once (${whole})${p.loop ? "" : ", not looped"}`;
  else how = `${formatFraction(passes.total)} of one pass of ${whole}; the replay never reached the file's end`;
  return `${head}: ${formatDuration(played.seconds)} of data (${events}) from ${formatDataTime(played.fromTs)} to ${formatDataTime(played.toTs)} (the data's own clock) at ${speed}; ${how}.`;
}

/** The crash as the venue's shaper applied it, every default filled in. */
export function crashNote(c: AppliedCrash): string {
  const fall = c.dropTicks !== null && c.tickSize !== null && c.referenceMid !== null ? ` (${c.dropTicks} ticks of ${c.tickSize} from a mid of ${c.referenceMid})` : "";
  const when = c.windowStartTs !== null ? ` (${formatDataTime(c.windowStartTs)} on the replay's clock)` : "";
  const grid = c.tickSize === null ? "tick size not yet inferred (the window was never reached)" : `tick size ${c.tickSize}${c.tickSizeInferred ? " (inferred from the book)" : ""}`;
  const recovery = c.recovery === "partial" ? "then half the fall recovered over one more window" : "no recovery afterwards";
  return `The crash is imposed on the real book (no public L2 file holds a real one), as the venue's crash shaper applied it: a ${c.dropPct}% fall${fall} along a ${c.path} path over ${c.windowSeconds} s starting ${c.startSeconds} s into the replay${when}, spreads x${c.spreadFactor}, displayed depth −${c.depthRemovedPct}%, ${recovery}; ${grid}, seed ${c.seed}. Level spacing, size profile and update rhythm stay the real book's.`;
}

/** Where the feature vectors in k6's decisions came from (results.json `extra.<scenario>.observations`). */
export interface ObservationsProvenance {
  /** The file k6 opens: built once by esbuild.config.ts (data/observations.ts), whatever book the venue replays. */
  file: string;
  vectors: number | null;
  builtFrom: string;
  symbol: string | null;
  /** Whether the replay is the very sample they were built from (even then, not in step with its clock). */
  fromReplayedFile: boolean;
}

export function observationsProvenance(p: ReplayProvenance | undefined): ObservationsProvenance {
  const file = repoPath("dist", "k6", "observations.json");
  let set: { source?: string; symbol?: string; obs?: unknown[] } = {};
  try {
    if (existsSync(file)) set = JSON.parse(readFileSync(file, "utf8")) as typeof set;
  } catch {
    // described from what the build writes
  }
  const builtFrom = set.source ?? LOBSTER_AAPL.description;
  const lobster = [LOBSTER_AAPL.messageFile, LOBSTER_AAPL.orderbookFile].map((f) => resolve(REPO_ROOT, f));
  return {
    file: shown(file),
    vectors: Array.isArray(set.obs) ? set.obs.length : null,
    builtFrom,
    symbol: set.symbol ?? null,
    fromReplayedFile: p !== undefined && builtFrom === LOBSTER_AAPL.description && lobster.includes(p.file),
  };
}

/** The decisions' observations are not the replayed book's unless the replay is their sample: say which. */
export function observationsNote(o: ObservationsProvenance, p: ReplayProvenance | undefined, decisionSymbol: string): string {
  const count = o.vectors === null ? "feature vectors" : `${o.vectors.toLocaleString("en-US")} feature vectors`;
  const where = `(data/observations.ts → ${o.file})`;
  if (o.fromReplayedFile) return `The decisions' observations are ${count} precomputed from the same bundled sample, ${o.builtFrom} ${where}, sent in file order, not in step with the replay clock.`;
  const book = p ? `the replayed ${p.instrument ?? shown(p.file)} book` : "the replayed book";
  const symbol = p?.instrument && p.instrument !== decisionSymbol ? `; the decisions name symbol ${JSON.stringify(decisionSymbol)}` : "";
  return `The decisions' observations are ${count} precomputed from the bundled ${o.builtFrom} sample ${where}, not from ${book}${symbol}.`;
}

/**
 * A scenario's judgement with what the venue replayed while it ran, first among its notes and as
 * `replay` in its facts (results.json `extra.<scenario>.replay`): every run trades against a book.
 */
export async function withReplayNote(judgement: GateResult[] | Judgement, venueAdminUrl: string | undefined): Promise<Judgement> {
  const plain = Array.isArray(judgement) ? { gates: judgement } : judgement;
  const { provenance } = await readReplayProvenance(venueAdminUrl);
  if (!provenance) return plain;
  return { ...plain, notes: [replayNote(provenance), ...(plain.notes ?? [])], facts: { ...plain.facts, replay: provenance } };
}
