// The project's own check of where dependencies point (STYLE.md §10), read from the imports:
//
//   npx tsx tools/check-architecture.ts          the arrows between top-level folders, then the rules
//   npx tsx tools/check-architecture.ts --json   the same as JSON (the contract test reads it)
//
// Exit 1 when a rule is broken. The rules:
//   - no two top-level folders import each other;
//   - core/ is a library: it imports nothing above it (cli/, plugins/, reports/, sandbox/, scripts/,
//     venue/, bench/, esbuild.config.ts), and its own folders form no cycle;
//   - plugins/ reach core only through its public surface, core/index.ts;
//   - data/ is the ground floor, protocol/ stands on it: neither imports anything above;
//   - sandbox/ (the stand-in for a user's governor) and venue/ depend on nothing in core/;
//   - k6 scripts (scripts/) import only other scripts and k6 at run time; anything else is
//     `import type` (it vanishes in the bundle) — except a protocol/ file that imports nothing at
//     all: plain values both sides share (the names of what a decision leaves in k6's output).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = /\.(ts|mts|mjs|js)$/;
const SKIP = new Set(["node_modules", "dist", "runs", "tests", ".git", "examples"]);

export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry) || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (SOURCE.test(entry) && !entry.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

// Static imports and re-exports (`import x from`, `import type`, `export … from`, side-effect
// imports) and dynamic `import("…")` with a literal specifier.
const STATIC = /^\s*(import|export)\s+(type\s+)?([^;]*?\s+from\s+)?["']([^"']+)["']/gm;
const DYNAMIC = /import\(\s*["']([^"']+)["']\s*\)/g;

export function importEdges(root = ROOT): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, "utf8");
    const from = relative(root, file).split(sep).join("/");
    const add = (specifier: string, typeOnly: boolean) => {
      if (!specifier.startsWith(".")) return; // packages and node: built-ins
      const to = relative(root, resolve(dirname(file), specifier)).split(sep).join("/");
      edges.push({ from, to, typeOnly });
    };
    for (const match of text.matchAll(STATIC)) {
      const clause = match[3] ?? "";
      // `import { type A, type B } from` is type-only too.
      const namedTypesOnly = /^\{[^}]*\}\s+from\s+$/.test(clause.trim() + " ") && clause.replace(/[{}\s]/g, "").split(",").filter(Boolean).every((name) => name.startsWith("type"));
      add(match[4]!, Boolean(match[2]) || (clause.length > 0 && namedTypesOnly));
    }
    for (const match of text.matchAll(DYNAMIC)) add(match[1]!, false);
  }
  return edges;
}

/** `core/faults/x.ts` → `core`; a file at the root (`esbuild.config.ts`) is its own area. */
export function area(path: string): string {
  return path.includes("/") ? path.split("/")[0]! : path;
}

/** core's own folders: `core/faults/x.ts` → `core/faults`; `core/errors.ts` → `core/errors.ts`. */
function coreUnit(path: string): string {
  const parts = path.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : path;
}

/** Strongly connected components with more than one member (Tarjan). */
export function cycles(edges: Array<[string, string]>): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const [a, b] of edges) {
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    graph.get(a)!.add(b);
  }
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indices.get(next)!));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return found;
}

/** A file with no import or require of any kind: its values can go into k6's VM as they are. */
function importsNothing(root: string, file: string): boolean {
  const text = readFileSync(join(root, file), "utf8");
  return !/(^|[\s;])(import|export)\s[^;]*?\sfrom\s*["']|(^|[\s;])import\s*["'(]|\brequire\s*\(/m.test(text);
}

const ABOVE_CORE = ["cli", "plugins", "reports", "sandbox", "scripts", "venue", "bench", "tools", "esbuild.config.ts"];

export interface ArchitectureReport {
  arrows: Array<{ from: string; to: string; imports: number }>;
  coreCycles: string[][];
  violations: string[];
}

export function checkArchitecture(root = ROOT): ArchitectureReport {
  const edges = importEdges(root);
  const counts = new Map<string, number>();
  for (const edge of edges) {
    const [a, b] = [area(edge.from), area(edge.to)];
    if (a !== b) counts.set(`${a} → ${b}`, (counts.get(`${a} → ${b}`) ?? 0) + 1);
  }
  const arrows = [...counts.entries()].map(([key, imports]) => {
    const [from, to] = key.split(" → ") as [string, string];
    return { from, to, imports };
  }).sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to));

  const violations: string[] = [];
  const say = (edge: ImportEdge, rule: string) => violations.push(`${edge.from} → ${edge.to}: ${rule}`);
  for (const edge of edges) {
    const [a, b] = [area(edge.from), area(edge.to)];
    if (a === "core" && ABOVE_CORE.includes(b)) say(edge, "core/ imports something above it");
    if (a === "plugins" && b === "core" && edge.to !== "core/index.ts") say(edge, "plugins reach core only through core/index.ts");
    if (a === "data" && b !== "data") say(edge, "data/ is the ground floor and imports nothing outside itself");
    if (a === "protocol" && b !== "protocol" && b !== "data") say(edge, "protocol/ imports nothing above it (data/ only)");
    if ((a === "sandbox" || a === "venue") && b === "core") say(edge, `${a}/ depends on nothing in core/`);
    if (a === "sandbox" && b === "venue") say(edge, "the reference governor reaches the venue only through the protocol");
    if (a === "scripts" && b !== "scripts" && !edge.typeOnly && !(b === "protocol" && importsNothing(root, edge.to))) {
      say(edge, "a k6 script imports no values from Node code (use `import type`, or a protocol/ file that imports nothing)");
    }
  }
  const areaCycles = cycles(edges.map((edge): [string, string] => [area(edge.from), area(edge.to)]));
  for (const cycle of areaCycles) violations.push(`top-level folders import each other: ${cycle.join(" ↔ ")}`);
  const coreEdges = edges
    .filter((edge) => area(edge.from) === "core" && area(edge.to) === "core")
    .map((edge): [string, string] => [coreUnit(edge.from), coreUnit(edge.to)]);
  const coreCycles = cycles(coreEdges);
  for (const cycle of coreCycles) violations.push(`folder cycle inside core: ${cycle.join(" ↔ ")}`);
  return { arrows, coreCycles, violations };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = checkArchitecture();
  if (process.argv.includes("--json")) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write("imports between top-level folders (from → to: how many):\n");
    for (const arrow of report.arrows) process.stdout.write(`  ${arrow.from.padEnd(18)} → ${arrow.to.padEnd(18)} ${arrow.imports}\n`);
    process.stdout.write(report.violations.length ? `\n${report.violations.length} rule(s) broken:\n${report.violations.map((v) => `  ${v}`).join("\n")}\n` : "\nno rule broken: dependencies point down.\n");
  }
  process.exitCode = report.violations.length ? 1 : 0;
}
