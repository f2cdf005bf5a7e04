// The report's small server-rendered sections: the plan (what load was asked for), the provenance
// (what judged it), the Go/No-Go rule with the line this run hit, and the fault and recovery
// tables on the charts' clock. Plain HTML: they read without the script.
import { CONDITION } from "../core/certify/certification.ts";
import { formatNumber as n } from "../core/gates/gate.ts";
import { describeBuild } from "../core/provenance.ts";
import type { Results } from "../core/results/results-schema.ts";
import { escapeXml as esc } from "./junit-report.ts";
import { conditionsOf, RUN_RULE } from "./run-rule.ts";
import type { RunClock } from "./run-timeline.ts";

/** Plan fields the header already shows (or that only identify the run). */
const PLAN_HIDDEN = new Set(["scenario", "runId", "targetUrl", "venueAdminUrl"]);

/** The unit a plan field's name carries (one value keeps one name from the flag to the report). */
function withUnit(key: string, value: number): string {
  if (/Seconds$/.test(key)) return `${n(value)} s`;
  if (/Ms$/.test(key)) return `${n(value)} ms`;
  if (/Pct$/.test(key)) return `${n(value)} %`;
  if (key === "rate") return `${n(value)} decisions / s`;
  return n(value);
}

function planRows(value: unknown, prefix = ""): Array<[string, string]> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, v]): Array<[string, string]> => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (!prefix && PLAN_HIDDEN.has(key)) return [];
    if (typeof v === "number") return [[name, withUnit(key, v)]];
    if (Array.isArray(v)) return [[name, v.length > 24 ? `${v.slice(0, 24).join(", ")}, … (${v.length})` : v.join(", ")]];
    if (typeof v === "object" && v !== null) return planRows(v, name);
    return [[name, String(v)]];
  });
}

export function planSection(results: Results): string {
  const rows = planRows(results.plan);
  const body = rows.length
    ? rows.map(([key, value]) => `<tr><td><code>${esc(key)}</code></td><td class="num">${esc(value)}</td></tr>`).join("")
    : `<tr><td colspan="2">No k6 plan (the run stopped before the drive phase).</td></tr>`;
  return `<section class="card" id="plan"><h2>Plan</h2><p class="muted">What k6 was asked to drive (plan.json, profile ${esc(results.profile)}).</p>
<table class="kv">${body}</table></section>`;
}

export function provenanceSection(results: Results): string {
  const b = results.gauntlet;
  const profiles = [...new Set(results.faultTimeline.map((f) => f.profile))];
  const rows: Array<[string, string]> = [
    ["Gauntlet", describeBuild(b)],
    ["commit", `${b.commit}${b.dirty ? " (uncommitted changes in the checkout: not rebuildable as is)" : ""}`],
    ...Object.entries(results.tools).map(([tool, version]): [string, string] => [tool, version]),
    ["results schema", `version ${results.schemaVersion}`],
    ["run", results.runId],
    ["target", `${results.target.name} ${results.target.baseUrl}`],
    ["seeded faults", results.seededFaults.join(", ") || "none"],
    ["fault profiles", profiles.join(", ") || "none"],
    ["started → ended", `${results.startedAt} → ${results.endedAt}`],
  ];
  return `<section class="card" id="provenance"><h2>Provenance</h2><p class="muted">What judged this run, and with which tools.</p>
<table class="kv">${rows.map(([k, v]) => `<tr><td>${esc(k)}</td><td><code>${esc(v)}</code></td></tr>`).join("")}</table></section>`;
}

/** The rule line this run's Go/No-Go came from (an error first, then goNoGo()'s order). */
function ruleIndex(results: Results): number {
  return results.error ? 0 : RUN_RULE.findIndex((line, i) => i > 0 && line.outcome === results.goNoGo);
}

export function ruleSection(results: Results): string {
  const hit = ruleIndex(results);
  const items = RUN_RULE.map(
    (line, i) => `<li${i === hit ? ` class="applies" data-applies="true"` : ""}><b>${esc(line.outcome)}</b> when ${esc(line.when)}${i === hit ? " <span class=\"tag\">this run</span>" : ""}</li>`,
  ).join("");
  const conditions = conditionsOf(results.gates);
  return `<section id="rule"><h2>The Go/No-Go rule</h2><p class="muted">Checked in this order; the first line that holds decides (core/gates/verdict.ts).</p>
<ol class="rule">${items}</ol>
${conditions.length ? `<p><b>Conditions named by the failed gates:</b></p><ul class="conditions" id="conditions">${conditions.map((c) => `<li>${esc(c)}</li>`).join("")}</ul>` : ""}
<details><summary>The action a failed HIGH gate names, by category</summary><table class="kv">${Object.entries(CONDITION).map(([category, action]) => `<tr><td>${esc(category)}</td><td>${esc(action)}</td></tr>`).join("")}</table></details></section>`;
}

const s = (v: number | null) => (v === null ? "—" : `${n(v)} s`);

export function faultSection(results: Results, clock: RunClock): string {
  const faults = results.faultTimeline;
  const origin = results.driveStartedAt ?? Date.parse(results.startedAt);
  const faultRows = faults
    .map((f) => `<tr data-fault="${esc(f.id)}"><td>${esc(f.proxy)}</td><td>${esc(f.fault)}</td><td class="num">${s((f.appliedAt - origin) / 1000)}</td><td class="num">${f.removedAt === undefined ? "still applied" : s((f.removedAt - origin) / 1000)}</td><td>${esc(f.removal ?? "")}</td><td class="muted">${esc(f.description)} <code>${esc(f.id)}</code></td></tr>`)
    .join("");
  const recoveryRows = clock.recoveries
    .map((r) => `<tr data-recovery="${esc(r.proxy)}"><td>${esc(r.proxy)}</td><td class="num">${s(r.start)}</td><td class="num">${s(r.end)}</td><td class="num">${s(r.firstSafe)}</td><td class="num"><b>${r.seconds === null ? "never recovered" : s(r.seconds)}</b></td></tr>`)
    .join("");
  return [
    faults.length
      ? `<h3>Faults applied</h3><table class="gates faults"><thead><tr><th>proxy</th><th>fault</th><th>applied</th><th>removed</th><th>removal</th><th>what</th></tr></thead><tbody>${faultRows}</tbody></table>`
      : "",
    clock.recoveries.length
      ? `<h3>Recoveries</h3><table class="gates recoveries"><thead><tr><th>proxy</th><th>outage from</th><th>to</th><th>first safe action</th><th>recovery time</th></tr></thead><tbody>${recoveryRows}</tbody></table>`
      : "",
  ].join("\n");
}
