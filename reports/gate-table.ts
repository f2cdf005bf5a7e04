// The gate table as plain text, for the terminal and for summary.md (Markdown variant).
import { formatMeasured, formatThreshold, type GateResult } from "../core/gates/gate.ts";

/** How a verdict reads; a gate that does not apply to the target is not covered, and says so. */
export const MARK = { pass: "PASS", fail: "FAIL", "no-data": "NO DATA", "not-applicable": "N/A" } as const;

export function gateRows(gates: readonly GateResult[]): string[][] {
  return gates.map((gate) => [MARK[gate.status], gate.id, gate.severity, formatMeasured(gate), formatThreshold(gate), gate.title]);
}

export function textTable(gates: readonly GateResult[]): string {
  const header = ["verdict", "gate", "severity", "measured", "threshold", "what"];
  const rows = [header, ...gateRows(gates)];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ");
      return index === 0 ? `${line}\n${widths.map((w) => "─".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

export function markdownTable(gates: readonly GateResult[]): string {
  const rows = gateRows(gates).map((row) => `| ${row.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`);
  return ["| verdict | gate | severity | measured | threshold | what |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}
