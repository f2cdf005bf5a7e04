// The readers are a registry: a format is told by the file name or named, and each reader checks
// its own options. A new format is one file and one entry in READERS.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BINANCE_BTCUSDT, LOBSTER_AAPL } from "../../data/bundled-samples.ts";
import { DataError } from "../../data/errors.ts";
import { checkL2Source, openL2, READERS, readerFor } from "../../data/readers/index.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const lobster = path.join(root, LOBSTER_AAPL.orderbookFile);

function fails(fn: () => unknown, code: string, parts: string[]): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return;
  }
  assert.unreachable("accepted");
}

test("each format is listed once, and each reader's options accept {}", () => {
  assert.equal(READERS.map((reader) => reader.format), ["lobster", "binance-usdm", "databento-mbo"]);
  for (const reader of READERS) assert.ok(reader.options.safeParse({}).success, reader.format);
});

test("the format is told by the file name, or named explicitly", () => {
  assert.is(readerFor({ file: lobster }).format, "lobster");
  assert.is(readerFor({ file: path.join(root, BINANCE_BTCUSDT.file) }).format, "binance-usdm");
  assert.is(readerFor({ file: "/data/capture.bin", format: "binance-usdm" }).format, "binance-usdm");
});

test("either file of a LOBSTER pair opens the pair, with options from config", async () => {
  let ticks = 0;
  for await (const tick of openL2({ file: lobster, format: "lobster", options: { levels: 10 } }).ticks()) {
    ticks++;
    assert.is(tick.bids.length <= 10, true);
  }
  assert.is(ticks, 999);
});

test("a format nobody knows, an unrecognisable file, a bad reader option: clear config errors", () => {
  fails(() => readerFor({ file: lobster, format: "itch" }), "GAUNTLET_CONFIG_INVALID", ['"itch"', "lobster, binance-usdm, databento-mbo"]);
  fails(() => readerFor({ file: "/data/book.parquet" }), "GAUNTLET_DATA_INVALID", ["/data/book.parquet", "cannot tell the market-data format", "name it with format"]);
  fails(() => checkL2Source({ file: lobster, options: { depth: 5 } }), "GAUNTLET_CONFIG_INVALID", ["lobster reader options", 'Unrecognized key: "depth"']);
  fails(() => checkL2Source({ file: "x.gz", options: { depth: -1 } }), "GAUNTLET_CONFIG_INVALID", ["binance-usdm reader options for x.gz", "depth"]);
});

test.run();
