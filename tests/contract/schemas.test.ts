import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse as parseYaml } from "yaml";
import { judge, noData, type GateSpec } from "../../core/gates/gate.ts";
import { ResultsSchema, type Results } from "../../core/results/results-schema.ts";
import { driftedSchemas, PUBLISHED, renderSchemas, SCHEMAS_DIR } from "../../cli/publish-schemas.ts";
import { FloodConfigSchema } from "../../plugins/decision-flood/plan.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
type JsonSchema = Record<string, unknown>;
const published = (file: string) => JSON.parse(readFileSync(path.join(SCHEMAS_DIR, file), "utf8")) as JsonSchema;

/**
 * A tiny structural JSON Schema check: just the keywords z.toJSONSchema emits for these schemas.
 * An unknown keyword throws, so a schema change cannot silently outgrow the check.
 */
function violations(schema: JsonSchema, value: unknown, at = "$"): string[] {
  const known = new Set(["$schema", "title", "description", "default", "format", "type", "const", "enum", "properties", "required", "additionalProperties", "propertyNames", "items", "anyOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern", "minLength"]);
  for (const key of Object.keys(schema)) if (!known.has(key)) throw new Error(`the check does not know the keyword "${key}" (at ${at})`);
  const out: string[] = [];
  const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);
  if (schema.type !== undefined) {
    const types = ([] as string[]).concat(schema.type as string | string[]);
    const actual = typeOf(value);
    const ok = types.includes(actual) || (actual === "integer" && types.includes("number"));
    if (!ok) return [`${at}: expected ${types.join("|")}, got ${actual}`];
  }
  if ("const" in schema && value !== schema.const) out.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) out.push(`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (typeof value === "string") {
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) out.push(`${at}: does not match ${schema.pattern}`);
    if (typeof schema.minLength === "number" && value.length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) out.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) out.push(`${at}: above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) out.push(`${at}: not above ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) out.push(`${at}: not below ${schema.exclusiveMaximum}`);
  }
  if (schema.anyOf) {
    const branches = (schema.anyOf as JsonSchema[]).map((branch) => violations(branch, value, at));
    if (branches.every((branch) => branch.length > 0)) out.push(`${at}: matches no branch (${branches.map((b) => b[0]).join(" / ")})`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => out.push(...violations(schema.items as JsonSchema, item, `${at}[${i}]`)));
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) out.push(`${at}.${key}: required`);
    for (const [key, child] of Object.entries(object)) {
      if (properties[key]) out.push(...violations(properties[key], child, `${at}.${key}`));
      else if (schema.additionalProperties === false) out.push(`${at}.${key}: not allowed`);
      else if (typeof schema.additionalProperties === "object") out.push(...violations(schema.additionalProperties as JsonSchema, child, `${at}.${key}`));
    }
  }
  return out;
}

const spec: GateSpec = { id: "latency_p99", title: "Decision latency P99", category: "latency", severity: "CRITICAL", unit: "ms", comparator: "<=", threshold: 15 };

/** A results.json as a run writes it: through ResultsSchema.parse, then JSON. */
function sampleResults(): Results {
  return ResultsSchema.parse({
    schemaVersion: 2,
    gauntlet: { version: "0.1.0", commit: "704cdf0", dirty: false },
    runId: "20261125-130229-decision-flood",
    scenario: "decision-flood",
    profile: "quick",
    target: { name: "sandbox", baseUrl: "http://127.0.0.1:7300" },
    seededFaults: ["stalled-exporter"],
    faultTimeline: [
      {
        id: "broker-outage-10s/step0.1",
        profile: "broker-outage-10s",
        proxy: "broker",
        fault: "timeout",
        description: "timeout toxic: timeout 0 ms · downstream+upstream · toxicity 1",
        toxics: ["gauntlet-broker-outage-10s-step0.downstream", "gauntlet-broker-outage-10s-step0.upstream"],
        plannedStartMs: 1795608150000,
        plannedEndMs: 1795608152000,
        appliedAt: 1795608150012,
        removedAt: 1795608152009,
        removal: "scheduled",
      },
    ],
    driveStartedAt: 1795608149000,
    startedAt: "2026-11-25T13:02:29.000Z",
    endedAt: "2026-11-25T13:03:41.000Z",
    verdict: "fail",
    goNoGo: "GO WITH CONDITIONS",
    exitCode: 1,
    gates: [
      judge(spec, 7.25, "k6 http_req_duration over all 60,000 decisions"),
      judge({ ...spec, id: "pipeline_latency_p99", severity: "HIGH", category: "pipeline", comparator: "<", threshold: 20 }, Number.POSITIVE_INFINITY, "never visible"),
      noData({ ...spec, id: "redis_backlog_max", severity: "HIGH", category: "pipeline", unit: "events" }, "no Redis"),
    ],
    k6: {
      exitCode: 0,
      requests: 60_000,
      failed: 3,
      dropped: 0,
      checksFailed: 3,
      durationSeconds: 59.99,
      latencyMs: { count: 60_000, meanMs: 1.9, p50Ms: 1.7, p95Ms: 4.1, p99Ms: 7.25, maxMs: 31 },
      outputLines: 240_001,
      outputBytes: 19_000_000,
    },
    windows: [
      { t: 0, seconds: 1, requests: 1000, failed: 0, dropped: 0, p50Ms: 1.7, p95Ms: 4, p99Ms: 7 },
      { t: 1, seconds: 1, requests: 0, failed: 0, dropped: 4, p50Ms: null, p95Ms: null, p99Ms: null },
    ],
    series: [{ name: "target-rss", unit: "bytes", t: [0, 1], v: [80e6, 80.1e6] }],
    tools: { k6: "1.4.2", toxiproxy: "2.12.0" },
    plan: { rate: 1000, durationSeconds: 60 },
  });
}

test("every published schema matches what the zod schemas generate now", () => {
  for (const { file, text } of renderSchemas()) {
    assert.fixture(readFileSync(path.join(SCHEMAS_DIR, file), "utf8"), text, `schemas/${file} drifted: run \`npm run schemas\``);
  }
  assert.equal(driftedSchemas(), []);
});

test("drift is detected: a hand-edited or missing file is listed", () => {
  const copy = mkdtempSync(path.join(tmpdir(), "gauntlet-schemas-"));
  cpSync(SCHEMAS_DIR, copy, { recursive: true });
  const results = path.join(copy, "results.schema.json");
  writeFileSync(results, readFileSync(results, "utf8").replace('"runId"', '"runID"'));
  assert.equal(driftedSchemas(copy), ["results.schema.json"]);
  assert.equal(driftedSchemas(path.join(copy, "absent")), PUBLISHED.map((p) => p.file));
  rmSync(copy, { recursive: true, force: true });
});

test("published files are pretty JSON with a trailing newline, a $schema and a title", () => {
  for (const { file } of PUBLISHED) {
    const text = readFileSync(path.join(SCHEMAS_DIR, file), "utf8");
    assert.ok(text.endsWith("}\n"), file);
    const json = JSON.parse(text) as JsonSchema;
    assert.is(text, `${JSON.stringify(json, null, 2)}\n`, `${file} is not 2-space pretty JSON`);
    assert.is(json.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.type(json.title, "string");
  }
});

test("a results.json written through ResultsSchema survives JSON and parses again unchanged", () => {
  const results = sampleResults();
  assert.is(results.gates[1]!.measured, null);
  assert.is(results.gates[1]!.measuredText, "∞");
  assert.equal(results.extra, {}, "defaults are filled in");
  const reread = JSON.parse(JSON.stringify(results)) as unknown;
  assert.equal(ResultsSchema.parse(reread), results);
});

test("the published results schema accepts that results.json and refuses broken ones", () => {
  const schema = published("results.schema.json");
  const results = JSON.parse(JSON.stringify(sampleResults())) as Record<string, unknown>;
  assert.equal(violations(schema, results), []);
  const { runId: _, ...noRunId } = results;
  assert.equal(violations(schema, noRunId), ["$.runId: required"]);
  assert.equal(violations(schema, { ...results, verdict: "maybe" }), ['$.verdict: "maybe" not in ["pass","fail","could-not-judge","not-applicable"]']);
  assert.equal(violations(schema, { ...results, exitCode: 3 }).length, 1);
  assert.equal(violations(schema, { ...results, surprise: true }), ["$.surprise: not allowed"]);
  const gates = results.gates as Array<Record<string, unknown>>;
  assert.equal(violations(schema, { ...results, gates: [{ ...gates[0], measured: "fast" }] }), ["$.gates[0].measured: expected number|null, got string"]);
  // and zod agrees on each of those
  for (const broken of [noRunId, { ...results, verdict: "maybe" }, { ...results, exitCode: 3 }, { ...results, gates: [{ ...gates[0], measured: "fast" }] }]) {
    assert.not.ok(ResultsSchema.safeParse(broken).success);
  }
});

test("the published config schemas accept the passing fixtures and refuse the failing ones", () => {
  const config = published("gauntlet-config.schema.json");
  const fixture = (name: string) => parseYaml(readFileSync(path.join(root, "tests/fixtures/config", name), "utf8")) as unknown;
  assert.equal(violations(config, {}), [], "every field has a default");
  assert.equal(violations(config, fixture("gauntlet.yaml")), []);
  assert.equal(violations(config, fixture("external.yaml")), []);
  assert.equal(violations(config, fixture("metrics-port.fails.yaml")), ["$.metricsPort: expected integer, got string"]);
  assert.equal(violations(config, fixture("port-range.fails.yaml")), ["$.metricsPort: above 65535"]);
  assert.equal(violations(config, fixture("unknown-key.fails.yaml")), ["$.metricPort: not allowed"]);
  const flood = published("flood-config.schema.json");
  const plugins = fixture("gauntlet.yaml") as { plugins: Record<string, unknown> };
  assert.equal(violations(flood, plugins.plugins["decision-flood"]), []);
  assert.equal(violations(flood, { thresholds: { p99ms: 20 } }), ["$.thresholds.p99ms: not allowed"]);
});

test("the flood schema publishes the same defaults the code uses", () => {
  const flood = published("flood-config.schema.json") as { properties: Record<string, { default?: unknown }> };
  const defaults = FloodConfigSchema.parse({});
  for (const [key, value] of Object.entries(defaults)) assert.equal(flood.properties[key]?.default, value, key);
});

test.run();
