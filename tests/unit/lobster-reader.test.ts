import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DataError } from "../../data/errors.ts";
import { openL2 } from "../../data/readers/index.ts";
import { openLobster, sessionDayStartMs, type LobsterOptions } from "../../data/readers/lobster.ts";
import type { L2Reader, Tick } from "../../data/types.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SAMPLE = path.join(root, "data/samples/lobster/AAPL_2012-06-21_34200000_57600000");
const FIX = path.join(root, "tests/fixtures/l2/AAPL_2012-06-21_34200000_57600000");
const message = (tag = "") => `${FIX}_message_2${tag}.csv`;
const orderbook = (tag = "") => `${FIX}_orderbook_2${tag}.csv`;

async function collect(reader: L2Reader): Promise<Tick[]> {
  const ticks: Tick[] = [];
  for await (const tick of reader.ticks()) ticks.push(tick);
  return ticks;
}

/** Reads to the end and asserts the error's code and that its message names every part. */
async function rejects(opts: LobsterOptions, code: string, parts: string[]): Promise<void> {
  try {
    await collect(openLobster(opts));
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return;
  }
  assert.unreachable("the reader accepted bad input");
}

const etClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: "America/New_York",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  fractionalSecondDigits: 3,
  hourCycle: "h23",
});

test("the AAPL sample parses end to end: 999 ticks, 09:30:00.004 to 09:30:49.086 ET", async () => {
  const ticks = await collect(openL2(`${SAMPLE}_message_10.csv`));
  assert.is(ticks.length, 999);
  const first = ticks[0] as Tick;
  const last = ticks[998] as Tick;
  assert.is(etClock.format(first.ts), "09:30:00.004");
  assert.is(etClock.format(last.ts), "09:30:49.086");
  // 2012-06-21 is EDT: 09:30 ET is 13:30 UTC.
  assert.ok(Math.abs(first.ts - (Date.UTC(2012, 5, 21, 13, 30, 0) + 4.241176)) < 1e-3);
  assert.equal(first.source, { file: `${SAMPLE}_message_10.csv`, line: 1 });
  assert.is(first.bid, 585.33);
  assert.is(first.ask, 585.94);
  assert.is(first.last, (585.33 + 585.94) / 2, "mid until the first trade");
});

test("the AAPL sample matches SOURCES.md: best ask 585.39-585.94, best bid 585.16-585.77, 159 executions", async () => {
  const ticks = await collect(openLobster({ messageFile: `${SAMPLE}_message_10.csv`, orderbookFile: `${SAMPLE}_orderbook_10.csv` }));
  const bids = ticks.map((t) => t.bid);
  const asks = ticks.map((t) => t.ask);
  assert.equal([Math.min(...asks), Math.max(...asks)], [585.39, 585.94]);
  assert.equal([Math.min(...bids), Math.max(...bids)], [585.16, 585.77]);
  assert.is(ticks.filter((t) => t.volume > 0).length, 98 + 61);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i] as Tick;
    assert.ok(t.bid < t.ask, `crossed at line ${i + 1}`);
    assert.ok(t.bids.length >= 1 && t.bids.length <= 10 && t.asks.length >= 1 && t.asks.length <= 10);
    assert.is(t.bids[0]?.price, t.bid);
    assert.is(t.asks[0]?.price, t.ask);
    if (i > 0) assert.ok(t.ts >= (ticks[i - 1] as Tick).ts, `time goes backwards at line ${i + 1}`);
  }
});

test("dummy levels are dropped, executions set last and volume, a halt row is a no-change tick", async () => {
  const ticks = await collect(openLobster({ messageFile: message(), orderbookFile: orderbook() }));
  assert.is(ticks.length, 4);
  const [t1, , t3, t4] = ticks as [Tick, Tick, Tick, Tick];
  assert.equal(t1.asks, [{ price: 585.94, size: 200 }]);
  assert.equal(t1.bids, [{ price: 585.33, size: 100 }, { price: 585.2, size: 10 }]);
  assert.is(t1.volume, 0);
  assert.is(t3.last, 585.33);
  assert.is(t3.volume, 40);
  assert.equal([t4.volume, t4.last, t4.bids, t4.asks], [0, 585.33, t3.bids, t3.asks]);
});

test("date and levels can be passed when the file name does not carry them; EST is UTC-5", async () => {
  const dir = path.join(root, "tests/fixtures/l2");
  const opts = { messageFile: `${dir}/lobster-no-date_message.csv`, orderbookFile: `${dir}/lobster-no-date_orderbook.csv` };
  await rejects(opts, "GAUNTLET_DATA_INVALID", ["lobster-no-date_message.csv", "no trading date"]);
  const ticks = await collect(openLobster({ ...opts, date: "2012-01-17", levels: 2 }));
  assert.is(ticks[0]?.ts, Date.UTC(2012, 0, 17, 14, 30, 0, 1));
});

test("the New York offset comes from the time zone database, including DST switch days", () => {
  assert.is(sessionDayStartMs("2012-06-21"), Date.UTC(2012, 5, 21, 4));
  assert.is(sessionDayStartMs("2012-01-17"), Date.UTC(2012, 0, 17, 5));
  // Clocks went forward at 02:00 on 2012-03-11: the session runs on EDT.
  assert.is(sessionDayStartMs("2012-03-11"), Date.UTC(2012, 2, 11, 4));
  assert.is(sessionDayStartMs("2012-11-04"), Date.UTC(2012, 10, 4, 5));
  assert.is(sessionDayStartMs("2012-02-30"), undefined);
});

test("a missing column names the file, line and field", async () => {
  const opts = { messageFile: message(".missing-column.fails"), orderbookFile: orderbook() };
  await rejects(opts, "GAUNTLET_DATA_INVALID", ["message_2.missing-column.fails.csv line 3", "field Direction", "5 columns, expected 6"]);
});

test("an extra column names the file, line and field", async () => {
  const opts = { messageFile: message(), orderbookFile: orderbook(".extra-column.fails") };
  await rejects(opts, "GAUNTLET_DATA_INVALID", ["orderbook_2.extra-column.fails.csv line 2", "field column 9", "9 columns, expected 8"]);
});

test("a non-numeric field names the file, line and field", async () => {
  const opts = { messageFile: message(".not-a-number.fails"), orderbookFile: orderbook() };
  await rejects(opts, "GAUNTLET_DATA_INVALID", ["message_2.not-a-number.fails.csv line 2", "field Price", 'not a number (got "585940O")']);
});

test("a timestamp going backwards names the file, line and field", async () => {
  const opts = { messageFile: message(".backwards.fails"), orderbookFile: orderbook() };
  await rejects(opts, "GAUNTLET_DATA_INVALID", ["message_2.backwards.fails.csv line 3", "field Time", "goes backwards", "line 2"]);
});

test("a crossed book names the file, line and field", async () => {
  const opts = { messageFile: message(), orderbookFile: orderbook(".crossed.fails") };
  await rejects(opts, "GAUNTLET_DATA_INVALID", ["orderbook_2.crossed.fails.csv line 2", "field BidPrice_1", "crossed book: best bid 585.94 >= best ask 585.94"]);
});

test("an empty book side names the file, line and field", async () => {
  const opts = { messageFile: message(), orderbookFile: orderbook(".empty-side.fails") };
  await rejects(opts, "GAUNTLET_DATA_INVALID", ["orderbook_2.empty-side.fails.csv line 3", "field AskPrice_1", "empty book"]);
});

test("files of different length name both files and where each ends", async () => {
  await rejects({ messageFile: message(".short.fails"), orderbookFile: orderbook() }, "GAUNTLET_DATA_INVALID", [
    "orderbook_2.csv line 4",
    "has more rows than",
    "message_2.short.fails.csv, which ends at line 3",
  ]);
  await rejects({ messageFile: message(), orderbookFile: orderbook(".long.fails") }, "GAUNTLET_DATA_INVALID", [
    "orderbook_2.long.fails.csv line 5",
    "message_2.csv, which ends at line 4",
  ]);
});

test("a missing file is GAUNTLET_DATA_MISSING and names the file", async () => {
  await rejects({ messageFile: message(".nope"), orderbookFile: orderbook() }, "GAUNTLET_DATA_MISSING", ["message_2.nope.csv"]);
});

test.run();
