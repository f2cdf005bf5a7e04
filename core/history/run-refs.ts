// What `gauntlet compare` and `gauntlet run --baseline` accept for a run: a run folder (or its
// results.json), a run id of the runs folder, `latest`, or `latest~N` — N finished runs before the
// newest, counted in runs/history.ndjson.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { GauntletError } from "../errors.ts";
import { runsDir } from "../paths.ts";
import { readResults } from "../results/read-results.ts";
import type { Results } from "../results/results-schema.ts";
import { entryDir, historyFile, readHistory } from "./history-file.ts";

const HINT = "Pass a run folder, a run id of the runs folder, latest or latest~N (N runs before the newest).";

/** The run folder `ref` names. */
export function resolveRunRef(ref: string, dir = runsDir()): string {
  const latest = /^latest(?:~(\d+))?$/.exec(ref);
  if (latest) return fromHistory(ref, Number(latest[1] ?? 0), dir);
  if (existsSync(ref)) return statSync(ref).isFile() && basename(ref) === "results.json" ? resolve(dirname(ref)) : resolve(ref);
  const inRuns = join(dir, ref);
  if (existsSync(inRuns)) return inRuns;
  // A run written outside the runs folder is still in the history by its id.
  const file = historyFile(dir);
  const entry = existsSync(file) ? readHistory(file).find((e) => e.kind === "run" && e.runId === ref) : undefined;
  if (entry && existsSync(entryDir(file, entry))) return entryDir(file, entry);
  throw new GauntletError("GAUNTLET_USAGE", `no run folder at ${resolve(ref)} nor ${inRuns}`, { hint: HINT });
}

function fromHistory(ref: string, back: number, dir: string): string {
  const file = historyFile(dir);
  const runs = readHistory(file).filter((entry) => entry.kind === "run");
  const entry = runs[runs.length - 1 - back];
  if (entry) return entryDir(file, entry);
  // A runs folder from before the history: runs/latest still names the newest run.
  if (runs.length === 0 && back === 0 && existsSync(join(dir, "latest"))) return join(dir, "latest");
  throw new GauntletError("GAUNTLET_USAGE", `${ref}: ${file} ${runs.length === 0 ? "lists no run yet" : `lists ${runs.length} run(s), so ${ref} is not one of them`}`, { hint: HINT });
}

/** The run `ref` names, with its results.json read and checked. */
export function loadRun(ref: string, dir = runsDir()): { dir: string; results: Results } {
  const folder = resolveRunRef(ref, dir);
  return { dir: folder, results: readResults(folder) };
}
