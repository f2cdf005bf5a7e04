// Binance USD-M futures reader for the hftbacktest collector file: gzip text, one
// `<local_receive_ts_ns> <raw JSON>` per line, holding diff-depth, bookTicker and trade stream
// messages plus one REST depth snapshot. Format and sync facts: /work/shared/data/l2/SOURCES.md §2.
//
// The book follows Binance's "manage a local order book" procedure: diffs are buffered until
// the snapshot line; diffs ending before the snapshot (u < lastUpdateId) are dropped; the first
// applied diff must straddle it (U <= lastUpdateId <= u) and may come *before* the snapshot line;
// from then on every diff must chain (pu == previous u), else the file has a gap and is rejected.
// A later snapshot line is ignored: the chain check already proves the book is current.
//
// One Tick per applied diff. Trades are not ticks of their own: each trade sets `last` and adds
// its qty to the volume carried by the next Tick, so total volume is conserved (trades before
// the first applied diff go into the first Tick). bookTicker lines are parsed but not used; the
// depth book is the authority. Lines of other streams are skipped.
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import type { L2Reader, StopSignal, Tick } from "../types.ts";
import { LineSource, dataError, requireFile } from "./lines.ts";
import { SortedSide } from "./sorted-side.ts";
import { defineReader } from "./reader.ts";

export interface BinanceUsdmOptions {
  file: string;
  /** Levels per side in each Tick (default 20); the whole book is maintained regardless. */
  depth?: number;
}

interface Diff { line: number; E: number; U: number; u: number; pu: number; b: unknown[]; a: unknown[] }

/** Diffs kept while waiting for the snapshot; the oldest are dropped beyond this. */
const MAX_BUFFERED = 10_000;

export function openBinanceUsdm(opts: BinanceUsdmOptions): L2Reader {
  requireFile(opts.file);
  const depth = opts.depth ?? 20;
  const seen: { symbol?: string } = {};
  return {
    format: "binance-usdm",
    ticks: () => readCollector(opts.file, depth, seen),
    instrument: () => seen.symbol,
    lastEventTs: (signal) => lastDiffTime(opts.file, signal),
  };
}

/** Quote assets of USD-M symbols, longest first: BTCUSDT's sizes are in BTC. */
const QUOTES = ["FDUSD", "USDT", "USDC", "BUSD", "USD"];

/** The base asset of a USD-M symbol (BTCUSDT, BTCUSDT_240927 → BTC), the unit of its quantities. */
export function baseAsset(symbol: string): string | undefined {
  const pair = symbol.toUpperCase().split("_")[0] as string;
  const quote = QUOTES.find((q) => pair.endsWith(q) && pair.length > q.length);
  return quote === undefined ? undefined : pair.slice(0, -quote.length);
}

/**
 * The event time E of the file's last diff — the last Tick's ts — by decompressing the file and
 * looking only at the last line that holds a depthUpdate: no JSON parsed but that one line.
 */
async function lastDiffTime(file: string, signal?: StopSignal): Promise<number | undefined> {
  const marker = Buffer.from('"depthUpdate"');
  const input = createReadStream(file, { highWaterMark: 1 << 16 });
  const gunzip = file.endsWith(".gz") ? createGunzip({ chunkSize: 1 << 16 }) : undefined;
  input.on("error", (error) => gunzip?.destroy(error)); // pipe() does not forward errors
  const stream = gunzip ? input.pipe(gunzip) : input;
  let carry: Buffer = Buffer.alloc(0); // the unfinished last line of the chunks so far
  let found: Buffer | undefined;
  const lastDiffLine = (text: Buffer) => {
    const at = text.lastIndexOf(marker);
    if (at < 0) return undefined;
    const end = text.indexOf(10, at);
    return Buffer.from(text.subarray(text.lastIndexOf(10, at) + 1, end < 0 ? text.length : end));
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) return undefined;
      const text = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const newline = text.lastIndexOf(10);
      if (newline < 0) {
        carry = text;
        continue;
      }
      found = lastDiffLine(text.subarray(0, newline)) ?? found;
      carry = Buffer.from(text.subarray(newline + 1));
    }
    found = lastDiffLine(carry) ?? found;
  } catch {
    return undefined; // an unreadable file: the replay itself says what is wrong with it
  } finally {
    input.destroy();
    gunzip?.destroy();
  }
  if (found === undefined) return undefined;
  const text = found.toString("utf8");
  try {
    const E = (JSON.parse(text.slice(text.indexOf(" ") + 1)) as { data?: { E?: unknown } }).data?.E;
    return typeof E === "number" ? E : undefined;
  } catch {
    return undefined; // the replay itself reports a bad line, with its number
  }
}

async function* readCollector(file: string, depth: number, seen: { symbol?: string }): AsyncGenerator<Tick> {
  const src = new LineSource(file, { gunzip: file.endsWith(".gz") });
  const bids = new SortedSide("bid");
  const asks = new SortedSide("ask");
  let snapshotId: number | undefined;
  let prevU: number | undefined; // u of the last applied diff; undefined until synced
  let buffered: Diff[] = [];
  let last = NaN;
  let volume = 0;
  let prevE = -Infinity;

  /** Applies one diff if the sync rules allow; returns the Tick to yield, if any. */
  const consider = (d: Diff): Tick | undefined => {
    const id = snapshotId as number;
    if (prevU === undefined) {
      if (d.u < id) return undefined; // already contained in the snapshot
      if (d.U > id) {
        throw dataError(file, d.line, "data.U", `gap after the snapshot: first diff starts at U=${d.U} > lastUpdateId=${id}`);
      }
    } else if (d.pu !== prevU) {
      const what = `gap in the diff chain: pu=${d.pu} but the previous diff ended at u=${prevU}`;
      throw dataError(file, d.line, "data.pu", what);
    }
    prevU = d.u;
    applyLevels(bids, d.b, file, d.line, "data.b");
    applyLevels(asks, d.a, file, d.line, "data.a");
    if (d.E < prevE) throw dataError(file, d.line, "data.E", `event time goes backwards (${d.E} after ${prevE})`);
    prevE = d.E;
    const bid = bids.best();
    const ask = asks.best();
    if (bid === undefined || ask === undefined) {
      throw dataError(file, d.line, bid === undefined ? "data.b" : "data.a", "empty book side after applying the diff");
    }
    if (bid >= ask) {
      throw dataError(file, d.line, "data.b", `crossed book after applying the diff: best bid ${bid} >= best ask ${ask}`);
    }
    const tick: Tick = {
      // Exchange event time E, not the local receive stamp: the collector's clock runs ~1.3 s
      // behind Binance's, and E is what orders the events on the exchange.
      ts: d.E,
      bid,
      ask,
      last: Number.isNaN(last) ? (bid + ask) / 2 : last,
      volume,
      bids: bids.top(depth),
      asks: asks.top(depth),
      source: { file, line: d.line },
    };
    volume = 0;
    return tick;
  };

  try {
    for (let text = await src.next(); text !== undefined; text = await src.next()) {
      const line = src.line;
      const msg = parseLine(text, file, line);
      const data = msg.data;
      if (msg.stream === undefined) {
        if (prevU !== undefined) continue; // a later snapshot: see the header comment
        snapshotId = field(data, "lastUpdateId", file, line, "");
        bids.clear();
        asks.clear();
        applyLevels(bids, list(data, "bids", file, line, ""), file, line, "bids");
        applyLevels(asks, list(data, "asks", file, line, ""), file, line, "asks");
        const pending = buffered;
        buffered = [];
        for (const d of pending) {
          const tick = consider(d);
          if (tick !== undefined) yield tick;
        }
      } else if (data.e === "depthUpdate") {
        seen.symbol ??= typeof data.s === "string" ? data.s : msg.stream.split("@")[0]?.toUpperCase();
        const d: Diff = {
          line,
          E: field(data, "E", file, line),
          U: field(data, "U", file, line),
          u: field(data, "u", file, line),
          pu: field(data, "pu", file, line),
          b: list(data, "b", file, line),
          a: list(data, "a", file, line),
        };
        if (snapshotId === undefined) {
          buffered.push(d);
          if (buffered.length > MAX_BUFFERED) buffered.shift();
          continue;
        }
        const tick = consider(d);
        if (tick !== undefined) yield tick;
      } else if (data.e === "trade") {
        last = decimal(data.p, file, line, "data.p");
        volume += decimal(data.q, file, line, "data.q");
      }
    }
    if (snapshotId === undefined) {
      throw dataError(file, src.line, undefined, "end of file without a REST depth snapshot line (lastUpdateId)");
    }
    if (prevU === undefined) {
      const what = `end of file without a diff that straddles the snapshot's lastUpdateId=${snapshotId}`;
      throw dataError(file, src.line, undefined, what);
    }
  } finally {
    src.close();
  }
}

type Json = Record<string, unknown>;

/** `<local_ts_ns> <json>` into the stream name (undefined for the REST snapshot) and payload. */
function parseLine(text: string, file: string, line: number): { stream: string | undefined; data: Json } {
  const space = text.indexOf(" ");
  if (space <= 0 || !Number.isFinite(Number(text.slice(0, space)))) {
    throw dataError(file, line, "local_ts_ns", "malformed line: expected `<local_receive_ts_ns> <json>`");
  }
  let value: unknown;
  try {
    value = JSON.parse(text.slice(space + 1));
  } catch (error) {
    throw dataError(file, line, "json", `bad JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) throw dataError(file, line, "json", "expected a JSON object");
  if (typeof value.stream === "string") {
    if (!isObject(value.data)) throw dataError(file, line, "data", "a stream message without a data object");
    return { stream: value.stream, data: value.data };
  }
  if ("lastUpdateId" in value) return { stream: undefined, data: value };
  throw dataError(file, line, "stream", "neither a stream message nor a REST depth snapshot");
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field(data: Json, key: string, file: string, line: number, prefix = "data."): number {
  const value = data[key];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw dataError(file, line, prefix + key, `expected a number (got ${JSON.stringify(value)})`);
  }
  return value;
}

function list(data: Json, key: string, file: string, line: number, prefix = "data."): unknown[] {
  const value = data[key];
  if (!Array.isArray(value)) throw dataError(file, line, prefix + key, "expected an array of [price, qty] pairs");
  return value;
}

/** Binance sends decimals as strings; Number("") is 0, hence the length check. */
function decimal(value: unknown, file: string, line: number, name: string): number {
  const n = typeof value === "string" && value.length > 0 ? Number(value) : NaN;
  if (!Number.isFinite(n)) {
    throw dataError(file, line, name, `expected a decimal string (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** [[price, qty], ...] into the side; qty 0 deletes the level. Field names are built only on error. */
function applyLevels(side: SortedSide, levels: unknown[], file: string, line: number, name: string): void {
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    if (!Array.isArray(level) || level.length !== 2) {
      throw dataError(file, line, `${name}[${i}]`, "expected a [price, qty] pair");
    }
    const p: unknown = level[0];
    const q: unknown = level[1];
    const price = typeof p === "string" && p.length > 0 ? Number(p) : NaN;
    const qty = typeof q === "string" && q.length > 0 ? Number(q) : NaN;
    if (!(price > 0 && price < Infinity)) {
      throw dataError(file, line, `${name}[${i}][0]`, `expected a positive decimal string (got ${JSON.stringify(p)})`);
    }
    if (!(qty >= 0 && qty < Infinity)) {
      throw dataError(file, line, `${name}[${i}][1]`, `expected a decimal string >= 0 (got ${JSON.stringify(q)})`);
    }
    side.set(price, qty);
  }
}

export const binanceUsdmReader = defineReader({
  format: "binance-usdm",
  looksLike: "*.gz (hftbacktest collector capture of Binance USD-M streams)",
  matches: (file) => file.endsWith(".gz"),
  options: z.strictObject({ depth: z.number().int().positive().optional().describe("Levels per side in each tick (default 20).") }),
  open: (file, options) => openBinanceUsdm({ file, ...options }),
  // USD-M quantities are in the base asset (0.014 BTC), whatever the contract's quote.
  units: (instrument) => (instrument === undefined ? "base-asset units" : (baseAsset(instrument) ?? `${instrument} base-asset units`)),
});
