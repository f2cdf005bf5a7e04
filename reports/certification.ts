// A certification's reports: junit.xml (one test case per run, for CI), summary.md (for a ticket
// or $GITHUB_STEP_SUMMARY) and report.html — the verdict, the rule behind it, the provenance, the
// run-by-run strip (each cell a link to that run's report) and every gate's distribution across
// the runs, drawn against its threshold.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { CONDITION } from "../core/certify/certification.ts";
import type { Certification, CertificationRun, GateDistribution } from "../core/certify/certification-schema.ts";
import { formatNumber as n } from "../core/gates/gate.ts";
import { describeBuild } from "../core/provenance.ts";
import { escapeXml } from "./junit-report.ts";

const require = createRequire(import.meta.url);
const UPLOT_DIR = dirname(require.resolve("uplot/dist/uPlot.iife.min.js"));

/** The rule a committee reads next to the verdict, in the order core/certify/certification.ts applies it. */
export const GO_NO_GO_RULE = [
  "NOT CERTIFIED: a run failed a CRITICAL gate, a hard limit was breached at any fill, a run could not be judged, or the suite passed fewer times in a row than requested (exit code 1; 2 when every blocking run could not be judged and none failed).",
  "CERTIFIED WITH CONDITIONS: nothing above, but HIGH gates failed; paper trading proceeds with the action each names (listed under Conditions; exit code 0).",
  "CERTIFIED: every requested pass of the whole suite in a row, zero hard-limit breaches, no CRITICAL or HIGH gate failed (exit code 0).",
  "MEDIUM gates are advisory: a failure is listed, never blocks. A gate, or a whole scenario, that does not apply to the target does not break the streak and is listed as not covered: never counted as a pass.",
];

/** How the runs of a pass were laid out: one after the other, or side by side in lanes. */
export function describeLanes(c: Certification): string {
  const lanes = c.lanes ?? 1;
  return lanes === 1 ? "one run after the other" : `up to ${lanes} light scenarios of a pass side by side, each on its own services and target instance (a scenario whose load takes a core ran alone)`;
}

const value = (x: number | null, unit: string) => (x === null ? "—" : `${n(x)}${unit ? ` ${unit}` : ""}`);

export function certificationMarkdown(c: Certification): string {
  const lines = [
    `# Gauntlet certification — ${c.verdict}`,
    "",
    `**${c.streak} of ${c.requestedRuns}** consecutive passes of ${c.suite.join(", ")} (profile ${c.profile}) · **${n(c.breaches)}** hard-limit breaches · target ${c.target.name}`,
    "",
    `Runs: ${describeLanes(c)}.`,
    "",
    `Gauntlet ${describeBuild(c.gauntlet)} · ${c.startedAt} → ${c.endedAt} · self-test of this build: ${c.selftest ? `${c.selftest.asExpected} of ${c.selftest.rows} rows as expected` : "not run"}`,
    "",
  ];
  if (c.stoppedAt) lines.push(`> Stopped at pass ${c.stoppedAt.iteration}, ${c.stoppedAt.scenario}: ${c.stoppedAt.why} (run \`${c.stoppedAt.runId}\`)`, "");
  if (c.conditions.length) lines.push("Conditions:", "", ...c.conditions.map((condition) => `- ${condition}`), "");
  if (c.notCovered.length) lines.push(`Not covered on this target: ${c.notCovered.join(", ")}.`, "");
  lines.push(
    "| scenario | gate | severity | threshold | min | median | max | margin | runs |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...c.gates.map((g) => `| ${g.scenario} | ${g.gate} | ${g.severity} | ${g.comparator} ${n(g.threshold)} ${g.unit} | ${value(g.min, g.unit)} | ${value(g.median, g.unit)} | ${value(g.max, g.unit)} | ${value(g.margin, g.unit)} | ${Object.entries(g.statuses).map(([status, count]) => `${count} ${status}`).join(", ")} |`),
    "",
    "Rule:",
    "",
    ...GO_NO_GO_RULE.map((rule) => `- ${rule}`),
    "",
  );
  return lines.join("\n");
}

export function certificationJunit(c: Certification): string {
  const failures = c.runs.filter((run) => run.verdict === "fail").length;
  const errors = c.runs.filter((run) => run.verdict === "could-not-judge").length;
  const skipped = c.runs.filter((run) => run.verdict === "not-applicable").length;
  const cases = c.runs.map((run) => {
    const name = `pass ${run.iteration}: ${run.scenario}`;
    const body =
      run.verdict === "fail"
        ? `<failure message="${escapeXml(`${run.goNoGo}: ${run.failed.map((gate) => `${gate.id} (${gate.severity})`).join(", ")}`)}">${escapeXml(run.runDir)}</failure>`
        : run.verdict === "could-not-judge"
          ? `<error message="${escapeXml(`could not judge: ${run.error ?? "no data"}`)}"/>`
          : run.verdict === "not-applicable"
            ? `<skipped message="not applicable to this target"/>`
            : "";
    return `    <testcase classname="gauntlet.certify.${escapeXml(run.scenario)}" name="${escapeXml(name)}">${body}</testcase>`;
  });
  const build = `${c.gauntlet.commit}${c.gauntlet.dirty ? "+modified" : ""}`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="gauntlet-certify" tests="${c.runs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="gauntlet.certify" tests="${c.runs.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${escapeXml(c.startedAt)}">`,
    `    <properties><property name="verdict" value="${escapeXml(c.verdict)}"/><property name="streak" value="${c.streak}"/><property name="requestedRuns" value="${c.requestedRuns}"/><property name="breaches" value="${c.breaches}"/><property name="gauntlet.version" value="${escapeXml(c.gauntlet.version)}"/><property name="gauntlet.commit" value="${escapeXml(build)}"/></properties>`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

function embedJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c");
}

const CELL: Record<CertificationRun["verdict"], string> = { pass: "✓", fail: "✗", "could-not-judge": "?", "not-applicable": "n/a" };

/** Passes down, scenarios across: each cell a run, coloured by its verdict, linking to its report (run folders are siblings). */
function strip(c: Certification): string {
  const passes = Math.max(0, ...c.runs.map((run) => run.iteration));
  const rows = Array.from({ length: passes }, (_, i) => i + 1).map((iteration) => {
    const cells = c.suite.map((scenario) => {
      const run = c.runs.find((r) => r.iteration === iteration && r.scenario === scenario);
      if (!run) return `<td><span class="cell none" title="not run">·</span></td>`;
      const title = `pass ${run.iteration} · ${run.scenario} · ${run.goNoGo}${run.failed.length ? ` · failed ${run.failed.map((g) => `${g.id} (${g.severity})`).join(", ")}` : ""}${run.error ? ` · ${run.error}` : ""}`;
      return `<td><a class="cell ${run.verdict}" data-run="${escapeXml(run.runId)}" data-verdict="${run.verdict}" href="../${escapeXml(basename(run.runDir))}/report.html" title="${escapeXml(title)}">${CELL[run.verdict]} ${escapeXml(run.goNoGo)}</a></td>`;
    });
    return `<tr><th>pass ${iteration}</th>${cells.join("")}</tr>`;
  });
  return `<table class="strip" id="strip"><thead><tr><th></th>${c.suite.map((s) => `<th>${escapeXml(s)}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** min–max across the runs as a bar, the median as a tick, the threshold as a red line, on one 0-based scale. */
function rangeBar(g: GateDistribution): string {
  if (g.min === null || g.max === null) return `<span class="muted">no measurement</span>`;
  const lo = Math.min(0, g.min, g.threshold);
  const hi = Math.max(g.max, g.threshold, lo + 1e-9);
  const pct = (v: number) => `${(((v - lo) / (hi - lo)) * 96 + 2).toFixed(1)}%`;
  const ok = g.margin === null || g.margin >= 0;
  return `<div class="range" title="${escapeXml(`min ${n(g.min)} · median ${value(g.median, g.unit)} · max ${value(g.max, g.unit)} · threshold ${g.comparator} ${n(g.threshold)} ${g.unit}`)}">` +
    `<span class="span ${ok ? "ok" : "crossed"}" style="left:${pct(g.min)};width:calc(${pct(g.max)} - ${pct(g.min)} + 3px)"></span>` +
    (g.median === null ? "" : `<span class="med" style="left:${pct(g.median)}"></span>`) +
    `<span class="thr" style="left:${pct(g.threshold)}"></span></div>`;
}

function provenance(c: Certification, tools: Record<string, string>): string {
  const rows: Array<[string, string]> = [
    ["Gauntlet", describeBuild(c.gauntlet)],
    ["commit", `${c.gauntlet.commit}${c.gauntlet.dirty ? " (uncommitted changes in the checkout: not rebuildable as is)" : ""}`],
    ...Object.entries(tools).map(([tool, version]): [string, string] => [tool, version]),
    ["certification", c.id],
    ["target", `${c.target.name}${Object.keys(c.target.options).length ? ` ${JSON.stringify(c.target.options)}` : ""}`],
    ["seeded faults", c.target.seededFaults.join(", ") || "none"],
    ["profile · suite", `${c.profile} · ${c.suite.join(" → ")} (integrity after each)`],
    ["runs of a pass", describeLanes(c)],
    ["self-test of this build", c.selftest ? `${c.selftest.asExpected} of ${c.selftest.rows} rows as expected (${c.selftest.commit.slice(0, 12)}, ${c.selftest.at})` : "not run"],
    ["started → ended", `${c.startedAt} → ${c.endedAt}`],
  ];
  return `<table class="kv" id="provenance">${rows.map(([k, v]) => `<tr><td>${escapeXml(k)}</td><td><code>${escapeXml(v)}</code></td></tr>`).join("")}</table>`;
}

export function renderCertificationReport(c: Certification, tools: Record<string, string> = {}): string {
  const colour = c.verdict === "CERTIFIED" ? "green" : c.verdict === "NOT CERTIFIED" ? "red" : "amber";
  const hit = c.verdict === "NOT CERTIFIED" ? 0 : c.verdict === "CERTIFIED WITH CONDITIONS" ? 1 : 2;
  const rows = c.gates
    .map(
      (g) => `<tr data-gate="${escapeXml(g.gate)}" data-scenario="${escapeXml(g.scenario)}"><td>${escapeXml(g.scenario)}</td><td><code>${escapeXml(g.gate)}</code><div class="title">${escapeXml(g.title)}</div></td><td>${g.severity}</td>
<td class="num">${escapeXml(`${g.comparator} ${n(g.threshold)} ${g.unit}`)}</td><td class="num">${escapeXml(value(g.min, g.unit))}</td><td class="num">${escapeXml(value(g.median, g.unit))}</td><td class="num">${escapeXml(value(g.max, g.unit))}</td>
<td class="num ${g.margin !== null && g.margin < 0 ? "neg" : ""}">${escapeXml(value(g.margin, g.unit))}</td><td class="bar">${rangeBar(g)}</td><td>${escapeXml(Object.entries(g.statuses).map(([s, k]) => `${k} ${s}`).join(", "))}</td></tr>`,
    )
    .join("\n");
  const uplotCss = readFileSync(join(UPLOT_DIR, "uPlot.min.css"), "utf8");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gauntlet certification — ${escapeXml(c.verdict)}</title>
<style>${uplotCss}
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 0 20px 40px; }
.banner { padding: 18px 24px; color: #fff; } .banner .big { font-size: 30px; font-weight: 700; } .banner .why { margin-top: 4px; }
.banner.green { background: #1a7f37; } .banner.amber { background: #b7791f; } .banner.red { background: #c62828; }
.meta, .title, .muted { color: #59636e; } .title { font-size: 12px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #d8dee4; vertical-align: top; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; } td.neg { color: #c62828; font-weight: 700; }
table.kv td { padding: 2px 6px; font-size: 13px; border-bottom: 1px solid #eef1f4; } table.kv td:first-child { color: #59636e; white-space: nowrap; width: 1%; }
table.strip { width: auto; margin: 8px 0 18px; } table.strip th, table.strip td { border: 0; padding: 2px 3px; font-size: 12px; }
.cell { display: block; min-width: 92px; padding: 3px 6px; border-radius: 3px; color: #fff; text-decoration: none; font-weight: 600; background: #8c959f; white-space: nowrap; }
.cell.pass { background: #1a7f37; } .cell.fail { background: #c62828; } .cell.could-not-judge { background: #b7791f; } .cell.none { background: #eef1f4; color: #59636e; }
td.bar { width: 180px; } .range { position: relative; height: 14px; background: #f6f8fa; border-radius: 2px; }
.range span { position: absolute; top: 0; height: 14px; } .range .span { top: 4px; height: 6px; border-radius: 3px; background: #1a7f37; } .range .span.crossed { background: #c62828; }
.range .med { width: 2px; background: #1f2328; } .range .thr { width: 0; border-left: 2px dashed #cf222e; }
ol.rule li { margin: 3px 0; color: #59636e; } ol.rule li.applies { color: #1f2328; } .tag { background: #1f2328; color: #fff; border-radius: 3px; padding: 0 5px; font-size: 11px; }
</style></head><body>
<header class="banner ${colour}" id="verdict"><div class="big">${escapeXml(c.verdict)}</div>
<div>${c.streak} of ${c.requestedRuns} consecutive passes · ${n(c.breaches)} hard-limit breaches · profile ${escapeXml(c.profile)} · target ${escapeXml(c.target.name)} · exit code ${c.exitCode}</div>
<div class="why">${escapeXml(GO_NO_GO_RULE[hit]!)}</div></header>
<main>
<h2>Provenance</h2>${provenance(c, tools)}
${c.stoppedAt ? `<p><b>Stopped</b> at pass ${c.stoppedAt.iteration}, ${escapeXml(c.stoppedAt.scenario)}: ${escapeXml(c.stoppedAt.why)} (run <code>${escapeXml(c.stoppedAt.runId)}</code>)</p>` : ""}
${c.conditions.length ? `<h2>Conditions</h2><ul id="conditions">${c.conditions.map((x) => `<li>${escapeXml(x)}</li>`).join("")}</ul>` : ""}
${c.advisories.length ? `<h2>Advisories (MEDIUM)</h2><ul id="advisories">${c.advisories.map((x) => `<li>${escapeXml(x)}</li>`).join("")}</ul>` : ""}
${c.notCovered.length ? `<p id="not-covered"><b>Not covered</b> on this target (never counted as passes): ${escapeXml(c.notCovered.join(", "))}.</p>` : ""}
<h2>Run by run</h2><p class="muted">Each cell is one run; open it for that run's report.</p>${strip(c)}
<h2>Gates across the runs</h2>
<p class="muted">Per scenario and gate over every run: the bar spans min to max, the black tick is the median, the red dashed line the threshold; margin is the room the worst run left (negative: crossed by that much).</p>
<table class="gates"><thead><tr><th>scenario</th><th>gate</th><th>severity</th><th>threshold</th><th>min</th><th>median</th><th>max</th><th>margin (worst run)</th><th>spread vs threshold</th><th>runs</th></tr></thead><tbody>${rows}</tbody></table>
<h2>The rule</h2><ol class="rule" id="rule">${GO_NO_GO_RULE.map((rule, i) => `<li${i === hit ? ` class="applies" data-applies="true"` : ""}>${escapeXml(rule)}${i === hit ? ` <span class="tag">this certification</span>` : ""}</li>`).join("")}</ol>
<details><summary>The action a failed HIGH gate names, by category</summary><table class="kv">${Object.entries(CONDITION).map(([category, action]) => `<tr><td>${escapeXml(category)}</td><td>${escapeXml(action)}</td></tr>`).join("")}</table></details>
</main>
<script id="certification-data" type="application/json">${embedJson(c)}</script>
<script>document.body.setAttribute("data-rendered", "true");</script>
</body></html>
`;
}

/** The tools of the suite's first run (certification.json does not repeat them), when its results.json is at hand. */
function toolsOf(c: Certification): Record<string, string> {
  const first = c.runs[0] && join(c.runs[0].runDir, "results.json");
  if (!first || !existsSync(first)) return {};
  try {
    return (JSON.parse(readFileSync(first, "utf8")) as { tools?: Record<string, string> }).tools ?? {};
  } catch {
    return {};
  }
}

export function writeCertificationReport(path: string, c: Certification): void {
  writeFileSync(path, renderCertificationReport(c, toolsOf(c)));
}
