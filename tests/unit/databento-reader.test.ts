// The Databento MBO reader on the real ESH4 sample (SOURCES.md §3) and on small DBN files built
// here byte by byte, so that each fixture says what it holds.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DataError } from "../../data/errors.ts";
import { openDatabentoMbo, type DatabentoMboOptions } from "../../data/readers/databento-mbo.ts";
import { openL2 } from "../../data/readers/index.ts";
import type { L2Reader, Tick } from "../../data/types.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SAMPLE = path.join(root, "data/samples/databento/esh4-glbx-mdp3-20231225.mbo.dbn.zst");
const HAS_ZSTD = spawnSync("zstd", ["--version"]).error === undefined;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gauntlet-dbn-"));
/** The real sample needs the zstd command; without it those tests are skipped, saying why. */
const zstdTest = HAS_ZSTD ? test : test.skip;
if (!HAS_ZSTD) console.log("databento-reader: zstd is not on PATH; the tests on the .zst sample are skipped");

async function collect(reader: L2Reader): Promise<Tick[]> {
  const ticks: Tick[] = [];
  for await (const tick of reader.ticks()) ticks.push(tick);
  return ticks;
}

async function rejects(opts: DatabentoMboOptions, code: string, parts: string[]): Promise<void> {
  try {
    await collect(openDatabentoMbo(opts));
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return;
  }
  assert.unreachable("the reader accepted bad input");
}

// ---- a tiny DBN v1 writer: 8-byte preamble, metadata (dataset, schema), 56-byte MBO records ----
const F_LAST = 128;
const F_SNAPSHOT = 32;
interface Rec { action: string; side?: string; id?: number; price?: number; size?: number; flags?: number; ts?: number; instrument?: number }

function dbn(records: Rec[], opts: { version?: number; schema?: number } = {}): Buffer {
  const meta = Buffer.alloc(32);
  meta.write("GLBX.MDP3", 0, "latin1");
  meta.writeUInt16LE(opts.schema ?? 0, 16);
  const head = Buffer.from([0x44, 0x42, 0x4e, opts.version ?? 1, 0, 0, 0, 0]);
  head.writeUInt32LE(meta.length, 4);
  const body = records.map((r) => {
    const b = Buffer.alloc(56);
    b[0] = 14; // length in 4-byte words
    b[1] = 0xa0; // rtype MBO
    b.writeUInt32LE(r.instrument ?? 17077, 4);
    const ts = BigInt(r.ts ?? 1_703_541_600_000) * 1_000_000n; // ms -> ns
    b.writeBigUInt64LE(ts, 8);
    b.writeBigUInt64LE(BigInt(r.id ?? 0), 16);
    b.writeBigInt64LE(r.price === undefined ? 2n ** 63n - 1n : BigInt(Math.round(r.price * 4)) * 250_000_000n, 24);
    b.writeUInt32LE(r.size ?? 0, 32);
    b[36] = r.flags ?? F_LAST;
    b[38] = r.action.charCodeAt(0);
    b[39] = (r.side ?? "N").charCodeAt(0);
    b.writeBigUInt64LE(ts, 40);
    return b;
  });
  return Buffer.concat([head, meta, ...body]);
}

function write(name: string, bytes: Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** A snapshot of two bids and two asks around 4799.25 (no F_LAST, like the real sample). */
const SNAPSHOT: Rec[] = [
  { action: "A", side: "B", id: 1, price: 4799, size: 5, flags: F_SNAPSHOT },
  { action: "A", side: "B", id: 2, price: 4798.75, size: 7, flags: F_SNAPSHOT },
  { action: "A", side: "A", id: 3, price: 4799.5, size: 4, flags: F_SNAPSHOT },
  { action: "A", side: "A", id: 4, price: 4800, size: 9, flags: F_SNAPSHOT },
];

zstdTest("the ESH4 sample: the snapshot builds the book, the first Tick is the first live event at 22:00:00.181", async () => {
  const ticks = await collect(openL2(SAMPLE));
  // 47,022 live F_LAST events, 891 of them in the pre-open crossed stretch (skipped).
  assert.is(ticks.length, 46_131);
  const first = ticks[0] as Tick;
  assert.is(new Date(first.ts).toISOString(), "2023-12-25T22:00:00.181Z");
  assert.ok(Math.abs(first.ts - 1_703_541_600_181.198464) < 1e-3, "ts_recv, sub-ms kept");
  assert.equal(first.source, { file: SAMPLE, line: 8726 }, "records 1-8,725 are the snapshot");
  assert.equal([first.bid, first.ask, first.last, first.volume], [4799, 4799.5, 4799.25, 0]);
  assert.equal(first.bids.slice(0, 3), [{ price: 4799, size: 16 }, { price: 4798.75, size: 21 }, { price: 4798.5, size: 18 }]);
  assert.equal(first.asks.slice(0, 3), [{ price: 4799.5, size: 23 }, { price: 4799.75, size: 22 }, { price: 4800, size: 23 }]);
  const last = ticks.at(-1) as Tick;
  assert.is(new Date(last.ts).toISOString(), "2023-12-25T23:59:59.446Z");
  assert.equal([last.bid, last.ask, last.source.line], [4810, 4810.25, 68_792]);
  // Every T record's size, counted once (F records are the resting side of the same trades).
  assert.is(ticks.reduce((sum, t) => sum + t.volume, 0), 9892);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i] as Tick;
    assert.ok(t.bid < t.ask && t.bids.length === 10 && t.asks.length === 10, `record ${t.source.line}`);
    if (i > 0) assert.ok(t.ts >= (ticks[i - 1] as Tick).ts, `time goes backwards at record ${t.source.line}`);
  }
});

zstdTest("crossed-book guard on the sample: the pre-open cross (22:39:55 to the 23:00 open) is skipped, or rejected on request", async () => {
  const ticks = await collect(openDatabentoMbo({ file: SAMPLE, depth: 1 }));
  // The longest silence between two Ticks is the skipped crossed stretch.
  const dt = (k: number) => (ticks[k] as Tick).ts - (ticks[k - 1] as Tick).ts;
  let gap = 1;
  for (let i = 2; i < ticks.length; i++) if (dt(i) > dt(gap)) gap = i;
  assert.equal([(ticks[gap - 1] as Tick).source.line, (ticks[gap] as Tick).source.line], [8759, 9714]);
  assert.is(new Date((ticks[gap] as Tick).ts).toISOString(), "2023-12-25T23:00:00.106Z");
  assert.is((ticks[gap] as Tick).last, 4800.25, "the opening auction's trade");
  await rejects({ file: SAMPLE, invalidBook: "fail" }, "GAUNTLET_DATA_INVALID", [
    "esh4-glbx-mdp3-20231225.mbo.dbn.zst record 8760",
    "crossed book: best bid 4805 >= best ask 4799.5",
  ]);
});

test("a crossing add is never yielded; trades in skipped events reach the next Tick's volume", async () => {
  const file = write("crossing.dbn", dbn([
    ...SNAPSHOT,
    { action: "A", side: "B", id: 5, price: 4799.25, size: 1, ts: 1 }, // inside the spread: a Tick
    { action: "A", side: "B", id: 6, price: 4800, size: 2, ts: 2 }, // crosses 4799.5
    { action: "T", side: "B", price: 4799.5, size: 2, flags: 0, ts: 3 }, // the trade, mid-event
    { action: "C", side: "A", id: 3, price: 4799.5, size: 2, flags: 0, ts: 3 },
    { action: "N", ts: 3 }, // end of an event that is still crossed (4800 bid vs 4799.5 ask)
    { action: "C", side: "B", id: 6, price: 4800, size: 2, ts: 4 }, // uncrossed again
  ]));
  const ticks = await collect(openDatabentoMbo({ file }));
  assert.equal(ticks.map((t) => [t.source.line, t.bid, t.ask, t.volume, t.last]), [
    [5, 4799.25, 4799.5, 0, (4799.25 + 4799.5) / 2],
    [10, 4799.25, 4799.5, 2, 4799.5],
  ]);
  assert.equal(ticks[1]?.asks, [{ price: 4799.5, size: 2 }, { price: 4800, size: 9 }], "the cancel took 2 of 4");
  await rejects({ file, invalidBook: "fail" }, "GAUNTLET_DATA_INVALID", ["crossing.dbn record 6", "crossed book: best bid 4800 >= best ask 4799.5"]);
});

test("the book is looked at only on F_LAST: a multi-record event yields one Tick with all of it applied", async () => {
  const file = write("event.dbn", dbn([
    ...SNAPSHOT,
    { action: "C", side: "B", id: 1, price: 4799, size: 5, flags: 0, ts: 1 }, // the touch is emptied...
    { action: "M", side: "B", id: 2, price: 4799, size: 3, ts: 1 }, // ...and refilled in the same event
  ]));
  const ticks = await collect(openDatabentoMbo({ file }));
  assert.is(ticks.length, 1);
  assert.equal(ticks[0]?.bids, [{ price: 4799, size: 3 }]);
});

test("a truncated file: cut inside a record, ending inside an event, or a truncated .zst", async () => {
  const whole = dbn([...SNAPSHOT, { action: "A", side: "B", id: 5, price: 4799.25, size: 1 }]);
  await rejects({ file: write("cut.dbn", whole.subarray(0, whole.length - 20)) }, "GAUNTLET_DATA_INVALID", [
    "cut.dbn record 5",
    "truncated: 36 bytes after the last whole record",
  ]);
  const open = dbn([...SNAPSHOT, { action: "A", side: "B", id: 5, price: 4799.25, size: 1, flags: 0 }]);
  await rejects({ file: write("open.dbn", open) }, "GAUNTLET_DATA_INVALID", ["open.dbn record 5", "ends inside an event (1 records after the last F_LAST)"]);
  if (!HAS_ZSTD) return;
  const zst = write("cut.mbo.dbn.zst", fs.readFileSync(SAMPLE).subarray(0, 100_000));
  await rejects({ file: zst }, "GAUNTLET_DATA_INVALID", ["cut.mbo.dbn.zst: zstd could not decompress it", "premature end", "truncated or not zstd"]);
});

test("bad headers and books: not DBN, another schema, another version, no snapshot, unknown order", async () => {
  await rejects({ file: write("text.dbn", Buffer.from("hello, world\n")) }, "GAUNTLET_DATA_INVALID", ['not a DBN file (it does not start with "DBN")']);
  await rejects({ file: write("mbp10.dbn", dbn(SNAPSHOT, { schema: 2 })) }, "GAUNTLET_DATA_INVALID", ["DBN schema 2 is not mbo (0)"]);
  await rejects({ file: write("v2.dbn", dbn(SNAPSHOT, { version: 2 })) }, "GAUNTLET_DATA_INVALID", ["DBN version 2"]);
  const live = [{ action: "A", side: "B", id: 9, price: 4799, size: 1 }];
  await rejects({ file: write("nosnap.dbn", dbn(live)) }, "GAUNTLET_DATA_INVALID", ["nosnap.dbn record 1, field flags", "does not start with a book snapshot"]);
  const unknown = [...SNAPSHOT, { action: "C", side: "B", id: 42, price: 4799, size: 1 }];
  await rejects({ file: write("unknown.dbn", dbn(unknown)) }, "GAUNTLET_DATA_INVALID", ["unknown.dbn record 5, field order_id", "cancels order 42, which is not in the book"]);
  const two = [...SNAPSHOT, { action: "A", side: "B", id: 5, price: 4799, size: 1, instrument: 1 }];
  await rejects({ file: write("two.dbn", dbn(two)) }, "GAUNTLET_DATA_INVALID", ["a second instrument (1 after 17077)"]);
  assert.is((await collect(openDatabentoMbo({ file: path.join(tmp, "two.dbn"), instrumentId: 17077 }))).length, 0, "others skipped when chosen");
});

test("without the zstd command a .zst file fails with GAUNTLET_TOOL_MISSING and says what to install", async () => {
  const saved = process.env.PATH;
  process.env.PATH = path.join(tmp, "no-such-dir");
  try {
    await rejects({ file: SAMPLE }, "GAUNTLET_TOOL_MISSING", ["esh4-glbx-mdp3-20231225.mbo.dbn.zst", "needs the zstd command (zstd -dc)"]);
  } finally {
    process.env.PATH = saved;
  }
});

test("openL2 tells .dbn and .dbn.zst apart from the other formats", async () => {
  const file = write("named.mbo.dbn", dbn([...SNAPSHOT, { action: "A", side: "A", id: 5, price: 4799.75, size: 2 }]));
  assert.is(openL2(file).format, "databento-mbo");
  assert.is(openL2(SAMPLE).format, "databento-mbo");
  assert.is((await collect(openL2(file)))[0]?.asks[1]?.size, 2);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.run();
