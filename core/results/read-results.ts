// Reading a run's results.json back (compare, --baseline): checked against the one schema that
// wrote it, with an error that names the file and the field rather than a stack.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { GauntletError } from "../errors.ts";
import { ResultsSchema, type Results } from "./results-schema.ts";

const SCHEMA_HINT = "results.json is checked against schemas/results.schema.json: it was written by another Gauntlet version, cut short or edited by hand.";

/** The results.json of the run folder `dir`. */
export function readResults(dir: string): Results {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new GauntletError("GAUNTLET_USAGE", `no run folder at ${dir}`, { hint: "Pass a run folder, a run id of the runs folder, latest or latest~N." });
  }
  const file = join(dir, "results.json");
  if (!existsSync(file)) {
    const certification = existsSync(join(dir, "certification.json"));
    throw new GauntletError("GAUNTLET_USAGE", `${dir} has no results.json${certification ? " (it is a certification: name one of its runs, listed in its certification.json)" : " (a run that did not finish writes none)"}`, {
      hint: "Pass the folder of a finished run.",
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new GauntletError("GAUNTLET_CONFIG_INVALID", `${file}: not valid JSON (${(error as Error).message})`, { hint: SCHEMA_HINT });
  }
  const parsed = ResultsSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
    const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : "";
    throw new GauntletError("GAUNTLET_CONFIG_INVALID", `${file}: ${issues.join("; ")}${more}`, { hint: SCHEMA_HINT });
  }
  return parsed.data;
}
