// What a replay played, told exactly (data/replay-provenance.ts): the span on the data's own clock,
// passes as a fraction of the file (71 s of a 5 h file is 0.0039 of a pass, not "played once"),
// each reader's instrument and units, the file's end found ahead, and the crash as the shaper
// applied it with every default filled in — then the notes every report shows.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BINANCE_BTCUSDT, LOBSTER_AAPL } from "../../data/bundled-samples.ts";
import { crashSettings, shapeCrash, type CrashApplied } from "../../data/crash-shaper.ts";
import { baseAsset } from "../../data/readers/binance-usdm.ts";
import { dbnSymbols } from "../../data/readers/databento-mbo.ts";
import { openL2, readerFor } from "../../data/readers/index.ts";
import { loopWithContinuity, type LoopStats } from "../../data/replay-loop.ts";
import { measureLastEventTs, replayProvenance, ReplayProvenanceSchema, type ReplayProgress } from "../../data/replay-provenance.ts";
import type { L2Reader, Tick } from "../../data/types.ts";
import { crashNote, formatFraction, observationsNote, observationsProvenance, replayNote } from "../../plugins/shared/market-data-notes.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const LOBSTER = path.join(root, LOBSTER_AAPL.messageFile);
const BINANCE = path.join(root, BINANCE_BTCUSDT.file);
const DATABENTO = path.join(root, "data/samples/databento/esh4-glbx-mdp3-20231225.mbo.dbn.zst");
const zstdTest = spawnSync("zstd", ["--version"]).error === undefined ? test : test.skip;

/** 09:30:00.004241 and 09:30:49.086375 New York on 2012-06-21: the sample's first and last message. */
const AAPL_FIRST = Date.UTC(2012, 5, 21, 13, 30, 0) + 4.241176;
const AAPL_LAST = Date.UTC(2012, 5, 21, 13, 30, 49) + 86.375027;
const near = (a: number | null | undefined, b: number, what: string, eps = 1e-6) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < eps, `${what}: ${a} vs ${b}`);

async function firstTicks(reader: L2Reader, n: number): Promise<Tick[]> {
  const out: Tick[] = [];
  for await (const tick of reader.ticks()) {
    out.push(tick);
    if (out.length >= n) break;
  }
  return out;
}

function progress(over: Partial<ReplayProgress>): ReplayProgress {
  return {
    file: BINANCE,
    format: "binance-usdm",
    instrument: "BTCUSDT",
    units: "BTC",
    speed: 1,
    loop: true,
    started: true,
    ended: false,
    shown: undefined,
    loops: { passes: 0, seams: [] },
    fileLastTs: undefined,
    crash: undefined,
    crashApplied: {},
    ...over,
  };
}

// ---- readers: instrument, units, the file's last event ----

test("each reader names its units: shares, the base asset of a USD-M pair, contracts", () => {
  assert.is(readerFor({ file: LOBSTER }).units("AAPL"), "shares");
  const binance = readerFor({ file: BINANCE });
  assert.equal(["BTCUSDT", "ethusdc", "BTCUSDT_240927", "1000PEPEUSDT"].map((s) => binance.units(s)), ["BTC", "ETH", "BTC", "1000PEPE"]);
  assert.is(binance.units(undefined), "base-asset units", "before the data named its symbol");
  assert.is(baseAsset("USDT"), undefined, "a quote alone has no base");
  assert.is(readerFor({ file: DATABENTO }).units("ESH4"), "contracts");
});

test("LOBSTER: the ticker from the file name, the last message's time from the file's tail", async () => {
  const reader = openL2(LOBSTER);
  assert.is(reader.instrument?.(), "AAPL");
  near(await reader.lastEventTs?.(), AAPL_LAST, "last event", 1e-3);
  let last = 0;
  for await (const tick of reader.ticks()) last = tick.ts;
  assert.is(await reader.lastEventTs?.(), last, "the same ts the replay reaches");
});

test("Binance: the symbol from the first diff, the last diff's event time by a scan", async () => {
  const reader = openL2(BINANCE);
  assert.is(reader.instrument?.(), undefined, "not known before the data is read");
  const [first] = await firstTicks(reader, 1);
  assert.is(first?.ts, 1723161256509);
  assert.is(reader.instrument?.(), "BTCUSDT");
  const lastTs = await measureLastEventTs(reader, new AbortController().signal);
  let last = 0;
  for await (const tick of openL2(BINANCE).ticks()) last = tick.ts;
  assert.is(lastTs, last, "the scan finds the replay's last tick");
  assert.is(lastTs, 1723161601105);
  const plain = openL2({ file: path.join(root, "tests/fixtures/l2/btcusdt_collector.txt"), format: "binance-usdm" });
  let plainLast = 0;
  for await (const tick of plain.ticks()) plainLast = tick.ts;
  assert.is(await plain.lastEventTs?.(), plainLast, "an uncompressed capture too");
  const aborted = new AbortController();
  aborted.abort();
  assert.is(await measureLastEventTs(openL2(BINANCE), aborted.signal), undefined, "stops when asked");
});

zstdTest("Databento: the raw symbol from the metadata's mappings; the last event by reading the ticks", async () => {
  const reader = openL2(DATABENTO);
  await firstTicks(reader, 1);
  assert.is(reader.instrument?.(), "ESH4");
  assert.is(reader.lastEventTs, undefined, "no cheap way: the caller replays the file");
  const lastTs = await measureLastEventTs(openL2(DATABENTO), new AbortController().signal);
  assert.is(new Date(lastTs!).toISOString(), "2023-12-25T23:59:59.446Z");
});

test("dbnSymbols reads the v1 metadata's symbols and instrument_id mappings, and gives up quietly on a short one", () => {
  const cstr = (text: string) => Buffer.concat([Buffer.from(text, "latin1"), Buffer.alloc(22 - text.length)]);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const meta = Buffer.concat([Buffer.alloc(100), u32(0), u32(2), cstr("ESH4"), cstr("ESM4"), u32(0), u32(0), u32(2), cstr("ESH4"), u32(1), u32(20231225), u32(20231226), cstr("17077"), cstr("ESM4"), u32(1), u32(20231225), u32(20231226), cstr("42")]);
  const buf = Buffer.concat([Buffer.from("DBN\x01", "latin1"), u32(meta.length), meta]);
  const symbols = dbnSymbols(buf, meta.length);
  assert.equal(symbols.requested, ["ESH4", "ESM4"]);
  assert.equal([...symbols.byId], [[17077, "ESH4"], [42, "ESM4"]]);
  assert.equal(dbnSymbols(buf.subarray(0, 40), 32).requested, []);
});

// ---- the loop's record: seams with their time shift, the file's own first and last ts ----

test("the loop records the file's own first and last ts and each seam's time shift", async () => {
  const stats: LoopStats = { passes: 0, seams: [] };
  const seen: Tick[] = [];
  for await (const tick of loopWithContinuity(() => openL2(LOBSTER), stats, 2)) seen.push(tick);
  near(stats.firstTs, AAPL_FIRST, "first", 1e-3);
  near(stats.lastTs, AAPL_LAST, "last", 1e-3);
  assert.is(stats.passes, 2);
  const seam = stats.seams[0]!;
  assert.is(seam.pass, 1);
  const second = seen[seen.length / 2]!;
  assert.is(second.ts, seam.ts, "the seam is the second pass's first tick");
  near(second.ts - seam.timeShift, stats.firstTs!, "its own ts is the file's first");
});

// ---- provenance: span, passes, crash ----

test("a partial first pass of a long file is a fraction of one pass, on the data's own clock", () => {
  // 71 s played of a file that spans 5 h: 0.0039 of a pass, never "played once".
  const first = 1_723_161_256_509;
  const p = replayProvenance(progress({ loops: { passes: 0, seams: [], firstTs: first }, fileLastTs: first + 5 * 3600_000, shown: { ts: first + 71_000, events: 1234 } }));
  assert.equal(p.passes, { completed: 0, ofCurrent: 71 / 18_000, total: 71 / 18_000 });
  assert.equal(p.played, { fromTs: first, toTs: first + 71_000, from: new Date(first).toISOString(), to: new Date(first + 71_000).toISOString(), seconds: 71 });
  assert.is(p.fileSpan?.seconds, 18_000);
  assert.is(p.events, 1234);
  assert.is(formatFraction(p.passes.total!), "0.0039");
  assert.ok(ReplayProvenanceSchema.safeParse(p).success, "the shape /health serves");
});

test("without the file's length the passes are not guessed", () => {
  const p = replayProvenance(progress({ loops: { passes: 0, seams: [], firstTs: 1000 }, shown: { ts: 72_000, events: 10 } }));
  assert.equal(p.passes, { completed: 0, ofCurrent: null, total: null });
  assert.is(p.fileSpan, null);
  assert.is(p.played?.seconds, 71);
});

test("looped: the pass is the one the shown tick is in, and `to` is on the data's own clock", () => {
  // A 49 s file; the second pass starts 50 s in (shifted by 50 s); the third one is already open.
  const loops: LoopStats = { passes: 2, firstTs: 0, lastTs: 49_000, seams: [{ pass: 1, ts: 50_000, priceShift: 0.01, timeShift: 50_000 }, { pass: 2, ts: 100_000, priceShift: -0.02, timeShift: 100_000 }] };
  const at = (ts: number) => replayProvenance(progress({ loops, shown: { ts, events: 1 } }));
  const mid = at(74_500);
  assert.equal(mid.passes, { completed: 1, ofCurrent: 0.5, total: 1.5 });
  assert.equal([mid.played?.fromTs, mid.played?.toTs, mid.played?.seconds], [0, 24_500, 74.5]);
  // The last tick of the second pass is shown while the loop has opened the third: 2 passes, not 3.
  assert.equal(at(99_000).passes, { completed: 2, ofCurrent: 0, total: 2 });
  assert.equal(at(100_000).passes, { completed: 2, ofCurrent: 0, total: 2 });
  assert.equal(at(0).passes, { completed: 0, ofCurrent: 0, total: 0 });
});

test("the crash as applied: every default filled in, the tick size and window found on the book", async () => {
  const applied: CrashApplied = {};
  const settings = crashSettings({ startSeconds: 20, windowSeconds: 30 });
  assert.equal(settings, { startSeconds: 20, windowSeconds: 30, dropPct: 10, path: "linear", spreadFactor: 3, depthRemovedPct: 80, recovery: "none", seed: 1 });
  const stats: LoopStats = { passes: 0, seams: [] };
  let shown: Tick | undefined;
  let count = 0;
  let lastBefore: Tick | undefined;
  for await (const tick of shapeCrash(loopWithContinuity(() => openL2(LOBSTER), stats), settings, applied)) {
    if (tick.ts < AAPL_FIRST + 20_000) lastBefore = tick;
    shown = tick;
    count++;
    if (tick.ts - AAPL_FIRST >= 71_000) break;
  }
  assert.equal([applied.tickSize, applied.tickSizeInferred], [0.01, true]);
  near(applied.windowStartTs, AAPL_FIRST + 20_000, "window start", 1e-3);
  near(applied.windowEndTs, AAPL_FIRST + 50_000, "window end", 1e-3);
  near(applied.referenceMid, (lastBefore!.bid + lastBefore!.ask) / 2, "reference mid");
  assert.is(applied.dropTicks, Math.round((applied.referenceMid! * 0.1) / 0.01));
  const p = replayProvenance(progress({ file: LOBSTER, format: "lobster", instrument: "AAPL", units: "shares", loops: stats, shown: { ts: shown!.ts, events: count }, crash: settings, crashApplied: applied }));
  assert.equal(p.crash, { ...settings, tickSize: 0.01, tickSizeInferred: true, windowStartTs: applied.windowStartTs!, windowEndTs: applied.windowEndTs!, referenceMid: applied.referenceMid!, dropTicks: applied.dropTicks! });
  // 71 s of a 49.08 s file: one whole pass and 0.45 of the next.
  assert.is(p.passes.completed, 1);
  near(p.passes.total, 1 + (shown!.ts - stats.seams[0]!.ts) / (AAPL_LAST - AAPL_FIRST), "passes", 1e-9);
  assert.ok(ReplayProvenanceSchema.safeParse(p).success);
});

// ---- the notes every report shows ----

test("the notes: a partial Binance pass, a looped LOBSTER sample, the crash with its defaults, the observations' source", () => {
  const first = 1_723_161_256_509;
  const binance = replayProvenance(progress({ loops: { passes: 0, seams: [], firstTs: first }, fileLastTs: 1_723_161_601_105, shown: { ts: first + 71_000, events: 1500 } }));
  const note = replayNote(binance);
  for (const part of [
    "Market data: real L2 replay of data/samples/binance/btcusdt_20240808.gz (binance-usdm reader), BTCUSDT, sizes in BTC: 71 s of data (1500 book events)",
    "from 2024-08-08 23:54:16.509 UTC to 2024-08-08 23:55:27.509 UTC (the data's own clock) at 1x real time",
    "0.21 of one pass of the file's 5 min 45 s",
    "the replay never reached the file's end",
  ]) assert.ok(note.includes(part), `"${part}" not in: ${note}`);

  const loops: LoopStats = { passes: 1, firstTs: AAPL_FIRST, lastTs: AAPL_LAST, seams: [{ pass: 1, ts: AAPL_LAST + 1, priceShift: 0.01, timeShift: AAPL_LAST + 1 - AAPL_FIRST }] };
  const lobster = replayProvenance(progress({ file: LOBSTER, format: "lobster", instrument: "AAPL", units: "shares", loops, shown: { ts: AAPL_FIRST + 71_000, events: 1700 } }));
  const looped = replayNote(lobster);
  for (const part of ["(lobster reader), AAPL, sizes in shares: 71 s of data", "the file's 49.1 s (2012-06-21 13:30:00.004 UTC to 2012-06-21 13:30:49.086 UTC, the data's own clock)", "played 1.45 times: 1 whole pass, then 0.45 of the next", "looped with continuity", "+0.0100"]) {
    assert.ok(looped.includes(part), `"${part}" not in: ${looped}`);
  }

  const crash = crashNote({ ...crashSettings({}), tickSize: 0.01, tickSizeInferred: true, windowStartTs: AAPL_FIRST + 10_000, windowEndTs: AAPL_FIRST + 40_000, referenceMid: 585.3, dropTicks: 5853 });
  for (const part of ["a 10% fall (5853 ticks of 0.01 from a mid of 585.3) along a linear path over 30 s starting 10 s into the replay", "spreads x3, displayed depth −80%, no recovery afterwards; tick size 0.01 (inferred from the book), seed 1"]) {
    assert.ok(crash.includes(part), `"${part}" not in: ${crash}`);
  }

  const fromBinance = observationsProvenance(binance);
  assert.equal([fromBinance.builtFrom, fromBinance.fromReplayedFile], [LOBSTER_AAPL.description, false]);
  const observed = observationsNote(fromBinance, binance, "AAPL");
  assert.ok(observed.includes("precomputed from the bundled LOBSTER AAPL 2012-06-21 (level 10) sample") && observed.includes("not from the replayed BTCUSDT book; the decisions name symbol \"AAPL\""), observed);
  const fromLobster = observationsProvenance(lobster);
  assert.is(fromLobster.fromReplayedFile, true);
  assert.ok(observationsNote(fromLobster, lobster, "AAPL").includes("from the same bundled sample"), observationsNote(fromLobster, lobster, "AAPL"));
});

test.run();
