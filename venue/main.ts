// The venue simulator Gauntlet provisions for every target (venue protocol v1,
// docs/venue-protocol.md): replays a real L2 book, publishes market data on one TCP port, takes
// orders on another and fills them against the book. An admin HTTP port serves its health (with
// whether a governor is connected), its journal (the ground truth the integrity check reconciles
// against), the start of a held replay, and a reset that may also change the market — so one
// venue serves run after run.
import { appendFileSync, createReadStream, statSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { createServer, type Socket } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { shapeCrash, type CrashApplied } from "../data/crash-shaper.ts";
import { openL2, readerFor, type L2Source } from "../data/readers/index.ts";
import { loopWithContinuity, type LoopStats } from "../data/replay-loop.ts";
import { measureLastEventTs, replayProvenance, type ReplayProvenance } from "../data/replay-provenance.ts";
import { seededRandom } from "../data/seeded-random.ts";
import { thinBook } from "../data/thin-book.ts";
import type { L2Reader, Tick } from "../data/types.ts";
import { encode } from "../protocol/venue-protocol.ts";
import { BookReplay } from "./book-replay.ts";
import { MarketSettingsSchema, type MarketSettings } from "../protocol/market-settings.ts";
import { loadVenueConfig } from "./config.ts";
import { OrderDesk } from "./order-desk.ts";
import { ProtocolFaults } from "./protocol-faults.ts";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const venue = loadVenueConfig();
let market: MarketSettings = venue.market;

/** One line per book change: the series (mid, spread, displayed depth) a report plots. */
function logMarket(tick: Tick): void {
  if (!venue.marketLog) return;
  const depth = (levels: Tick["bids"]) => levels.reduce((sum, level) => sum + level.size, 0);
  appendFileSync(venue.marketLog, `${JSON.stringify({ t: Date.now(), ts: tick.ts, mid: (tick.bid + tick.ask) / 2, spread: tick.ask - tick.bid, bidDepth: depth(tick.bids), askDepth: depth(tick.asks) })}\n`);
}

/**
 * How long a reset may spend finding where the file ends (so that a partial pass can be told as a
 * fraction of it): a tail read or a decompress-and-scan, done before the run's load, never during
 * it. A file too big for this is measured by its first full pass instead.
 */
const MEASURE_BUDGET_MS = 5000;
const lastEventTimes = new Map<string, number | undefined>();

/** The file's last event time, measured once per file version and reader settings. */
async function fileLastTs(source: L2Source): Promise<number | undefined> {
  let key: string;
  try {
    const { size, mtimeMs } = statSync(source.file);
    key = JSON.stringify([source.file, source.format, source.options, size, mtimeMs]);
  } catch {
    return undefined; // the replay reports the missing file
  }
  if (!lastEventTimes.has(key)) {
    const signal = AbortSignal.timeout(MEASURE_BUDGET_MS);
    const ts = await measureLastEventTs(openL2(source), signal).catch(() => undefined);
    if (ts === undefined && signal.aborted) console.log(`venue: ${source.file} is too long to measure in ${MEASURE_BUDGET_MS} ms; its length is known after the first pass`);
    lastEventTimes.set(key, ts);
  }
  return lastEventTimes.get(key);
}

// The market: a real L2 file, looped with continuity when it runs out, bent into a crash if asked.
let loops: LoopStats = { passes: 0, seams: [] };
let replay: BookReplay;
/** What the current replay has played so far (GET /health `replay`). */
let provenance: () => ReplayProvenance;
async function startReplay(): Promise<void> {
  loops = { passes: 0, seams: [] };
  const stats = loops;
  const { replay: settings } = market;
  // A relative source is one of the repo's bundled samples; a user's file comes absolute.
  const source = { file: resolve(REPO_ROOT, settings.source), format: settings.format, options: settings.readerOptions };
  const definition = readerFor(source);
  let reader: L2Reader | undefined;
  const real = loopWithContinuity(() => (reader = openL2(source)), stats, settings.loop ? Number.POSITIVE_INFINITY : 1);
  const crashApplied: CrashApplied = {};
  const shaped = settings.crash ? shapeCrash(real, settings.crash, crashApplied) : real;
  const ticks = settings.sizeScale < 1 ? thinBook(shaped, settings.sizeScale) : shaped;
  const current = (replay = new BookReplay(ticks, settings.speed, settings.autostart));
  if (venue.marketLog) writeFileSync(venue.marketLog, "");
  current.onTick(logMarket);
  current.onTick(publish);
  let lastTs: number | undefined;
  provenance = () => {
    const instrument = reader?.instrument?.();
    const book = current.state.book;
    return replayProvenance({
      file: source.file,
      format: definition.format,
      instrument,
      units: definition.units(instrument),
      speed: settings.speed,
      loop: settings.loop,
      started: current.state.startedAt !== undefined,
      ended: current.state.ended,
      shown: book ? { ts: book.ts, events: current.state.ticks } : undefined,
      loops: stats,
      fileLastTs: lastTs,
      crash: settings.crash,
      crashApplied,
    });
  };
  [, lastTs] = await Promise.all([current.run(), fileLastTs(source)]);
}

// Its own seeded stream, so that applying a fault does not change the round trips of a run.
const protocolFaults = new ProtocolFaults(seededRandom(venue.seed + 1));
const desk = new OrderDesk({
  faults: protocolFaults,
  journal: venue.journal,
  roundTripMs: market.roundTripMs,
  roundTripJitterMs: market.roundTripJitterMs,
  feeBps: market.feeBps,
  minFeeUsd: market.minFeeUsd,
  random: seededRandom(venue.seed),
  book: () => replay.state.book,
});

// Market data: every subscriber gets each book change plus a heartbeat, so that a quiet book
// does not look like stale data. Each connection numbers its ticks 1, 2, 3 … (a gap = loss).
const subscribers = new Map<Socket, { seq: number }>();
function publish(): void {
  const book = replay?.state.book;
  if (!book) return;
  const sentAt = Date.now();
  for (const [socket, state] of subscribers) {
    const tick = { type: "tick" as const, seq: ++state.seq, ts: book.ts, sentAt, bid: book.bid, ask: book.ask, last: book.last };
    for (const sent of protocolFaults.shapeTick(tick)) socket.write(encode(sent));
  }
}
setInterval(publish, venue.heartbeatMs).unref();

const marketData = createServer((socket) => {
  socket.setNoDelay(true);
  subscribers.set(socket, { seq: 0 });
  socket.on("error", () => socket.destroy());
  socket.on("close", () => subscribers.delete(socket));
  publish();
});

/**
 * A new run: the books and the journal emptied, the market and the broker's terms set anew. The
 * connections stay open (a governor that is slow to reconnect is judged in the outages, not at
 * set-up); the fill sequence starts again at 1, and the governor's own reset, which follows,
 * forgets the fills of the last run.
 */
async function reset(settings: MarketSettings): Promise<void> {
  replay?.stop();
  market = settings;
  desk.setTerms({ roundTripMs: market.roundTripMs, roundTripJitterMs: market.roundTripJitterMs, feeBps: market.feeBps, minFeeUsd: market.minFeeUsd });
  desk.reset();
  await startReplay();
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch (error) {
        reject(error);
      }
    });
  });
}

const admin = createHttpServer(async (req, res) => {
  res.setHeader("content-type", "application/json");
  if (req.method === "GET" && req.url === "/health") {
    const book = replay.state.book;
    res.end(JSON.stringify({
      ok: Boolean(book), ...replay.state, book: undefined, loops, ...desk.counts, bid: book?.bid, ask: book?.ask,
      // Exactly what market data was played: file, reader, instrument and units, span, passes, crash.
      replay: provenance(),
      // Whether a governor holds each connection now: a user-started governor is checked by these.
      orderEntryConnected: desk.connected, marketDataSubscribers: subscribers.size,
    }));
  } else if (req.method === "GET" && req.url === "/journal") {
    res.setHeader("content-type", "application/x-ndjson");
    createReadStream(venue.journal).pipe(res);
  } else if (req.method === "POST" && req.url === "/admin/replay/start") {
    const startedAt = replay.start();
    res.end(JSON.stringify({ startedAt, firstTs: replay.state.firstTs }));
  } else if (req.url === "/admin/faults" && req.method === "GET") {
    res.end(JSON.stringify({ faults: protocolFaults.list() }));
  } else if (req.url?.startsWith("/admin/faults/") && (req.method === "PUT" || req.method === "DELETE")) {
    // Venue protocol faults by name (the fault timeline's): PUT applies, DELETE removes (idempotent).
    const name = decodeURIComponent(req.url.slice("/admin/faults/".length));
    if (req.method === "DELETE") {
      res.end(JSON.stringify({ name, removed: protocolFaults.remove(name) }));
      return;
    }
    try {
      const fault = protocolFaults.apply(name, await readJson(req));
      console.log(`venue: protocol fault ${name} applied (${fault.type})`);
      res.end(JSON.stringify({ name, applied: fault }));
    } catch (error) {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: (error as Error).message }));
    }
  } else if (req.method === "POST" && req.url === "/admin/reset") {
    const parsed = MarketSettingsSchema.safeParse(await readJson(req).catch(() => undefined));
    if (!parsed.success) {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }));
      return;
    }
    try {
      await reset(parsed.data);
      res.end(JSON.stringify({ reset: true, market }));
    } catch (error) {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: (error as Error).message }));
    }
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ error: `no route ${req.method} ${req.url}` }));
  }
});

await startReplay();
await desk.listen(venue.orderPort);
await new Promise<void>((resolve) => marketData.listen(venue.marketDataPort, "127.0.0.1", resolve));
await new Promise<void>((resolve) => admin.listen(venue.adminPort, "127.0.0.1", resolve));
console.log(`venue up (protocol v1): orders :${venue.orderPort}, market data :${venue.marketDataPort}, admin :${venue.adminPort}`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    replay.stop();
    process.exit(0);
  });
}
