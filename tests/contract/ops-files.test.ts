// The operations files — ops/prometheus/gauntlet-alerts.yaml (and its promtool tests) and
// ops/grafana/gauntlet-dashboard.json — may only name series Gauntlet exports. The names are read
// from the LiveMetrics registry itself, so renaming a metric without its rules and panels fails here.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse as parseYaml } from "yaml";
import { LiveMetrics } from "../../core/events/live-metrics.ts";
import { REPO_ROOT } from "../../core/paths.ts";

const RULES = path.join(REPO_ROOT, "ops/prometheus/gauntlet-alerts.yaml");
const RULE_TESTS = path.join(REPO_ROOT, "ops/prometheus/gauntlet-alerts.test.yaml");
const DASHBOARD = path.join(REPO_ROOT, "ops/grafana/gauntlet-dashboard.json");

/** Exported metric → the series Prometheus stores for it (a histogram is only its _bucket, _sum and _count). */
async function exportedSeries(): Promise<Map<string, string[]>> {
  const metrics = await new LiveMetrics().registry.getMetricsAsJSON();
  return new Map(
    metrics.map((metric) => {
      const type = String(metric.type);
      const series = type === "histogram" ? ["_bucket", "_sum", "_count"].map((suffix) => metric.name + suffix) : type === "summary" ? [metric.name, `${metric.name}_sum`, `${metric.name}_count`] : [metric.name];
      return [metric.name, series];
    }),
  );
}

const METRIC = /gauntlet_[a-z0-9_]+/g;

/** Every Gauntlet series an expression names. */
function metricsIn(expr: string): string[] {
  return [...new Set(expr.match(METRIC) ?? [])];
}

/** Problems with one expression: each name that is not a series Gauntlet exports. */
function unknownIn(expr: string, where: string, known: ReadonlySet<string>): string[] {
  return metricsIn(expr)
    .filter((name) => !known.has(name))
    .map((name) => `${where}: ${name} is not a series Gauntlet exports`);
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/** The checker: structure of a Prometheus rule file, and the metrics its expressions name. */
function checkRuleFile(text: string, known: ReadonlySet<string>): { problems: string[]; exprs: string[] } {
  const problems: string[] = [];
  const exprs: string[] = [];
  const doc = parseYaml(text) as { groups?: unknown };
  if (!Array.isArray(doc?.groups) || doc.groups.length === 0) return { problems: ["groups: expected a non-empty list"], exprs };
  const alerts = new Set<string>();
  doc.groups.forEach((group: { name?: unknown; rules?: unknown }, g) => {
    if (typeof group.name !== "string" || !group.name) problems.push(`groups[${g}].name: missing`);
    if (!Array.isArray(group.rules) || group.rules.length === 0) return void problems.push(`groups[${g}].rules: expected a non-empty list`);
    group.rules.forEach((rule: Record<string, unknown>, r) => {
      const at = `groups[${g}].rules[${r}]${typeof rule.alert === "string" ? ` (${rule.alert})` : ""}`;
      if (typeof rule.alert !== "string" || !/^[A-Z][A-Za-z0-9]+$/.test(rule.alert)) problems.push(`${at}.alert: expected a CamelCase name`);
      else if (alerts.has(rule.alert)) problems.push(`${at}.alert: duplicate`);
      else alerts.add(rule.alert);
      if (typeof rule.expr !== "string" || !rule.expr.trim()) problems.push(`${at}.expr: missing`);
      else {
        exprs.push(rule.expr);
        if (metricsIn(rule.expr).length === 0) problems.push(`${at}.expr: names no Gauntlet metric`);
        problems.push(...unknownIn(rule.expr, `${at}.expr`, known));
      }
      if (typeof rule.for !== "string" || !DURATION.test(rule.for)) problems.push(`${at}.for: expected a duration such as 1m`);
      const labels = rule.labels as Record<string, unknown> | undefined;
      if (!["critical", "warning", "info"].includes(labels?.severity as string)) problems.push(`${at}.labels.severity: expected critical, warning or info`);
      const annotations = rule.annotations as Record<string, unknown> | undefined;
      if (typeof annotations?.summary !== "string" || !annotations.summary) problems.push(`${at}.annotations.summary: missing`);
    });
  });
  return { problems, exprs };
}

interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: unknown;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string; refId?: string; datasource?: { uid?: string } }>;
  fieldConfig?: { defaults?: { thresholds?: { steps?: Array<{ value: number | null }> } } };
}

interface Dashboard {
  schemaVersion?: number;
  uid?: string;
  title?: string;
  panels?: Panel[];
  templating?: { list?: Array<{ name?: string; type?: string; query?: unknown; definition?: string }> };
  annotations?: { list?: Array<{ expr?: string }> };
}

const DATASOURCE_UIDS = new Set(["${datasource}", "${DS_PROMETHEUS}"]);

/** The checker for a Grafana dashboard: every panel titled, queried with expressions on exported series only. */
function checkDashboard(text: string, known: ReadonlySet<string>): { problems: string[]; exprs: string[] } {
  const problems: string[] = [];
  const exprs: string[] = [];
  const dashboard = JSON.parse(text) as Dashboard;
  if (typeof dashboard.schemaVersion !== "number" || dashboard.schemaVersion < 36) problems.push("schemaVersion: expected 36 or later");
  if (!dashboard.uid || !dashboard.title) problems.push("uid and title: required");
  const variables = dashboard.templating?.list ?? [];
  if (!variables.some((v) => v.type === "datasource" && v.query === "prometheus")) problems.push("templating: no Prometheus datasource variable");
  for (const variable of variables.filter((v) => v.type === "query")) {
    const query = typeof variable.query === "string" ? variable.query : ((variable.query as { query?: string } | undefined)?.query ?? "");
    exprs.push(query);
    problems.push(...unknownIn(`${query} ${variable.definition ?? ""}`, `templating ${variable.name}`, known));
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (annotation.expr === undefined) continue;
    exprs.push(annotation.expr);
    problems.push(...unknownIn(annotation.expr, "annotation", known));
  }
  const panels = dashboard.panels ?? [];
  if (panels.length === 0) problems.push("panels: none");
  const ids = new Set<number>();
  panels.forEach((panel, i) => {
    const at = `panels[${i}]${panel.title ? ` (${panel.title})` : ""}`;
    if (!panel.title) problems.push(`${at}.title: missing`);
    if (typeof panel.id !== "number" || ids.has(panel.id)) problems.push(`${at}.id: missing or duplicate`);
    else ids.add(panel.id);
    if (!panel.gridPos) problems.push(`${at}.gridPos: missing`);
    if (!DATASOURCE_UIDS.has(panel.datasource?.uid ?? "")) problems.push(`${at}.datasource: expected the dashboard's Prometheus variable`);
    if (!panel.targets?.length) return void problems.push(`${at}.targets: none`);
    panel.targets.forEach((target, t) => {
      if (typeof target.expr !== "string" || !target.expr.trim()) return void problems.push(`${at}.targets[${t}].expr: missing`);
      if (!target.refId) problems.push(`${at}.targets[${t}].refId: missing`);
      exprs.push(target.expr);
      if (metricsIn(target.expr).length === 0) problems.push(`${at}.targets[${t}].expr: names no Gauntlet metric`);
      problems.push(...unknownIn(target.expr, `${at}.targets[${t}].expr`, known));
    });
  });
  return { problems, exprs };
}

const known = async () => new Set([...(await exportedSeries()).values()].flat());
const panel = (title: string) => (JSON.parse(readFileSync(DASHBOARD, "utf8")) as Dashboard).panels!.find((p) => p.title === title);

test("the registry is read, not copied: every metric the brief names is there, histograms as their series", async () => {
  const exported = await exportedSeries();
  for (const name of ["gauntlet_decision_latency_p99_seconds", "gauntlet_decisions_total", "gauntlet_active_faults", "gauntlet_run_info"]) assert.ok(exported.has(name), name);
  assert.equal(exported.get("gauntlet_pipeline_latency_seconds"), ["gauntlet_pipeline_latency_seconds_bucket", "gauntlet_pipeline_latency_seconds_sum", "gauntlet_pipeline_latency_seconds_count"]);
});

test("the alerting rules: every rule well formed, every expression on exported series only", async () => {
  const { problems, exprs } = checkRuleFile(readFileSync(RULES, "utf8"), await known());
  assert.equal(problems, []);
  assert.ok(exprs.length >= 10, `${exprs.length} rules`);
});

test("the alerting rules hold the requirements' red lines", () => {
  const doc = parseYaml(readFileSync(RULES, "utf8")) as { groups: Array<{ rules: Array<{ alert: string; expr: string; labels: { severity: string } }> }> };
  const rules = doc.groups.flatMap((group) => group.rules);
  const rule = (metric: string, threshold: RegExp) => rules.find((r) => r.expr.includes(metric) && threshold.test(r.expr));
  const p99 = rule("gauntlet_decision_latency_p99_seconds", />\s*0\.02\b/);
  assert.ok(p99, "P99 > 20 ms");
  assert.is(p99!.labels.severity, "critical", "latency is CRITICAL in the Go/No-Go matrix");
  assert.ok(rule("gauntlet_decision_errors_total", />\s*0\.01\b/), "errors ≥ 1 %");
  assert.ok(rule("gauntlet_dropped_iterations_total", />\s*0\.001\b/), "dropped > 0.1 %");
  assert.ok(rule("gauntlet_redis_backlog_events", />\s*1000\b/), "backlog > 1,000");
  assert.ok(rule("gauntlet_pipeline_latency_seconds_bucket", />=?\s*0\.02\b/), "pipeline P99 ≥ 20 ms");
  assert.ok(rule("gauntlet_recovery_time_seconds", />\s*25\b/) && rule("gauntlet_recovery_time_seconds", />\s*30\b/), "recovery > 25 s, > 30 s");
  assert.ok(rule("gauntlet_target_resident_memory_bytes", />\s*50e6\b/), "memory red line 50 MB");
  assert.ok(rule("gauntlet_active_faults", /unless/), "faults left behind");
});

test("a rule file naming a metric Gauntlet does not export, or missing a field, is caught", async () => {
  const bad = `
groups:
  - name: typo
    rules:
      - alert: LatencyTypo
        expr: gauntlet_decision_latency_p999_seconds > 0.02
        for: 1m
        labels: { severity: critical }
        annotations: { summary: "typo" }
      - alert: BareHistogram
        expr: histogram_quantile(0.99, rate(gauntlet_pipeline_latency_seconds[1m])) > 0.02
        labels: { severity: page }
        annotations: {}
`;
  const { problems } = checkRuleFile(bad, await known());
  assert.equal(problems, [
    "groups[0].rules[0] (LatencyTypo).expr: gauntlet_decision_latency_p999_seconds is not a series Gauntlet exports",
    "groups[0].rules[1] (BareHistogram).expr: gauntlet_pipeline_latency_seconds is not a series Gauntlet exports",
    "groups[0].rules[1] (BareHistogram).for: expected a duration such as 1m",
    "groups[0].rules[1] (BareHistogram).labels.severity: expected critical, warning or info",
    "groups[0].rules[1] (BareHistogram).annotations.summary: missing",
  ]);
  assert.equal(checkRuleFile("rules: []", await known()).problems, ["groups: expected a non-empty list"]);
});

test("the dashboard: every panel titled and queried, every expression on exported series only", async () => {
  const { problems } = checkDashboard(readFileSync(DASHBOARD, "utf8"), await known());
  assert.equal(problems, []);
});

test("the dashboard shows every metric Gauntlet exports", async () => {
  const { exprs } = checkDashboard(readFileSync(DASHBOARD, "utf8"), await known());
  const used = new Set(exprs.flatMap(metricsIn));
  for (const [metric, series] of await exportedSeries()) assert.ok(series.some((name) => used.has(name)), `no panel shows ${metric}`);
});

test("the latency panel draws the 15 ms gate and the 20 ms alert line; pipeline P99 comes from the histogram", () => {
  const steps = panel("Decision latency P99")!.fieldConfig!.defaults!.thresholds!.steps!.map((step) => step.value);
  assert.equal(steps, [null, 0.015, 0.02]);
  assert.match(panel("Pipeline latency P99")!.targets![0]!.expr!, /histogram_quantile\(0\.99, .*gauntlet_pipeline_latency_seconds_bucket/);
});

test("a dashboard naming an unknown metric or a panel without a query is caught", async () => {
  const good = JSON.parse(readFileSync(DASHBOARD, "utf8")) as Dashboard;
  const bad = structuredClone(good);
  bad.panels![0]!.targets![0]!.expr = "rate(gauntlet_decision_total[1m])";
  bad.panels![1]!.targets = [];
  delete bad.panels![2]!.title;
  const { problems } = checkDashboard(JSON.stringify(bad), await known());
  assert.equal(problems, [
    `panels[0] (${good.panels![0]!.title}).targets[0].expr: gauntlet_decision_total is not a series Gauntlet exports`,
    `panels[1] (${good.panels![1]!.title}).targets: none`,
    "panels[2].title: missing",
  ]);
});

test("the promtool tests feed only exported series, against the rule file beside them", async () => {
  const doc = parseYaml(readFileSync(RULE_TESTS, "utf8")) as { rule_files: string[]; tests: Array<{ input_series: Array<{ series: string }> }> };
  assert.equal(doc.rule_files, ["gauntlet-alerts.yaml"]);
  const names = await known();
  const problems = doc.tests.flatMap((t, i) => t.input_series.flatMap((input) => unknownIn(input.series, `tests[${i}]`, names)));
  assert.equal(problems, []);
});

test("promtool agrees, where it is installed (check rules, then its unit tests)", () => {
  const check = spawnSync("promtool", ["check", "rules", RULES], { encoding: "utf8" });
  if (check.error) {
    process.stdout.write("  (promtool not on PATH: Prometheus's own checks of ops/prometheus skipped)\n");
    return;
  }
  assert.is(check.status, 0, check.stdout + check.stderr);
  const unit = spawnSync("promtool", ["test", "rules", path.basename(RULE_TESTS)], { cwd: path.dirname(RULE_TESTS), encoding: "utf8" });
  assert.is(unit.status, 0, unit.stdout + unit.stderr);
});

test.run();
