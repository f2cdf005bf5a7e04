// The venue simulator: replays a real L2 book, publishes market data on one TCP port, takes
// orders on another and fills them against the book. An admin HTTP port serves its health, the
// current book and its journal (the ground truth the integrity check reconciles against).
import { appendFileSync, createReadStream, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer, type Socket } from "node:net";
import { shapeCrash } from "../../data/crash-shaper.ts";
import { openL2 } from "../../data/readers/index.ts";
import { loopWithContinuity, type LoopStats } from "../../data/replay-loop.ts";
import type { Tick } from "../../data/types.ts";
import { loadSandboxConfig } from "../config.ts";
import { send, type TickMessage } from "../wire.ts";
import { BookReplay } from "./book-replay.ts";
import { seededRandom } from "../../data/seeded-random.ts";
import { OrderDesk } from "./order-desk.ts";

const config = loadSandboxConfig();
const venue = config.venue;

// The market: a real L2 file, looped with continuity when it runs out, bent into a crash if asked.
const loops: LoopStats = { passes: 0, seams: [] };
const real = loopWithContinuity(() => openL2(venue.replay.source), loops, venue.replay.loop ? Number.POSITIVE_INFINITY : 1);
const market = venue.replay.crash ? shapeCrash(real, venue.replay.crash) : real;
const replay = new BookReplay(market, venue.replay.speed, venue.replay.autostart);
if (venue.marketLog) writeFileSync(venue.marketLog, "");

/** One line per book change: the series (mid, spread, displayed depth) a report plots. */
function logMarket(tick: Tick): void {
  if (!venue.marketLog) return;
  const depth = (levels: Tick["bids"]) => levels.reduce((sum, level) => sum + level.size, 0);
  appendFileSync(venue.marketLog, `${JSON.stringify({ t: Date.now(), ts: tick.ts, mid: (tick.bid + tick.ask) / 2, spread: tick.ask - tick.bid, bidDepth: depth(tick.bids), askDepth: depth(tick.asks) })}\n`);
}
replay.onTick(logMarket);
const desk = new OrderDesk({
  journal: venue.journal,
  roundTripMs: venue.roundTripMs,
  roundTripJitterMs: venue.roundTripJitterMs,
  feeBps: venue.feeBps,
  minFeeUsd: venue.minFeeUsd,
  random: seededRandom(venue.seed),
  book: () => replay.state.book,
});

// Market data: every subscriber gets each book change plus a heartbeat, so that a quiet book
// does not look like stale data.
const subscribers = new Set<Socket>();
function publish(): void {
  const book = replay.state.book;
  if (!book) return;
  const message: TickMessage = { type: "tick", ts: book.ts, sentAt: Date.now(), bid: book.bid, ask: book.ask, last: book.last };
  for (const socket of subscribers) send(socket, message);
}
replay.onTick(publish);
setInterval(publish, venue.heartbeatMs).unref();

const marketData = createServer((socket) => {
  socket.setNoDelay(true);
  subscribers.add(socket);
  socket.on("error", () => socket.destroy());
  socket.on("close", () => subscribers.delete(socket));
  publish();
});

const admin = createHttpServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") {
    const book = replay.state.book;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: Boolean(book), ...replay.state, book: undefined, loops, ...desk.counts, bid: book?.bid, ask: book?.ask }));
  } else if (req.method === "GET" && req.url === "/journal") {
    res.setHeader("content-type", "application/x-ndjson");
    createReadStream(venue.journal).pipe(res);
  } else if (req.method === "POST" && req.url === "/admin/replay/start") {
    const startedAt = replay.start();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ startedAt, firstTs: replay.state.firstTs }));
  } else if (req.method === "POST" && req.url === "/admin/reset") {
    desk.reset();
    res.end("{}");
  } else {
    res.statusCode = 404;
    res.end();
  }
});

await replay.run();
await desk.listen(venue.orderPort);
await new Promise<void>((resolve) => marketData.listen(venue.marketDataPort, "127.0.0.1", resolve));
await new Promise<void>((resolve) => admin.listen(venue.adminPort, "127.0.0.1", resolve));
console.log(`venue up: orders :${venue.orderPort}, market data :${venue.marketDataPort}, admin :${venue.adminPort}`);

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    replay.stop();
    process.exit(0);
  });
}
