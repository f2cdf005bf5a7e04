// The published JSON Schemas: one zod schema per input format gives the runtime check, the type
// and the file under schemas/ (z.toJSONSchema). A contract test fails when a file drifts.
//
//   npx tsx cli/publish-schemas.ts           write schemas/*.schema.json
//   npx tsx cli/publish-schemas.ts --check   exit 1 listing the files that differ
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { GauntletConfigSchema } from "../core/config/gauntlet-config.ts";
import { ResultsSchema } from "../core/results/results-schema.ts";
import { FloodConfigSchema } from "../plugins/decision-flood/plan.ts";
import { SandboxConfigSchema } from "../sandbox/config.ts";
import { MarketSettingsSchema } from "../protocol/market-settings.ts";
import { TargetContractSchema } from "../protocol/target-contract.ts";
import { VenueProtocolSchema } from "../protocol/venue-protocol.ts";
import { FaultProfileSchema } from "../core/faults/profile-schema.ts";
import { CertificationSchema } from "../core/certify/certification-schema.ts";

export const SCHEMAS_DIR = resolve(import.meta.dirname, "../schemas");

interface Published {
  file: string;
  title: string;
  schema: z.ZodType;
  /**
   * Configs are what a user writes: "input", so fields with a default are optional. results.json
   * is what Gauntlet writes after ResultsSchema.parse: "output", so defaulted fields are required.
   */
  io: "input" | "output";
}

export const PUBLISHED: readonly Published[] = [
  { file: "results.schema.json", title: "Gauntlet results.json: the machine-readable outcome of a run", schema: ResultsSchema, io: "output" },
  { file: "certification.schema.json", title: "Gauntlet certification.json: one governor run N times, each gate's distribution and the Go/No-Go", schema: CertificationSchema, io: "output" },
  { file: "gauntlet-config.schema.json", title: "gauntlet.yaml: target, allowed hosts, metrics port and per-plugin settings", schema: GauntletConfigSchema, io: "input" },
  { file: "sandbox-config.schema.json", title: "GAUNTLET_SANDBOX_CONFIG: the sandbox governor, venue and exporter", schema: SandboxConfigSchema, io: "input" },
  { file: "fault-profile.schema.json", title: "toxics/*.yaml: a named fault profile — which proxy, when, for how long, and the Toxiproxy toxic or cut", schema: FaultProfileSchema, io: "input" },
  { file: "flood-config.schema.json", title: "plugins.decision-flood in gauntlet.yaml: the decision flood's rates and thresholds", schema: FloodConfigSchema, io: "input" },
  { file: "target-contract.schema.json", title: "The target contract: what a governor's HTTP routes take and answer (docs/target-contract.md)", schema: TargetContractSchema, io: "input" },
  { file: "venue-protocol.schema.json", title: "The venue protocol, version 1: the NDJSON messages of order entry and market data (docs/venue-protocol.md)", schema: VenueProtocolSchema, io: "input" },
  { file: "market-settings.schema.json", title: "The venue's market for one run (POST /admin/reset): the replay and the broker's terms", schema: MarketSettingsSchema, io: "input" },
];

const FIRST_KEYS = ["$schema", "$id", "title", "description", "type"];

/**
 * A stable key order whatever order zod emits keywords in: the annotation keys first, then the
 * rest alphabetically. The members of `properties` keep the schema's own (declaration) order,
 * which is how a reader expects to meet the fields.
 */
function canonical(value: unknown, keepOrder = false): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (!keepOrder) {
    const rank = (key: string) => (FIRST_KEYS.includes(key) ? FIRST_KEYS.indexOf(key) : FIRST_KEYS.length);
    entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  }
  return Object.fromEntries(entries.map(([key, child]) => [key, canonical(child, !keepOrder && (key === "properties" || key === "$defs"))]));
}

export function renderSchema(published: Published): string {
  // Every schema converts as is today; `unrepresentable: "any"` keeps a future z.custom() or
  // z.date() from breaking the whole publication (it becomes {} — "anything" — in the file).
  const json = z.toJSONSchema(published.schema, { io: published.io, unrepresentable: "any" }) as Record<string, unknown>;
  return `${JSON.stringify(canonical({ ...json, title: published.title }), null, 2)}\n`;
}

export function renderSchemas(): Array<{ file: string; text: string }> {
  return PUBLISHED.map((published) => ({ file: published.file, text: renderSchema(published) }));
}

/** Files under `dir` that are missing or differ from what the schemas generate now. */
export function driftedSchemas(dir = SCHEMAS_DIR): string[] {
  return renderSchemas()
    .filter(({ file, text }) => {
      const path = join(dir, file);
      return !existsSync(path) || readFileSync(path, "utf8") !== text;
    })
    .map(({ file }) => file);
}

function main(args: string[]): number {
  if (args.includes("--check")) {
    const drifted = driftedSchemas();
    if (drifted.length === 0) return 0;
    process.stderr.write(
      `schemas/ is out of date with the zod schemas: ${drifted.join(", ")}\nRun \`npm run schemas\` and commit the result.\n`,
    );
    return 1;
  }
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const { file, text } of renderSchemas()) writeFileSync(join(SCHEMAS_DIR, file), text);
  process.stdout.write(`wrote ${PUBLISHED.map((p) => `schemas/${p.file}`).join(", ")}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) process.exitCode = main(process.argv.slice(2));
