// summary.md: the run in a page a person can paste into a ticket or a PR comment.
import type { Results } from "../core/results/results-schema.ts";
import { formatNumber } from "../core/gates/gate.ts";
import { describeBuild } from "../core/provenance.ts";
import { markdownTable } from "./gate-table.ts";

export function markdownSummary(results: Results): string {
  const lines = [
    `# Gauntlet — ${results.scenario} (${results.profile})`,
    "",
    `**Verdict: ${results.verdict.toUpperCase()}** · Go/No-Go: **${results.goNoGo}** · exit code ${results.exitCode}`,
    "",
    `Run \`${results.runId}\` · target ${results.target.name} ${results.target.baseUrl} · seeded faults: ${results.seededFaults.join(", ") || "none"}`,
    `Started ${results.startedAt}, ended ${results.endedAt} · Gauntlet ${describeBuild(results.gauntlet)} · k6 ${results.tools.k6 ?? "?"}, toxiproxy ${results.tools.toxiproxy ?? "?"}, node ${results.tools.node ?? "?"}`,
    "",
  ];
  if (results.error) lines.push(`> **Could not judge** — \`${results.error.code}\`: ${results.error.message}${results.error.hint ? ` — ${results.error.hint}` : ""}`, "");
  for (const note of results.notes) lines.push(`> ${note}`, "");
  if (results.faultTimeline.length > 0) {
    const at = (ms: number | undefined) => (ms === undefined ? "—" : `${formatNumber((ms - (results.driveStartedAt ?? ms)) / 1000)} s`);
    lines.push("Faults applied (seconds from the start of the load):", "", ...results.faultTimeline.map((f) => `- ${at(f.appliedAt)} → ${at(f.removedAt)} · ${f.proxy} · ${f.description} (${f.profile})`), "");
  }
  if (results.gates.length > 0) lines.push(markdownTable(results.gates), "");
  const uncovered = results.gates.filter((gate) => gate.status === "not-applicable");
  if (uncovered.length > 0) lines.push(`**Not covered on this target** (not applicable — never counted as a pass): ${uncovered.map((gate) => `\`${gate.id}\``).join(", ")}.`, "");
  if (results.k6) {
    const k6 = results.k6;
    lines.push(
      `k6: ${formatNumber(k6.requests)} decisions in ${formatNumber(k6.durationSeconds)} s, ${formatNumber(k6.failed)} failed, ${formatNumber(k6.dropped)} dropped; ` +
        `latency mean ${formatNumber(k6.latencyMs.meanMs)} ms, P50 ${formatNumber(k6.latencyMs.p50Ms)}, P95 ${formatNumber(k6.latencyMs.p95Ms)}, P99 ${formatNumber(k6.latencyMs.p99Ms)}, max ${formatNumber(k6.latencyMs.maxMs)} ms.`,
      "",
    );
  }
  lines.push("Gate details:", "", ...results.gates.map((gate) => `- **${gate.id}** — ${gate.detail}`), "");
  return lines.join("\n");
}
