// A gate: one measured value, one threshold, one verdict. Gates are computed only from what a
// run measured; a gate without enough evidence says "no-data" (the run cannot be judged) rather
// than passing, and a gate whose capability the target does not declare says "not-applicable"
// (shown as not covered, never counted as a pass).

export type Severity = "CRITICAL" | "HIGH" | "MEDIUM";
export type GateStatus = "pass" | "fail" | "no-data" | "not-applicable";
export type Comparator = "<=" | "<" | ">=" | ">" | "==";

/** The Go/No-Go categories of REQUIREMENTS.md: safety and latency block paper trading. */
export type GateCategory = "safety" | "latency" | "recovery" | "integrity" | "stability" | "pipeline" | "load";

export interface GateResult {
  id: string;
  title: string;
  category: GateCategory;
  severity: Severity;
  status: GateStatus;
  /** null when there was nothing to measure (or the value is infinite: see measuredText). */
  measured: number | null;
  /** For values JSON cannot carry: "∞" when e.g. decisions never became visible. */
  measuredText?: string;
  unit: string;
  comparator: Comparator;
  threshold: number;
  /** How it was measured, in a sentence: sample size, window, method. */
  detail: string;
}

export interface GateSpec {
  id: string;
  title: string;
  category: GateCategory;
  severity: Severity;
  unit: string;
  comparator: Comparator;
  threshold: number;
}

function holds(measured: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case "<=": return measured <= threshold;
    case "<": return measured < threshold;
    case ">=": return measured >= threshold;
    case ">": return measured > threshold;
    case "==": return measured === threshold;
  }
}

/** A gate's fixed part, in the order a gate table reads: id, title, category, severity, unit, comparator, threshold. */
export function gateSpec(id: string, title: string, category: GateCategory, severity: Severity, unit: string, comparator: Comparator, threshold: number): GateSpec {
  return { id, title, category, severity, unit, comparator, threshold };
}

/** Judge one measurement; `undefined`/NaN measured means no evidence. */
export function judge(spec: GateSpec, measured: number | undefined, detail: string): GateResult {
  if (measured === undefined || Number.isNaN(measured)) {
    return { ...spec, status: "no-data", measured: null, detail };
  }
  const status = holds(measured, spec.comparator, spec.threshold) ? "pass" : "fail";
  if (!Number.isFinite(measured)) return { ...spec, status, measured: null, measuredText: measured > 0 ? "∞" : "−∞", detail };
  return { ...spec, status, measured, detail };
}

export function noData(spec: GateSpec, detail: string): GateResult {
  return { ...spec, status: "no-data", measured: null, detail };
}

/** The target does not offer what this gate measures: not covered, and said so — never a pass. */
export function notApplicable(spec: GateSpec, why: string): GateResult {
  return { ...spec, status: "not-applicable", measured: null, detail: `not applicable: ${why}` };
}

export function formatThreshold(gate: Pick<GateResult, "comparator" | "threshold" | "unit">): string {
  const symbol = { "<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=" }[gate.comparator];
  return `${symbol} ${formatNumber(gate.threshold)}${gate.unit ? ` ${gate.unit}` : ""}`;
}

export function formatMeasured(gate: Pick<GateResult, "measured" | "measuredText" | "unit">): string {
  const value = gate.measured === null ? gate.measuredText : formatNumber(gate.measured);
  return value === undefined ? "—" : `${value}${gate.unit ? ` ${gate.unit}` : ""}`;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  // A residue like -1e-12 shares would print "-0": below the shown precision it is 0.
  if (abs < 0.5 * 10 ** -digits) return "0";
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
