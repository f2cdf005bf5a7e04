// LOBSTER reader: the message file and the orderbook file are read in lockstep, because row k of
// the orderbook is the book *after* message k. Format: /work/shared/data/l2/SOURCES.md §1.
//
// One Tick per message row. Executions (types 4, 5) and auction cross trades (6) set `last` and
// `volume` from the message's Price and Size. A type-7 halt row is passed through as a Tick
// with volume 0 and the orderbook row as is (LOBSTER repeats the previous book there), so the
// replay clock keeps the halt's timestamp; its Price (-1/0/1 = halt/quote/trade resumption) is
// a code, never used as a price.
import { open } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { DataError } from "../errors.ts";
import type { BookLevel, L2Reader, Tick } from "../types.ts";
import { LineSource, csvFields, dataError, num, requireFile } from "./lines.ts";
import { defineReader } from "./reader.ts";

export interface LobsterOptions {
  messageFile: string;
  orderbookFile: string;
  /** Levels in the orderbook file; taken from the file name when not given. */
  levels?: number;
  /** Trading date YYYY-MM-DD; taken from the file name when not given. */
  date?: string;
}

// TICKER_DATE_StartMs_EndMs_{message|orderbook}_LEVEL.csv, optionally with a `.tag` before
// `.csv` so that fixtures such as `..._orderbook_2.crossed.fails.csv` keep their date and level.
const FILE_NAME = /^(.+)_(\d{4}-\d{2}-\d{2})_(\d+)_(\d+)_(message|orderbook)_(\d+)(\..+)?\.csv$/;
const MESSAGE_FIELDS = ["Time", "Type", "OrderID", "Size", "Price", "Direction"] as const;
const PRICE_SCALE = 10_000; // LOBSTER prices are dollars x 10000
const DUMMY_ASK = 9_999_999_999; // an empty level, not a price
const DUMMY_BID = -9_999_999_999;

export function openLobster(opts: LobsterOptions): L2Reader {
  const { messageFile, orderbookFile } = opts;
  requireFile(messageFile);
  requireFile(orderbookFile);
  const named = parseLobsterName(messageFile) ?? parseLobsterName(orderbookFile);
  const date = opts.date ?? named?.date;
  const levels = opts.levels ?? named?.levels;
  const expected = "the name TICKER_DATE_StartMs_EndMs_message_LEVEL.csv";
  if (date === undefined) throw configError(messageFile, `no trading date: pass date or use ${expected}`);
  if (levels === undefined || !Number.isInteger(levels) || levels < 1) {
    throw configError(orderbookFile, `no level count: pass levels (an integer >= 1) or use ${expected}`);
  }
  const dayStart = sessionDayStartMs(date);
  if (dayStart === undefined) throw configError(messageFile, `trading date "${date}" is not a valid YYYY-MM-DD date`);
  return {
    format: "lobster",
    ticks: () => readPair(messageFile, orderbookFile, levels, dayStart),
    // LOBSTER files hold no symbol: the ticker is the first part of the name.
    instrument: () => named?.ticker,
    lastEventTs: async () => {
      const time = Number((await lastLine(messageFile))?.split(",")[0]);
      return Number.isFinite(time) ? dayStart + time * 1000 : undefined;
    },
  };
}

export function parseLobsterName(file: string): { ticker: string; date: string; levels: number; kind: string } | undefined {
  const m = FILE_NAME.exec(path.basename(file));
  if (m === null) return undefined;
  return { ticker: m[1] as string, date: m[2] as string, levels: Number(m[6]), kind: m[5] as string };
}

/** The last non-empty line of a text file, read from its tail (a message row is < 100 bytes). */
async function lastLine(file: string): Promise<string | undefined> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 4096);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString("utf8").split(/\r?\n/).filter((line) => line.trim() !== "").pop();
  } finally {
    await handle.close();
  }
}

async function* readPair(
  messageFile: string,
  orderbookFile: string,
  levels: number,
  dayStart: number,
): AsyncGenerator<Tick> {
  const messages = new LineSource(messageFile);
  const books = new LineSource(orderbookFile);
  const bookFields = orderbookFieldNames(levels);
  let prevTime = -Infinity;
  let last = NaN; // no trade seen yet: Tick.last is the mid until then
  try {
    for (;;) {
      const msg = await messages.next();
      const book = await books.next();
      if (msg === undefined || book === undefined) {
        if (msg === book) return;
        const [ended, other] = msg === undefined ? [messages, books] : [books, messages];
        const what = `has more rows than ${ended.file}, which ends at line ${ended.line}`;
        throw dataError(other.file, other.line, undefined, what);
      }
      const line = messages.line;
      const f = csvFields(msg, MESSAGE_FIELDS, messageFile, line);
      const time = num(f[0], messageFile, line, "Time");
      const type = num(f[1], messageFile, line, "Type");
      num(f[2], messageFile, line, "OrderID");
      const size = num(f[3], messageFile, line, "Size");
      const price = num(f[4], messageFile, line, "Price");
      num(f[5], messageFile, line, "Direction");
      if (!Number.isInteger(type) || type < 1 || type > 7) {
        throw dataError(messageFile, line, "Type", `unknown event type ${type} (LOBSTER types are 1-7)`);
      }
      if (time < prevTime) {
        throw dataError(messageFile, line, "Time", `goes backwards: ${time} s after ${prevTime} s on line ${line - 1}`);
      }
      prevTime = time;

      const { bids, asks } = parseBook(book, bookFields, levels, orderbookFile, books.line);
      let volume = 0;
      if (type === 4 || type === 5 || type === 6) {
        last = price / PRICE_SCALE;
        volume = size;
      }
      const bid = (bids[0] as BookLevel).price;
      const ask = (asks[0] as BookLevel).price;
      yield {
        ts: dayStart + time * 1000,
        bid,
        ask,
        last: Number.isNaN(last) ? (bid + ask) / 2 : last,
        volume,
        bids,
        asks,
        source: { file: messageFile, line },
      };
    }
  } finally {
    messages.close();
    books.close();
  }
}

/** One orderbook row: dummy levels dropped, never empty, never crossed. */
function parseBook(text: string, names: readonly string[], levels: number, file: string, line: number) {
  const f = csvFields(text, names, file, line);
  const asks: BookLevel[] = [];
  const bids: BookLevel[] = [];
  for (let i = 0, k = 0; i < levels; i++, k += 4) {
    const askPrice = num(f[k], file, line, names[k] as string);
    const askSize = num(f[k + 1], file, line, names[k + 1] as string);
    const bidPrice = num(f[k + 2], file, line, names[k + 2] as string);
    const bidSize = num(f[k + 3], file, line, names[k + 3] as string);
    if (askPrice !== DUMMY_ASK) asks.push({ price: askPrice / PRICE_SCALE, size: askSize });
    if (bidPrice !== DUMMY_BID) bids.push({ price: bidPrice / PRICE_SCALE, size: bidSize });
  }
  const bestAsk = asks[0];
  const bestBid = bids[0];
  if (bestAsk === undefined) {
    throw dataError(file, line, "AskPrice_1", "empty book: no ask level (every AskPrice is the dummy 9999999999)");
  }
  if (bestBid === undefined) {
    throw dataError(file, line, "BidPrice_1", "empty book: no bid level (every BidPrice is the dummy -9999999999)");
  }
  if (bestBid.price >= bestAsk.price) {
    throw dataError(file, line, "BidPrice_1", `crossed book: best bid ${bestBid.price} >= best ask ${bestAsk.price}`);
  }
  return { bids, asks };
}

function orderbookFieldNames(levels: number): string[] {
  const names: string[] = [];
  for (let i = 1; i <= levels; i++) names.push(`AskPrice_${i}`, `AskSize_${i}`, `BidPrice_${i}`, `BidSize_${i}`);
  return names;
}

function configError(file: string, what: string): DataError {
  return new DataError("GAUNTLET_DATA_INVALID", `${file}: ${what}`);
}

const NEW_YORK = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/**
 * Epoch ms of 00:00 New York time on `date`, at the UTC offset in force during the session.
 * LOBSTER's seconds are wall-clock (34200 is 09:30 on every day), so on a DST switch day the
 * offset at 09:30, not the one at midnight, is the right one. Undefined for a non-date.
 */
export function sessionDayStartMs(date: string): number | undefined {
  const [y = NaN, m = NaN, d = NaN] = date.split("-").map(Number);
  const utcMidnight = Date.UTC(y, m - 1, d);
  if (!Number.isFinite(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== date) return undefined;
  // 12:00 UTC is 07:00 or 08:00 in New York: after the 02:00 switch, before the open.
  const probe = utcMidnight + 12 * 3_600_000;
  const wall: Record<string, number> = {};
  for (const part of NEW_YORK.formatToParts(probe)) wall[part.type] = Number(part.value);
  const { year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN, second = NaN } = wall;
  const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
  return utcMidnight - (wallMs - probe);
}

/** Either file of a pair names the other: only the message/orderbook word differs. */
export function lobsterPair(file: string): { messageFile: string; orderbookFile: string } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const swap = (from: string, to: string) => path.join(dir, base.replace(`_${from}_`, `_${to}_`));
  const isMessage = parseLobsterName(file)?.kind === "message";
  return { messageFile: isMessage ? file : swap("orderbook", "message"), orderbookFile: isMessage ? swap("message", "orderbook") : file };
}

export const lobsterReader = defineReader({
  format: "lobster",
  looksLike: "TICKER_DATE_StartMs_EndMs_{message|orderbook}_LEVEL.csv (either file of the pair)",
  matches: (file) => parseLobsterName(file) !== undefined,
  options: z.strictObject({
    levels: z.number().int().positive().optional().describe("Levels in the orderbook file (default: from the file name)."),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe("Trading date YYYY-MM-DD (default: from the file name)."),
  }),
  open: (file, options) => openLobster({ ...lobsterPair(file), ...options }),
  units: () => "shares",
});
