// report.html: one self-contained file (no network: uPlot's script and CSS are inlined, the data
// is embedded as JSON) with the Go/No-Go banner, every gate green/amber/red with the measurement
// behind it, the charts of the run and its audit log.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { formatMeasured, formatThreshold } from "../core/gates/gate.ts";
import { colourOf } from "../core/gates/verdict.ts";
import type { Results } from "../core/results/results-schema.ts";
import { escapeXml as escapeHtml } from "./junit-report.ts";
import { REPORT_SCRIPT, REPORT_STYLE } from "./html-template.ts";

const require = createRequire(import.meta.url);
const UPLOT_DIR = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));
const MAX_EVENTS = 2000;

function readEvents(dir: string): unknown[] {
  const path = join(dir, "events.ndjson");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .slice(0, MAX_EVENTS)
    .map((line) => JSON.parse(line) as unknown);
}

/** JSON inside <script>: "</script>" in any string must not end the element early. */
function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export function renderHtmlReport(results: Results, events: unknown[]): string {
  const uplotJs = readFileSync(join(UPLOT_DIR, "uPlot.iife.min.js"), "utf8");
  const uplotCss = readFileSync(join(UPLOT_DIR, "uPlot.min.css"), "utf8");
  const banner = results.goNoGo === "GO" ? "green" : results.goNoGo === "NO-GO" ? "red" : "amber";
  const rows = results.gates
    .map(
      (gate) => `<tr class="${colourOf(gate)}" data-gate="${escapeHtml(gate.id)}" data-status="${gate.status}">
  <td><span class="dot"></span>${gate.status === "no-data" ? "NO DATA" : gate.status.toUpperCase()}</td>
  <td><code>${escapeHtml(gate.id)}</code><div class="title">${escapeHtml(gate.title)}</div></td>
  <td>${gate.severity}</td><td class="num">${escapeHtml(formatMeasured(gate))}</td>
  <td class="num">${escapeHtml(formatThreshold(gate))}</td><td class="detail">${escapeHtml(gate.detail)}</td></tr>`,
    )
    .join("\n");
  const error = results.error
    ? `<div class="error"><b>Could not judge</b> — <code>${escapeHtml(results.error.code)}</code>: ${escapeHtml(results.error.message)}</div>`
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
</header>
<main>
<section class="meta">
  <div>Run <code>${escapeHtml(results.runId)}</code></div>
  <div>Target ${escapeHtml(results.target.name)} <code>${escapeHtml(results.target.baseUrl)}</code> · seeded faults: ${escapeHtml(results.faults.join(", ") || "none")}</div>
  <div>${escapeHtml(results.startedAt)} → ${escapeHtml(results.endedAt)} · ${Object.entries(results.tools).map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(v)}`).join(" · ")}</div>
</section>
${error}
${results.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join("\n")}
<h2>Gates</h2>
<table class="gates"><thead><tr><th>verdict</th><th>gate</th><th>severity</th><th>measured</th><th>threshold</th><th>how it was measured</th></tr></thead>
<tbody>${rows || `<tr><td colspan="6">No gate was evaluated.</td></tr>`}</tbody></table>
<h2>Charts</h2>
<div id="charts"></div>
<h2>Audit log</h2>
<details><summary>${events.length} events${events.length === MAX_EVENTS ? ` (first ${MAX_EVENTS}; all in events.ndjson)` : ""}</summary><pre id="events"></pre></details>
</main>
<script id="results-data" type="application/json">${embedJson(results)}</script>
<script id="events-data" type="application/json">${embedJson(events)}</script>
<script>${uplotJs}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

export function writeHtmlReport(path: string, results: Results): void {
  writeFileSync(path, renderHtmlReport(results, readEvents(dirname(path))));
}
