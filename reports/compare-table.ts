// `gauntlet compare` as plain text: the two runs, the plan differences, one row per gate (status
// and measure of each run, the change) and k6's latency percentiles, regressions flagged.
import type { Comparison, GateDelta, GateSide } from "../core/results/compare-results.ts";
import { formatNumber as n } from "../core/gates/gate.ts";
import { describeBuild } from "../core/provenance.ts";
import { MARK } from "./gate-table.ts";

/** Columns padded to their widest cell, a rule under the header; the last column is not padded. */
function columns(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  return all
    .map((row, index) => {
      const line = row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  ").trimEnd();
      return index === 0 ? `${line}\n${widths.map((w) => "─".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

const signed = (value: number) => `${value > 0 ? "+" : value < 0 ? "-" : ""}${n(Math.abs(value))}`;

function change(delta: number | null, pct: number | null, unit: string): string {
  if (delta === null) return "—";
  return `${signed(delta)}${unit ? ` ${unit}` : ""}${pct === null ? "" : ` (${signed(pct)} %)`}`;
}

const measured = (gate: GateSide | null) => (gate === null ? "—" : gate.measured === null ? (gate.measuredText ?? "—") : n(gate.measured));

function gateRow(gate: GateDelta): string[] {
  const status = `${gate.a ? MARK[gate.a.status] : "—"} → ${gate.b ? MARK[gate.b.status] : "—"}`;
  const values = `${measured(gate.a)} → ${measured(gate.b)}${gate.unit ? ` ${gate.unit}` : ""}`;
  const flags = gate.flags.length ? `${gate.regression ? "REGRESSION: " : ""}${gate.flags.join(", ")}` : "";
  return [gate.id, status, values, change(gate.delta, gate.deltaPct, gate.unit), flags];
}

export function compareText(comparison: Comparison): string {
  const { a, b } = comparison;
  const run = (label: string, side: typeof a) => `  ${label}  ${side.runId}  ${side.verdict.toUpperCase()} · ${side.goNoGo} · ${side.profile} · ${describeBuild(side.gauntlet)}  ${side.dir}`;
  const out = [`${comparison.scenario}: A → B`, run("A", a), run("B", b), ""];
  if (comparison.plan.length) {
    out.push("plan differences (A → B):");
    const width = Math.max(...comparison.plan.map((d) => d.field.length));
    for (const difference of comparison.plan) out.push(`  ${difference.field.padEnd(width)}  ${difference.a} → ${difference.b}`);
  } else out.push("plan: no difference (profile, target, seeded faults, build and plan are the same)");
  out.push("");
  if (comparison.gates.length) out.push(columns(["gate", "status A → B", "measured A → B", "change", "flag"], comparison.gates.map(gateRow)), "");
  if (comparison.latency.length) {
    const rows = comparison.latency.map((row) => [row.percentile.toUpperCase(), `${n(row.aMs)} → ${n(row.bMs)} ms`, change(row.deltaMs, row.deltaPct, "ms"), row.regression ? "REGRESSION: worse" : ""]);
    out.push(columns(["k6 latency", "A → B", "change", "flag"], rows), "");
  }
  const rule = `a gate that passed now fails, or a latency percentile worse by more than ${n(comparison.tolerancePct)} % and ${n(comparison.minChangeMs)} ms`;
  if (comparison.regressions.length) {
    out.push(`${comparison.regressions.length} regression(s) (${rule}):`, ...comparison.regressions.map((line) => `  ${line}`));
  } else out.push(`no regression (${rule})`);
  return `${out.join("\n")}\n`;
}
