// report.html: one self-contained file (no network: uPlot's script and CSS are inlined, the data
// is embedded as JSON) with the Go/No-Go banner and the rule behind it, the plan and the
// provenance, every gate green/amber/red with the measurement behind it, the charts of the run on
// one clock (seconds since the drive started, faults and warm-up shaded, thresholds drawn), the
// faults and recoveries, and its audit log.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { formatMeasured, formatThreshold } from "../core/gates/gate.ts";
import { colourOf } from "../core/gates/verdict.ts";
import type { Results } from "../core/results/results-schema.ts";
import { CHART_SCRIPT } from "./chart-script.ts";
import { MARK } from "./gate-table.ts";
import { faultSection, planSection, provenanceSection, ruleSection } from "./html-sections.ts";
import { escapeXml as escapeHtml } from "./junit-report.ts";
import { REPORT_SCRIPT, REPORT_STYLE } from "./html-template.ts";
import { RUN_RULE } from "./run-rule.ts";
import { runCharts, timelineChart } from "./run-charts.ts";
import { runClock, type RunClock } from "./run-timeline.ts";

const require = createRequire(import.meta.url);
const UPLOT_DIR = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
const MAX_EVENTS = 2000;

/** The run's events: the first MAX_EVENTS for the audit log, and every recovery wherever it falls (the timeline's). */
function readEvents(dir: string): unknown[] {
  const path = join(dir, "events.ndjson");
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n").filter(Boolean);
  const late = lines.slice(MAX_EVENTS).filter((line) => line.includes('"kind":"recovery"'));
  return [...lines.slice(0, MAX_EVENTS), ...late].map((line) => JSON.parse(line) as unknown);
}

/** JSON inside <script>: "</script>" in any string must not end the element early. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** What the clock is, in one sentence above the charts. */
function clockNote(results: Results, clock: RunClock): string {
  const drive = results.driveStartedAt === undefined ? "the run's start" : `the drive phase's start (k6 launched, ${new Date(results.driveStartedAt).toISOString()})`;
  const measured = results.windows.length
    ? ` k6's per-window figures start at ${clock.measuredFrom} s, the judged scenario's first sample${clock.measuredFromExact ? "" : " (estimated from the plan: this results.json predates measuredStartedAt)"}.`
    : "";
  return `Time is in seconds since ${drive}; every chart shares one x range (0–${clock.range[1]} s).${measured}`;
}

/** The colour key of what the charts shade, listing only what this run has. */
function chartKey(clock: RunClock): string {
  const seen = new Map<string, string>();
  for (const band of clock.bands) if (band.kind !== "pause") seen.set(`${band.kind}:${band.label}`, `<span class="${band.kind}">${escapeHtml(band.label)}</span>`);
  return `<div class="key">${[...seen.values()].join("")}<span class="gate">gate threshold</span></div>`;
}

export function renderHtmlReport(results: Results, events: unknown[]): string {
  const uplotJs = readFileSync(join(UPLOT_DIR, "uPlot.iife.min.js"), "utf8");
  const uplotCss = readFileSync(join(UPLOT_DIR, "uPlot.min.css"), "utf8");
  const banner = results.goNoGo === "GO" ? "green" : results.goNoGo === "NO-GO" ? "red" : "amber";
  const clock = runClock(results, events);
  const chartData = { range: clock.range, bands: clock.bands, markers: clock.markers, charts: runCharts(results, clock), timeline: timelineChart(clock) };
  const why = results.error ? RUN_RULE[0]! : RUN_RULE.find((line, i) => i > 0 && line.outcome === results.goNoGo);
  const rows = results.gates
    .map(
      (gate) => `<tr class="${colourOf(gate)}" data-gate="${escapeHtml(gate.id)}" data-status="${gate.status}">
  <td><span class="dot"></span>${gate.status === "not-applicable" ? "NOT APPLICABLE" : MARK[gate.status]}</td>
  <td><code>${escapeHtml(gate.id)}</code><div class="title">${escapeHtml(gate.title)}</div></td>
  <td>${gate.severity}</td><td class="num">${escapeHtml(formatMeasured(gate))}</td>
  <td class="num">${escapeHtml(formatThreshold(gate))}</td><td class="detail">${escapeHtml(gate.detail)}</td></tr>`,
    )
    .join("\n");
  const error = results.error
    ? `<div class="error"><b>Could not judge</b> — <code>${escapeHtml(results.error.code)}</code>: ${escapeHtml(results.error.message)}${results.error.hint ? `<br>${escapeHtml(results.error.hint)}` : ""}</div>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gauntlet — ${escapeHtml(results.scenario)} ${escapeHtml(results.runId)}</title>
<style>${uplotCss}\n${REPORT_STYLE}</style></head>
<body>
<header class="banner ${banner}" id="verdict">
  <div class="big">${escapeHtml(results.goNoGo)}</div>
  <div>${escapeHtml(results.scenario)} · profile ${escapeHtml(results.profile)} · verdict <b>${results.verdict}</b> · exit code ${results.exitCode}</div>
  ${why ? `<div class="why">${escapeHtml(why.outcome)} when ${escapeHtml(why.when)}</div>` : ""}
</header>
<main>
<div class="cards">${planSection(results)}${provenanceSection(results)}</div>
${error}
${results.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join("\n")}
<h2>Gates</h2>
<table class="gates"><thead><tr><th>verdict</th><th>gate</th><th>severity</th><th>measured</th><th>threshold</th><th>how it was measured</th></tr></thead>
<tbody>${rows || `<tr><td colspan="6">No gate was evaluated.</td></tr>`}</tbody></table>
${ruleSection(results)}
<h2>Charts</h2>
<p class="muted" id="clock">${escapeHtml(clockNote(results, clock))}</p>
${chartKey(clock)}
<div id="charts"></div>
${faultSection(results, clock)}
<h2>Audit log</h2>
<details><summary>${events.length} events${events.length >= MAX_EVENTS ? ` (the first ${MAX_EVENTS} and every recovery; all in events.ndjson)` : ""}</summary><pre id="events"></pre></details>
</main>
<script id="results-data" type="application/json">${embedJson(results)}</script>
<script id="chart-data" type="application/json">${embedJson(chartData)}</script>
<script id="events-data" type="application/json">${embedJson(events)}</script>
<script>${uplotJs}</script>
<script>${REPORT_SCRIPT}</script>
<script>${CHART_SCRIPT}</script>
<script>document.body.setAttribute("data-rendered", "true");</script>
</body></html>
`;
}

export function writeHtmlReport(path: string, results: Results): void {
  writeFileSync(path, renderHtmlReport(results, readEvents(dirname(path))));
}
