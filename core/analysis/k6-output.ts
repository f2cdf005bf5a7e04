// Decoding k6's per-sample output, one line at a time, in either of k6's file formats:
//   --out csv=…   (what Gauntlet writes, or its `gauntlet` output in the same format: about a
//                  quarter of the JSON size; timestamps in µs via K6_CSV_TIME_FORMAT=unix_micro;
//                  the decision id in the metadata column)
//   --out json=…  (NDJSON: one Metric line per metric, then one Point line per sample)
// Both decoders fill the same reusable `K6Point` (no allocation per line on the hot path) and skip
// metrics nobody asked for before parsing the rest of the line. A malformed line throws with its
// line number; the caller decides that the run cannot be judged.
import { GauntletError } from "../errors.ts";
import type { LineFilter } from "./line-source.ts";
import { ANSWER_CHECK_FAILED_METRIC, decisionIdOf, ORDERS_ANSWERED_METRIC } from "../../protocol/decision-samples.ts";

export interface K6Point {
  metric: string;
  /** Sample time, ms since the UNIX epoch. */
  timeMs: number;
  value: number;
  scenario: string;
  status: string;
  /**
   * The decision the sample belongs to, "" when none (and on http_req_failed, which never needs
   * it): `<vu>.<iter>` from k6's `vu` and `iter` system tags (metadata), with the `instance_id`
   * tag in front on a fleet ("2-17.345"), as scripts/lib/decision.ts builds the id it sends
   * (protocol/decision-samples.ts). A script may instead name its decisions itself with a
   * `decision_id` metadata entry, which then wins.
   */
  decisionId: string;
  /** The order id the governor answered with (X-Order-Id), on the `gauntlet_orders_answered` sample only; "" when none. */
  orderId: string;
}

/**
 * The metrics whose samples the digest reads a decision id from. http_req_failed's never is
 * (a failure counts by its value), so a third of the lines skip building one.
 */
const DECISION_METRICS = new Set(["http_req_duration", ANSWER_CHECK_FAILED_METRIC, ORDERS_ANSWERED_METRIC]);

export type LineDecoder = (line: string, lineNumber: number, point: K6Point) => boolean;

function invalid(file: string, lineNumber: number, what: string): GauntletError {
  return new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", `${file}: line ${lineNumber}: ${what}`);
}

/** A piece of a line for a message: quoted when it is text, described when it is not (never raw bytes). */
export function quoted(text: string, max = 80): string {
  const shown = text.slice(0, max);
  // Control characters or replacement characters: binary, not a k6 file.
  if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(shown)) return `${shown.length} bytes of binary data`;
  return `"${shown}${text.length > max ? "…" : ""}"`;
}

/** CSV: the header line names the columns; afterwards a line yields a point if its metric is wanted. */
export function csvDecoder(file: string, header: string, wanted: ReadonlySet<string>): LineDecoder {
  const columns = header.split(",");
  const index = (name: string) => columns.indexOf(name);
  const at = {
    time: index("timestamp"),
    value: index("metric_value"),
    scenario: index("scenario"),
    status: index("status"),
    extraTags: index("extra_tags"),
    metadata: index("metadata"),
  };
  if (columns[0] !== "metric_name" || at.time < 0 || at.value < 0) {
    throw invalid(file, 1, `not a k6 CSV header (expected metric_name,timestamp,metric_value,…; got ${quoted(header)})`);
  }
  const fields = new CsvFields(columns.length + 1);
  return (line, lineNumber, point) => {
    const comma = line.indexOf(",");
    const metric = comma > 0 ? line.slice(0, comma) : line;
    if (!wanted.has(metric)) {
      if (comma < 0) throw invalid(file, lineNumber, "no columns");
      return false;
    }
    fields.read(line);
    if (fields.count !== columns.length) {
      throw invalid(file, lineNumber, `expected ${columns.length} columns, found ${fields.count}`);
    }
    const time = fields.number(at.time);
    const value = fields.number(at.value);
    if (!Number.isFinite(time) || !Number.isFinite(value)) {
      throw invalid(file, lineNumber, `timestamp and metric_value must be numbers (got ${quoted(fields.at(at.time), 30)}, ${quoted(fields.at(at.value), 30)})`);
    }
    point.metric = metric;
    // unix_micro is 16 digits; plain `unix` (seconds) is 10: accept both.
    point.timeMs = time > 1e14 ? time / 1000 : time * 1000;
    point.value = value;
    point.scenario = at.scenario >= 0 ? fields.at(at.scenario) : "";
    point.status = at.status >= 0 ? fields.at(at.status) : "";
    const metadata = at.metadata >= 0 ? fields.at(at.metadata) : "";
    point.decisionId =
      metadata && DECISION_METRICS.has(metric)
        ? metadataValue(metadata, "decision_id") ||
          decisionIdOf(metadataValue(metadata, "vu"), metadataValue(metadata, "iter"), at.extraTags >= 0 ? metadataValue(fields.at(at.extraTags), "instance_id") : "")
        : "";
    point.orderId = metric === ORDERS_ANSWERED_METRIC ? metadataValue(metadata, "order_id") : "";
    return true;
  };
}

/**
 * One CSV line's fields, each sliced only when read: a decoder reads six of a k6 line's columns,
 * and a string per column was a tenth of a pass. A line with quotes is split the careful way.
 */
class CsvFields {
  private line = "";
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly split: string[] = [];
  private quoted = false;
  count = 0;

  /** @param capacity the most fields kept (more are only counted: the line is refused anyway) */
  constructor(private readonly capacity: number) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  read(line: string): void {
    this.line = line;
    this.quoted = line.indexOf('"') !== -1;
    if (this.quoted) {
      splitCsv(line, this.split);
      this.count = this.split.length;
      return;
    }
    let n = 0;
    let start = 0;
    for (let i = line.indexOf(","); ; i = line.indexOf(",", start)) {
      const end = i === -1 ? line.length : i;
      if (n < this.capacity) {
        this.starts[n] = start;
        this.ends[n] = end;
      }
      n++;
      if (i === -1) break;
      start = i + 1;
    }
    this.count = n;
  }

  /** Field `i` (0-based) of the line read last; "" past its end. */
  at(i: number): string {
    if (this.quoted) return this.split[i] ?? "";
    return i < this.count && i < this.capacity ? this.line.slice(this.starts[i], this.ends[i]) : "";
  }

  /** Field `i` as a number, as Number() reads it; k6's plain decimals are read in place. */
  number(i: number): number {
    if (!this.quoted && i < this.count && i < this.capacity) {
      const value = plainDecimal(this.line, this.starts[i]!, this.ends[i]!);
      if (!Number.isNaN(value)) return value;
    }
    return Number(this.at(i));
  }
}

/**
 * `digits[.digits]` between start and end, as Number() would read it (one rounding: the digits
 * as an integer, divided once); NaN for anything else (a sign, an exponent, an empty field), which
 * the caller hands to Number(). Timestamps and durations are all k6 writes here.
 */
function plainDecimal(text: string, start: number, end: number): number {
  let digits = 0;
  let scale = 1;
  let point = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && point === -1) point = i;
    else if (c >= 48 && c <= 57) {
      digits = digits * 10 + (c - 48);
      if (point !== -1) scale *= 10;
    } else return Number.NaN;
  }
  if (end === start || point === start || point === end - 1 || digits > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return scale === 1 ? digits : digits / scale;
}

/** Split one CSV line with quotes into `out`, honouring them (k6 quotes fields with commas). */
function splitCsv(line: string, out: string[]): void {
  out.length = 0;
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") out.push(field), (field = "");
    else field += c;
  }
  out.push(field);
}

/** k6 writes metadata (and extra_tags) as `key=value&key2=value2`; no allocation but the value itself. */
function metadataValue(metadata: string, key: string): string {
  if (!metadata) return "";
  let at = 0;
  for (;;) {
    if (metadata.startsWith(key, at) && metadata.charCodeAt(at + key.length) === 61 /* = */) {
      const end = metadata.indexOf("&", at);
      return metadata.slice(at + key.length + 1, end === -1 ? undefined : end);
    }
    const next = metadata.indexOf("&", at);
    if (next === -1) return "";
    at = next + 1;
  }
}

interface JsonPoint {
  type?: string;
  metric?: string;
  data?: { time?: string; value?: number; tags?: Record<string, string> | null; metadata?: Record<string, string> | null };
}

const JSON_POINT_PREFIX = '{"metric":"';

/** JSON: `{"metric":"<name>","type":"Point",...}` lines; Metric definition lines are skipped. */
export function jsonDecoder(file: string, wanted: ReadonlySet<string>): LineDecoder {
  return (line, lineNumber, point) => {
    if (line.startsWith(JSON_POINT_PREFIX)) {
      const end = line.indexOf('"', JSON_POINT_PREFIX.length);
      if (!wanted.has(line.slice(JSON_POINT_PREFIX.length, end))) return false;
    } else if (line.startsWith('{"type":"Metric"')) {
      return false;
    }
    let parsed: JsonPoint;
    try {
      parsed = JSON.parse(line) as JsonPoint;
    } catch {
      throw invalid(file, lineNumber, "not valid JSON");
    }
    if (parsed.type !== "Point" || typeof parsed.metric !== "string") return false;
    if (!wanted.has(parsed.metric)) return false;
    const data = parsed.data;
    if (!data || typeof data.time !== "string" || typeof data.value !== "number") {
      throw invalid(file, lineNumber, "a Point needs data.time (string) and data.value (number)");
    }
    const timeMs = parseRfc3339Ms(data.time);
    if (!Number.isFinite(timeMs)) throw invalid(file, lineNumber, `data.time is not RFC 3339 (got "${data.time}")`);
    point.metric = parsed.metric;
    point.timeMs = timeMs;
    point.value = data.value;
    point.scenario = data.tags?.scenario ?? "";
    point.status = data.tags?.status ?? "";
    const metadata = data.metadata;
    point.decisionId = metadata && DECISION_METRICS.has(parsed.metric) ? metadata.decision_id || decisionIdOf(metadata.vu, metadata.iter, data.tags?.instance_id) : "";
    point.orderId = parsed.metric === ORDERS_ANSWERED_METRIC ? (metadata?.order_id ?? "") : "";
    return true;
  };
}

/** Date.parse keeps milliseconds only; k6 writes nanoseconds. Keep the sub-millisecond part. */
export function parseRfc3339Ms(text: string): number {
  const dot = text.indexOf(".");
  if (dot === -1) return Date.parse(text);
  let end = dot + 1;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  const whole = Date.parse(text.slice(0, dot) + text.slice(end));
  const fraction = Number(`0${text.slice(dot, end)}`);
  return whole + fraction * 1000;
}

/**
 * A byte-level pre-filter with the decoders' own rule: a line whose metric nobody asked for is
 * skipped without becoming a string. Lines it cannot classify (no comma in a CSV line, JSON of
 * another shape) are kept, so that the decoder still refuses them with their line number. A CSV
 * line of a metric in `nothingWhenZero` whose metric_value is a zero ("0.000000") is skipped too:
 * its reader has said such a sample changes nothing.
 */
export function wantedLines(format: "csv" | "json", wanted: ReadonlySet<string>, nothingWhenZero: ReadonlySet<string> = new Set()): LineFilter {
  const needles = [...wanted].map((name) => Buffer.from(format === "csv" ? `${name},` : `${JSON_POINT_PREFIX}${name}"`));
  const zeroSkips = [...wanted].map((name) => format === "csv" && nothingWhenZero.has(name));
  const pointPrefix = Buffer.from(JSON_POINT_PREFIX);
  const metricPrefix = Buffer.from('{"type":"Metric"');
  const startsWith = (buf: Buffer, start: number, end: number, needle: Buffer) => {
    if (end - start < needle.length) return false;
    for (let i = 0; i < needle.length; i++) if (buf[start + i] !== needle[i]) return false;
    return true;
  };
  // metric_name,timestamp,metric_value,…: true when the third field is made of '0' and '.' only.
  const zeroValue = (buf: Buffer, from: number, end: number) => {
    let i = from;
    while (i < end && buf[i] !== 44) i++; // the timestamp
    const value = ++i;
    while (i < end && (buf[i] === 48 || buf[i] === 46)) i++;
    return i > value && i < end && buf[i] === 44 && buf[value] === 48;
  };
  return (buf, start, end) => {
    const first = buf[start];
    for (let n = 0; n < needles.length; n++) {
      if (needles[n]![0] === first && startsWith(buf, start, end, needles[n]!)) return !(zeroSkips[n] && zeroValue(buf, start + needles[n]!.length, end));
    }
    if (format === "json") return !startsWith(buf, start, end, pointPrefix) && !startsWith(buf, start, end, metricPrefix);
    for (let i = start; i < end; i++) if (buf[i] === 44) return false; // a metric nobody wants
    return true; // no columns at all: malformed, let the decoder say so
  };
}

export function emptyPoint(): K6Point {
  return { metric: "", timeMs: 0, value: 0, scenario: "", status: "", decisionId: "", orderId: "" };
}
