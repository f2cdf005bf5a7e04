// Reading a YAML (or JSON) file against a zod schema, with errors that name the file, the line,
// the field and what was expected — the line comes from the YAML node the failing path points at.
import { existsSync, readFileSync } from "node:fs";
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { GauntletError, type ErrorCode } from "../errors.ts";

export interface ConfigIssue {
  file: string;
  line: number | undefined;
  path: string;
  message: string;
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  // Walk up the path until a node exists (a missing field points at its parent).
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as Array<string | number>, true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The line of `key` itself inside the mapping at `parent` (its value may start lines below). */
function keyLineOf(doc: Document, counter: LineCounter, parent: readonly PropertyKey[], key: string): number | undefined {
  const map = doc.getIn(parent as Array<string | number>, true);
  if (isMap(map)) {
    const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (pair && isNode(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
  }
  return lineOf(doc, counter, [...parent, key]);
}

export interface YamlParseOptions {
  /**
   * How a failing path reads in the message (default: dotted). Lets a format name what a reader
   * looks for, e.g. a profile step by its index AND its proxy. Gets the raw parsed document.
   */
  describePath?: (path: readonly PropertyKey[], document: unknown) => string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}${issue.line ? `:${issue.line}` : ""}: ${issue.path || "(root)"}: ${issue.message}`;
}

/** Parse and validate; throws `code` listing every issue with its line. */
export function loadYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  code: ErrorCode = "GAUNTLET_CONFIG_INVALID",
  options: YamlParseOptions = {},
): z.output<S> {
  if (!existsSync(file)) throw new GauntletError(code, `${file}: no such file`);
  return parseYamlText(file, readFileSync(file, "utf8"), schema, code, options);
}

export function parseYamlText<S extends z.ZodType>(
  file: string,
  text: string,
  schema: S,
  code: ErrorCode = "GAUNTLET_CONFIG_INVALID",
  options: YamlParseOptions = {},
): z.output<S> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    // linePos is only filled in with prettyErrors; pos (offsets) always is.
    const line = first.linePos?.[0]?.line ?? counter.linePos(first.pos[0]).line;
    throw new GauntletError(code, `${file}${line ? `:${line}` : ""}: not valid YAML: ${first.message.split("\n")[0]}`);
  }
  const input: unknown = doc.toJS();
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    // zod reports an unknown key on its parent object: point at the (first) key itself.
    const unknownKeys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const unknownKey = unknownKeys[0];
    const path = unknownKeys.length === 1 ? [...issue.path, unknownKey!] : issue.path;
    return {
      file,
      line: unknownKey === undefined ? lineOf(doc, counter, issue.path) : keyLineOf(doc, counter, issue.path, unknownKey),
      path: options.describePath ? options.describePath(path, input) : path.join("."),
      message: issue.message,
    };
  });
  throw new GauntletError(code, issues.map(formatIssue).join("\n  "));
}
