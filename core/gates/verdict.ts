// From gates to the run's verdict and exit code (k6's spirit): any failed gate → 1; otherwise any
// gate without evidence → 2 (could not judge); otherwise 0. The Go/No-Go follows REQUIREMENTS.md:
// a failed CRITICAL gate blocks paper trading, a failed HIGH gate allows it with conditions.
// Gates not applicable to the target are neither: they are listed as not covered, and a run with
// nothing else to judge is not applicable as a whole — never a pass.
import { EXIT } from "../errors.ts";
import type { GateResult } from "./gate.ts";

export type RunVerdict = "pass" | "fail" | "could-not-judge" | "not-applicable";
export type GoNoGo = "GO" | "GO WITH CONDITIONS" | "NO-GO" | "NOT JUDGED" | "NOT APPLICABLE";

const judged = (gates: readonly GateResult[]) => gates.filter((gate) => gate.status !== "not-applicable");

export function verdictOf(gates: readonly GateResult[]): RunVerdict {
  if (gates.some((gate) => gate.status === "fail")) return "fail";
  if (gates.length > 0 && judged(gates).length === 0) return "not-applicable";
  if (gates.length === 0 || gates.some((gate) => gate.status === "no-data")) return "could-not-judge";
  return "pass";
}

/** A run where nothing applies ends 2, like one that could not be judged: nothing was proven. */
export function exitCodeOf(verdict: RunVerdict): 0 | 1 | 2 {
  return verdict === "pass" ? EXIT.pass : verdict === "fail" ? EXIT.gateFailed : EXIT.couldNotJudge;
}

export function goNoGo(gates: readonly GateResult[]): GoNoGo {
  const failed = gates.filter((gate) => gate.status === "fail");
  if (failed.some((gate) => gate.severity === "CRITICAL")) return "NO-GO";
  if (gates.length > 0 && judged(gates).length === 0) return "NOT APPLICABLE";
  if (gates.length === 0 || gates.some((gate) => gate.status === "no-data")) return "NOT JUDGED";
  return failed.length > 0 ? "GO WITH CONDITIONS" : "GO";
}

/** The report colour of a gate: green pass, red failed CRITICAL, amber any other failure or no data, grey not applicable. */
export function colourOf(gate: GateResult): "green" | "amber" | "red" | "grey" {
  if (gate.status === "pass") return "green";
  if (gate.status === "not-applicable") return "grey";
  return gate.status === "fail" && gate.severity === "CRITICAL" ? "red" : "amber";
}
