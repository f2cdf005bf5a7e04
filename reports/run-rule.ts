// The rule behind a run's Go/No-Go, in the order core/gates/verdict.ts applies it (goNoGo and
// verdictOf), and the action each failed HIGH gate names (core/certify's CONDITION table): the
// report states the rule it was judged by, and which line of it this run hit.
import { CONDITION } from "../core/certify/certification.ts";
import type { GateResult } from "../core/gates/gate.ts";
import type { Results } from "../core/results/results-schema.ts";

export interface RuleLine {
  outcome: Results["goNoGo"];
  when: string;
}

/** First match wins, as in run-scenario.ts (an error first) and then goNoGo(). */
export const RUN_RULE: readonly RuleLine[] = [
  { outcome: "NOT JUDGED", when: "the run stopped with an error or was interrupted: whatever was measured is shown, but the run cannot pass (the error's exit code, 2 when Gauntlet could not judge)." },
  { outcome: "NO-GO", when: "a CRITICAL gate failed (exit code 1). Paper trading is blocked." },
  { outcome: "NOT APPLICABLE", when: "no gate applies to this target (exit code 2): nothing was proven, never a pass." },
  { outcome: "NOT JUDGED", when: "a gate had no data, or no gate was evaluated (exit code 2): could not judge, never a pass." },
  { outcome: "GO WITH CONDITIONS", when: "a HIGH or MEDIUM gate failed, no CRITICAL one (exit code 1). Paper trading proceeds with the action each failed HIGH gate names; a failed MEDIUM gate is advisory." },
  { outcome: "GO", when: "every gate that applies passed (exit code 0). Gates that do not apply are listed as not covered, never counted as passes." },
];

/** What each failed HIGH (and MEDIUM) gate of this run asks for before paper trading. */
export function conditionsOf(gates: readonly GateResult[]): string[] {
  return gates
    .filter((gate) => gate.status === "fail" && gate.severity !== "CRITICAL")
    .map((gate) => (gate.severity === "HIGH" ? `${gate.id} (HIGH): ${CONDITION[gate.category]}` : `${gate.id} (MEDIUM): advisory`));
}
