import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DataError } from "../../data/errors.ts";
import { openBinanceUsdm } from "../../data/readers/binance-usdm.ts";
import { openL2 } from "../../data/readers/index.ts";
import type { L2Reader, Tick } from "../../data/types.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SAMPLE = path.join(root, "data/samples/binance/btcusdt_20240808.gz");
const fixture = (tag = "") => path.join(root, `tests/fixtures/l2/btcusdt_collector${tag}.txt`);

async function collect(reader: L2Reader): Promise<Tick[]> {
  const ticks: Tick[] = [];
  for await (const tick of reader.ticks()) ticks.push(tick);
  return ticks;
}

/** Reads to the end and asserts the error's code and that its message names every part. */
async function rejects(file: string, code: string, parts: string[]): Promise<void> {
  try {
    await collect(openBinanceUsdm({ file }));
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return;
  }
  assert.unreachable("the reader accepted bad input");
}

test("the BTCUSDT sample syncs on the diff that straddles the snapshot and never crosses", async () => {
  const ticks = await collect(openL2(SAMPLE));
  // 6,551 diffs: the first four end before lastUpdateId and are dropped; the 5th (line 42)
  // straddles it and the 6th (line 50) follows, both *before* the snapshot on line 55; the
  // remaining 6,545 come after it.
  assert.is(ticks.length, 6547);
  assert.equal(ticks.slice(0, 3).map((t) => t.source.line), [42, 50, 57]);
  assert.is(ticks.filter((t) => t.source.line > 55).length, 6545);
  assert.is(ticks[0]?.ts, 1723161256509, "exchange event time E of the straddling diff");
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i] as Tick;
    assert.ok(t.bid < t.ask, `crossed at line ${t.source.line}`);
    assert.ok(t.bid >= 61590 && t.bid <= 61840, `best bid ${t.bid} outside SOURCES.md's range`);
    assert.ok(t.bids.length === 20 && t.asks.length === 20);
    assert.ok((t.bids[1]?.price ?? 0) < t.bid && (t.asks[1]?.price ?? 0) > t.ask, "levels best first");
    if (i > 0) assert.ok(t.ts >= (ticks[i - 1] as Tick).ts, `time goes backwards at line ${t.source.line}`);
  }
});

test("the BTCUSDT sample carries every trade's quantity exactly once", async () => {
  const ticks = await collect(openBinanceUsdm({ file: SAMPLE, depth: 5 }));
  assert.ok(ticks.every((t) => t.bids.length === 5 && t.asks.length === 5));
  let expected = 0;
  for (const line of zlib.gunzipSync(fs.readFileSync(SAMPLE)).toString("utf8").split("\n")) {
    if (line.includes('"e":"trade"')) expected += Number(JSON.parse(line.slice(line.indexOf(" ") + 1)).data.q);
  }
  const total = ticks.reduce((sum, t) => sum + t.volume, 0);
  assert.ok(Math.abs(total - expected) < 1e-6, `volume ${total} vs trades ${expected}`);
});

test("the small capture: buffered diffs, snapshot, deletes, inserts and folded trades", async () => {
  const ticks = await collect(openBinanceUsdm({ file: fixture() }));
  assert.equal(ticks.map((t) => t.source.line), [3, 6, 8]);
  const [t1, t2, t3] = ticks as [Tick, Tick, Tick];
  // Line 1 (u=105 < lastUpdateId=110) is dropped; line 3 (U=106..u=112) applies before line 4.
  assert.equal(t1.bids, [{ price: 100, size: 1.5 }, { price: 99.5, size: 2 }]);
  assert.equal(t1.asks, [{ price: 101, size: 1 }, { price: 101.5, size: 3 }]);
  assert.equal([t1.ts, t1.last, t1.volume], [1723161256003, 100.5, 0.1]);
  assert.equal(t2.bids, [{ price: 99.5, size: 2 }]);
  assert.equal(t2.asks, [{ price: 100.5, size: 2 }, { price: 101, size: 1 }, { price: 101.5, size: 3 }]);
  assert.equal([t2.bid, t2.ask, t2.volume], [99.5, 100.5, 0]);
  assert.equal(t3.bids, [{ price: 99.8, size: 4 }, { price: 99.5, size: 2 }]);
  assert.equal(t3.asks, [{ price: 100.5, size: 2 }, { price: 101, size: 1 }]);
  assert.equal([t3.last, t3.volume], [100.5, 0.25]);
});

test("a gap in the pu chain names the file, line and field", async () => {
  await rejects(fixture(".gap.fails"), "GAUNTLET_DATA_INVALID", [
    "btcusdt_collector.gap.fails.txt line 8",
    "field data.pu",
    "pu=114 but the previous diff ended at u=115",
  ]);
});

test("bad JSON names the file and line", async () => {
  await rejects(fixture(".bad-json.fails"), "GAUNTLET_DATA_INVALID", ["btcusdt_collector.bad-json.fails.txt line 6", "bad JSON"]);
});

test("a line without the local timestamp names the file and line", async () => {
  await rejects(fixture(".no-timestamp.fails"), "GAUNTLET_DATA_INVALID", [
    "btcusdt_collector.no-timestamp.fails.txt line 5",
    "field local_ts_ns",
    "malformed line",
  ]);
});

test("a bad price level names the file, line and field", async () => {
  await rejects(fixture(".bad-level.fails"), "GAUNTLET_DATA_INVALID", [
    "btcusdt_collector.bad-level.fails.txt line 6",
    "field data.a[0][1]",
    '(got "abc")',
  ]);
});

test("a missing update id names the file, line and field", async () => {
  await rejects(fixture(".missing-field.fails"), "GAUNTLET_DATA_INVALID", [
    "btcusdt_collector.missing-field.fails.txt line 6",
    "field data.u",
    "expected a number",
  ]);
});

test("a diff that crosses the book names the file, line and field", async () => {
  await rejects(fixture(".crossed.fails"), "GAUNTLET_DATA_INVALID", [
    "btcusdt_collector.crossed.fails.txt line 6",
    "field data.b",
    "best bid 101 >= best ask 101",
  ]);
});

test("no diff straddling the snapshot is a gap at the first later diff", async () => {
  await rejects(fixture(".no-straddle.fails"), "GAUNTLET_DATA_INVALID", [
    "btcusdt_collector.no-straddle.fails.txt line 5",
    "field data.U",
    "U=113 > lastUpdateId=110",
  ]);
});

test("a capture without a snapshot is rejected at its end", async () => {
  await rejects(fixture(".no-snapshot.fails"), "GAUNTLET_DATA_INVALID", [
    "btcusdt_collector.no-snapshot.fails.txt line 3",
    "without a REST depth snapshot",
  ]);
});

test("a missing file is GAUNTLET_DATA_MISSING and names the file", async () => {
  await rejects(fixture(".nope"), "GAUNTLET_DATA_MISSING", ["btcusdt_collector.nope.txt"]);
});

test("a file that is not gzip names the file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gauntlet-l2-"));
  const copy = path.join(dir, "plain.gz");
  fs.copyFileSync(fixture(), copy);
  try {
    await rejects(copy, "GAUNTLET_DATA_INVALID", ["plain.gz line 1", "cannot read the file"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
