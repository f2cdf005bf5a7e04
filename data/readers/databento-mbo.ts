// Databento MBO (L3, market by order) reader for DBN files, plain `.dbn` or `.dbn.zst`. Format and
// the sample's facts: /work/shared/data/l2/SOURCES.md §3; semantics: databento.com/docs (MBO
// schema, MBO snapshots, "order tracking" example).
//
// Node 20's zlib has no zstd, so `.zst` is streamed through the system `zstd -dcq` (a child
// process we start and stop ourselves); without it the error says what to install.
//
// The order-level book: A adds an order, C removes some or all of its size, M moves it (price
// and/or size), R clears the book; T (trade) and F (fill) never change the book — Databento
// sends the matching C/M records for the resting orders — so T only sets `last` and `volume`.
// Records are applied as they come, but the book is only *looked at* on a record flagged
// F_LAST (the last record of one venue event): mid-event states are never yielded.
//
// The file starts with a snapshot (F_SNAPSHOT records, ts_recv = snapshot time with F_BAD_TS_RECV):
// it builds the initial book and yields nothing; the first Tick is the first live event.
// One Tick per live event, ts = ts_recv (Databento's index time; files are sorted by it).
// `source.line` is the 1-based record number (the file is binary).
//
// Crossed or one-sided books: CME's pre-open legitimately shows a crossed book (the sample is
// crossed from 22:39:55 to the 23:00 opening auction). A Tick must never be crossed or empty, so
// such events are skipped (`invalidBook: "skip"`, the default) or rejected (`"fail"`); trades in
// skipped events still reach the next Tick's volume.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { DataError } from "../errors.ts";
import { z } from "zod";
import type { L2Reader, Tick } from "../types.ts";
import { requireFile } from "./lines.ts";
import { SortedSide } from "./sorted-side.ts";
import { defineReader } from "./reader.ts";

export interface DatabentoMboOptions {
  file: string;
  /** Levels per side in each Tick (default 10); the whole book is maintained regardless. */
  depth?: number;
  /** Which instrument to build; default the first one in the file (a second one is then an error). */
  instrumentId?: number;
  /** What to do with an event that leaves the book crossed or one-sided (default "skip"). */
  invalidBook?: "skip" | "fail";
}

const RTYPE_MBO = 0xa0;
const MBO_BYTES = 56;
const SCHEMA_MBO = 0; // DBN Schema enum: Mbo = 0
const F_LAST = 128;
const F_SNAPSHOT = 32;
const UNDEF_PRICE_HI = 0x7fffffff; // i64::MAX: high word 0x7fffffff, low word 0xffffffff
const PRICE_UNIT = 1e9;

interface Order { bid: boolean; price: number; size: number }

export function openDatabentoMbo(opts: DatabentoMboOptions): L2Reader {
  requireFile(opts.file);
  const seen: Seen = {};
  // No lastEventTs: the last event is the last F_LAST record of the instrument whose book is
  // valid, which only the replay itself can tell; the caller replays the file to find it.
  return { format: "databento-mbo", ticks: () => readMbo(opts, seen), instrument: () => seen.symbol };
}

/** The instrument being built, named as the file's metadata maps its id. */
interface Seen {
  symbol?: string;
}

async function* readMbo(opts: DatabentoMboOptions, seen: Seen): AsyncGenerator<Tick> {
  const { file } = opts;
  const depth = opts.depth ?? 10;
  const failOnInvalid = opts.invalidBook === "fail";
  const input = openBytes(file);
  const orders = new Map<bigint, Order>();
  const sides = { bid: new SortedSide("bid"), ask: new SortedSide("ask") };
  const totals = { bid: new Map<number, number>(), ask: new Map<number, number>() };
  let instrument = opts.instrumentId;
  let symbols: DbnSymbols = { requested: [], byId: new Map() };
  let pending: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let record = 0; // 1-based number of the record being read
  let sawFirst = false;
  let openEvent = 0; // records read since the last F_LAST
  let prevTs = -Infinity;
  let last = Number.NaN;
  let volume = 0;

  const level = (bid: boolean, price: number, delta: number) => {
    const key = bid ? "bid" : "ask";
    const size = (totals[key].get(price) ?? 0) + delta;
    if (size === 0) totals[key].delete(price);
    else totals[key].set(price, size);
    sides[key].set(price, size);
  };
  const bad = (field: string | undefined, what: string) => recordError(file, record, field, what);

  try {
    for await (const chunk of input.stream) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let off = 0;
      if (!headerDone) {
        if (pending.length < 8) continue;
        checkMagic(pending, file); // before waiting for a metadata length read from a non-DBN file
        const metaLength = pending.readUInt32LE(4);
        if (pending.length < 8 + metaLength) continue;
        checkSchema(pending, metaLength, file);
        symbols = dbnSymbols(pending, metaLength);
        headerDone = true;
        off = 8 + metaLength;
      }
      while (pending.length - off >= 2) {
        const length = (pending[off] as number) * 4;
        if (length < 16) throw recordError(file, record + 1, "length", `record length ${length} bytes is too short`);
        if (pending.length - off < length) break;
        record++;
        const at = off;
        off += length;
        if (pending[at + 1] !== RTYPE_MBO) continue; // other record types (system, mapping) carry no book data
        if (length !== MBO_BYTES) throw bad("length", `an MBO record is ${MBO_BYTES} bytes, this one ${length}`);
        const id = pending.readUInt32LE(at + 4);
        if (instrument === undefined || seen.symbol === undefined) {
          instrument ??= id;
          seen.symbol = symbols.byId.get(instrument) ?? (symbols.requested.length === 1 ? symbols.requested[0] : `instrument_id ${instrument}`);
        }
        if (id !== instrument) {
          if (opts.instrumentId !== undefined) continue;
          throw bad("instrument_id", `a second instrument (${id} after ${instrument}); pass instrumentId to choose one`);
        }
        const flags = pending[at + 36] as number;
        const action = String.fromCharCode(pending[at + 38] as number);
        const sideChar = String.fromCharCode(pending[at + 39] as number);
        const snapshot = (flags & F_SNAPSHOT) !== 0;
        if (!sawFirst && !snapshot && action !== "R") {
          throw bad("flags", "the file does not start with a book snapshot (F_SNAPSHOT records); request MBO data with its snapshot");
        }
        sawFirst = true;
        const tsRecv = (pending.readUInt32LE(at + 44) * 2 ** 32 + pending.readUInt32LE(at + 40)) / 1e6;
        if (!snapshot) {
          if (tsRecv < prevTs) throw bad("ts_recv", `goes backwards (${tsRecv} ms after ${prevTs} ms)`);
          prevTs = tsRecv;
        }
        const hi = pending.readInt32LE(at + 28);
        const price = hi === UNDEF_PRICE_HI ? Number.NaN : (hi * 2 ** 32 + pending.readUInt32LE(at + 24)) / PRICE_UNIT;
        const size = pending.readUInt32LE(at + 32);
        const orderId = pending.readBigUInt64LE(at + 16);
        switch (action) {
          case "A": {
            if (sideChar !== "B" && sideChar !== "A") throw bad("side", `an add must be on side B or A (got ${JSON.stringify(sideChar)})`);
            if (Number.isNaN(price)) throw bad("price", "an add without a price");
            if (orders.has(orderId)) throw bad("order_id", `adds order ${orderId}, which is already in the book`);
            const order = { bid: sideChar === "B", price, size };
            orders.set(orderId, order);
            level(order.bid, price, size);
            break;
          }
          case "C": {
            const order = orders.get(orderId);
            if (order === undefined) throw bad("order_id", `cancels order ${orderId}, which is not in the book`);
            if (size > order.size) throw bad("size", `cancels ${size} of order ${orderId}, which rests with ${order.size}`);
            level(order.bid, order.price, -size);
            order.size -= size;
            if (order.size === 0) orders.delete(orderId);
            break;
          }
          case "M": {
            const order = orders.get(orderId);
            if (order === undefined) throw bad("order_id", `modifies order ${orderId}, which is not in the book`);
            if (Number.isNaN(price)) throw bad("price", "a modify without a price");
            level(order.bid, order.price, -order.size);
            order.price = price;
            order.size = size;
            level(order.bid, price, size);
            if (size === 0) orders.delete(orderId);
            break;
          }
          case "R":
            orders.clear();
            for (const key of ["bid", "ask"] as const) {
              sides[key].clear();
              totals[key].clear();
            }
            break;
          case "T":
            if (!Number.isNaN(price)) last = price;
            volume += size;
            break;
          case "F":
          case "N":
            break;
          default:
            throw bad("action", `unknown action ${JSON.stringify(action)} (A, C, M, R, T, F, N)`);
        }
        if (!snapshot) openEvent++; // this file's snapshot has no F_LAST: it ends at the first live record
        if ((flags & F_LAST) === 0) continue;
        openEvent = 0;
        if (snapshot) continue; // the snapshot builds the book; the first Tick is a live event
        const bid = sides.bid.best();
        const ask = sides.ask.best();
        if (bid === undefined || ask === undefined || bid >= ask) {
          if (!failOnInvalid) continue;
          const what = bid === undefined || ask === undefined ? `empty book side (best bid ${bid}, best ask ${ask})` : `crossed book: best bid ${bid} >= best ask ${ask}`;
          throw bad(undefined, `${what}; pass invalidBook: "skip" to skip such events (CME pre-open crosses)`);
        }
        yield {
          ts: tsRecv,
          bid,
          ask,
          last: Number.isNaN(last) ? (bid + ask) / 2 : last,
          volume,
          bids: sides.bid.top(depth),
          asks: sides.ask.top(depth),
          source: { file, line: record },
        };
        volume = 0;
      }
      pending = pending.subarray(off);
    }
    await input.done();
    if (!headerDone) throw new DataError("GAUNTLET_DATA_INVALID", `${file}: truncated: the file ends inside the DBN header`);
    if (pending.length > 0) {
      throw recordError(file, record + 1, undefined, `truncated: ${pending.length} bytes after the last whole record`);
    }
    if (openEvent > 0) {
      throw recordError(file, record, "flags", `truncated: the file ends inside an event (${openEvent} records after the last F_LAST)`);
    }
  } finally {
    input.close();
  }
}

/** Like lines.ts's dataError, but a binary file has records, not lines. */
function recordError(file: string, record: number, field: string | undefined, what: string): DataError {
  const where = field === undefined ? `${file} record ${record}` : `${file} record ${record}, field ${field}`;
  return new DataError("GAUNTLET_DATA_INVALID", `${where}: ${what}`);
}

/** "DBN" then version 1. (The MBO record did not change in v2/v3, but only v1 is tested.) */
function checkMagic(buf: Buffer, file: string): void {
  if (buf.toString("latin1", 0, 3) !== "DBN") {
    throw new DataError("GAUNTLET_DATA_INVALID", `${file}: not a DBN file (it does not start with "DBN")`);
  }
  const version = buf[3];
  if (version !== 1) {
    throw new DataError("GAUNTLET_DATA_INVALID", `${file}: DBN version ${version}; this reader is checked against version 1 only`);
  }
}

/** Schema mbo; the rest of the metadata (dataset, symbols, ranges) is not needed. */
function checkSchema(buf: Buffer, metaLength: number, file: string): void {
  const schema = metaLength >= 18 ? buf.readUInt16LE(8 + 16) : -1; // after the 16-byte dataset name
  if (schema !== SCHEMA_MBO) {
    throw new DataError("GAUNTLET_DATA_INVALID", `${file}: DBN schema ${schema} is not mbo (0); only MBO files build an order book here`);
  }
}

interface DbnSymbols {
  /** The symbols the data was requested for (ESH4). */
  requested: string[];
  /** instrument_id → the raw symbol it was mapped from, by the metadata's symbol mappings. */
  byId: Map<number, string>;
}

/**
 * The DBN v1 metadata's symbols and mappings (after the 8-byte preamble, 100 fixed bytes and the
 * schema definition): strings are 22-byte NUL-padded. Best effort: a short or odd header gives none.
 */
export function dbnSymbols(buf: Buffer, metaLength: number): DbnSymbols {
  const out: DbnSymbols = { requested: [], byId: new Map() };
  const end = 8 + metaLength;
  const CSTR = 22;
  let at = 8 + 100;
  const u32 = () => {
    if (at + 4 > end) throw new RangeError("metadata ends early");
    const value = buf.readUInt32LE(at);
    at += 4;
    return value;
  };
  const cstr = () => {
    if (at + CSTR > end) throw new RangeError("metadata ends early");
    const text = buf.toString("latin1", at, at + CSTR).replace(/\0.*$/s, "");
    at += CSTR;
    return text;
  };
  try {
    const definition = u32(); // the schema definition's length (0 in v1 files)
    at += definition;
    for (let n = u32(); n > 0; n--) out.requested.push(cstr());
    for (let list = 0; list < 2; list++) for (let n = u32(); n > 0; n--) cstr(); // partial, not_found
    for (let n = u32(); n > 0; n--) {
      const raw = cstr();
      for (let k = u32(); k > 0; k--) {
        at += 8; // start_date, end_date
        const id = Number(cstr());
        if (Number.isInteger(id)) out.byId.set(id, raw);
      }
    }
  } catch {
    // keep what was read
  }
  return out;
}

interface ByteSource {
  stream: AsyncIterable<Buffer>;
  /** Resolves once the source ended cleanly; rejects with the decompressor's error. */
  done(): Promise<void>;
  close(): void;
}

function openBytes(file: string): ByteSource {
  if (!file.endsWith(".zst")) {
    const stream = fs.createReadStream(file, { highWaterMark: 1 << 16 });
    return { stream, done: async () => {}, close: () => stream.destroy() };
  }
  const child: ChildProcess = spawn("zstd", ["-dcq", "--", file], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const exited = new Promise<void>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") return reject(error);
      const hint = "Install zstd (e.g. `apt-get install zstd`), or decompress once with `zstd -d` and pass the .dbn file.";
      reject(new DataError("GAUNTLET_TOOL_MISSING", `${file}: reading .zst needs the zstd command (zstd -dc), which is not on PATH`, { hint }));
    });
    child.on("close", (code) => {
      if (code === 0) return resolve();
      const why = stderr.split(/[\r\n]+/).map((l) => l.trim()).filter(Boolean).pop() ?? "no message";
      reject(new DataError("GAUNTLET_DATA_INVALID", `${file}: zstd could not decompress it (exit ${code}: ${why}); the file is truncated or not zstd`));
    });
  });
  exited.catch(() => {}); // observed by done(); avoids an unhandled rejection when the consumer stops early
  const stdout = child.stdout as NodeJS.ReadableStream & AsyncIterable<Buffer>;
  async function* stream(): AsyncGenerator<Buffer> {
    // A spawn failure ends stdout at once: surface it before the caller judges an empty stream.
    for await (const chunk of stdout) yield chunk;
    await exited;
  }
  return {
    stream: stream(),
    done: () => exited,
    close: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

export const databentoMboReader = defineReader({
  format: "databento-mbo",
  looksLike: "*.dbn or *.dbn.zst (Databento DBN v1, schema mbo)",
  matches: (file) => /\.dbn(\.zst)?$/.test(file),
  options: z.strictObject({
    depth: z.number().int().positive().optional().describe("Levels per side in each tick (default 10)."),
    instrumentId: z.number().int().nonnegative().optional().describe("Which instrument to build (default: the first in the file)."),
    invalidBook: z.enum(["skip", "fail"]).optional().describe("An event that leaves the book crossed or one-sided: skip it (default) or fail."),
  }),
  open: (file, options) => openDatabentoMbo({ file, ...options }),
  // Checked against CME futures (GLBX.MDP3) only: sizes are contracts.
  units: () => "contracts",
});
