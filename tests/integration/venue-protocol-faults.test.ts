// Venue protocol faults, through the venue's real order desk on a real TCP connection: what a
// governor receives while each order-entry fault is applied, and that the journal stays the truth.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { connect, type Socket } from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../core/process/ports.ts";
import { onLines } from "../../protocol/venue-connection.ts";
import { encode, type VenueToGovernor } from "../../protocol/venue-protocol.ts";
import { UNSOLICITED_ORDER_PREFIX } from "../../protocol/venue-faults.ts";
import { OrderDesk } from "../../venue/order-desk.ts";
import { ProtocolFaults } from "../../venue/protocol-faults.ts";
import { seededRandom } from "../../data/seeded-random.ts";
import type { Tick } from "../../data/types.ts";
import { tempDir } from "../support/cli.ts";

const BOOK: Tick = {
  ts: 1, bid: 99.99, ask: 100.01, last: 100, volume: 0, source: { file: "test", line: 1 },
  bids: [{ price: 99.99, size: 1000 }], asks: [{ price: 100.01, size: 1000 }],
};

async function session() {
  const journal = join(tempDir(), "journal.ndjson");
  const faults = new ProtocolFaults(seededRandom(3));
  const desk = new OrderDesk({ journal, roundTripMs: 5, roundTripJitterMs: 0, feeBps: 1, minFeeUsd: 0.01, random: seededRandom(1), book: () => BOOK, faults });
  const port = await freePort();
  await desk.listen(port);
  const socket: Socket = connect({ host: "127.0.0.1", port });
  const received: VenueToGovernor[] = [];
  onLines(socket, (line) => received.push(JSON.parse(line) as VenueToGovernor));
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(encode({ type: "hello", version: 1, lastFillSeq: 0, inDoubt: [] }));
  const order = (id: string) => socket.write(encode({ type: "order", clientOrderId: id, side: "buy", qty: 1, marketDataAgeMs: 1 }));
  const journalled = () => readFileSync(journal, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { kind: string; clientOrderId?: string });
  // The desk's server too: a listener left open keeps the test runner alive after the last test.
  const close = async () => {
    socket.destroy();
    await desk.close();
  };
  return { faults, order, received, journalled, close };
}

const kinds = (messages: VenueToGovernor[], id?: string) => messages.filter((m) => !id || ("clientOrderId" in m && m.clientOrderId === id)).map((m) => m.type);

test("duplicate-fill: the fill twice on the wire, once in the journal", async () => {
  const s = await session();
  s.faults.apply("dup", { type: "duplicate-fill" });
  s.order("A");
  await sleep(60);
  const fills = s.received.filter((m) => m.type === "fill");
  assert.is(fills.length, 2);
  assert.equal(fills[0], fills[1]);
  assert.is(s.journalled().filter((r) => r.kind === "fill").length, 1);
  await s.close();
});

test("out-of-order-fills: seq 2 arrives before seq 1; removing the fault releases a held fill", async () => {
  const s = await session();
  s.faults.apply("ooo", { type: "out-of-order-fills", attributes: { holdMs: 500 } });
  s.order("A");
  await sleep(30);
  s.order("B");
  await sleep(60);
  assert.equal(s.received.filter((m) => m.type === "fill").map((m) => (m as { seq: number }).seq), [2, 1]);
  s.order("C");
  await sleep(40);
  assert.is(s.received.filter((m) => m.type === "fill").length, 2, "C's fill is held");
  s.faults.remove("ooo");
  await sleep(10);
  assert.equal(s.received.filter((m) => m.type === "fill").map((m) => (m as { seq: number }).seq), [2, 1, 3]);
  await s.close();
});

test("unknown-order-fill: a fill for an order nobody sent, journalled as a real fill", async () => {
  const s = await session();
  s.faults.apply("unsolicited", { type: "unknown-order-fill", attributes: { qty: 2 } });
  await sleep(30);
  const fill = s.received.find((m) => m.type === "fill") as { clientOrderId: string; qty: number } | undefined;
  assert.ok(fill?.clientOrderId.startsWith(UNSOLICITED_ORDER_PREFIX), JSON.stringify(s.received));
  assert.is(fill!.qty, 2);
  assert.ok(s.journalled().some((r) => r.kind === "fill" && r.clientOrderId === fill!.clientOrderId));
  await s.close();
});

test("late-ack: the ack after the fill; reject-storm: rejected with the reason, no ack, no fill", async () => {
  const s = await session();
  s.faults.apply("late", { type: "late-ack" });
  s.order("A");
  await sleep(60);
  assert.equal(kinds(s.received, "A"), ["fill", "ack"]);
  s.faults.remove("late");
  s.faults.apply("storm", { type: "reject-storm", attributes: { reason: "throttled" } });
  s.order("B");
  await sleep(40);
  assert.equal(kinds(s.received, "B"), ["reject"]);
  assert.is((s.received.find((m) => m.type === "reject") as { reason: string }).reason, "throttled");
  await s.close();
});

test("ack-delay: acks wait N(mean, sd) ms; an unknown fault or a bad attribute is refused by name", async () => {
  const faults = new ProtocolFaults(seededRandom(5));
  faults.apply("slow", { type: "ack-delay", attributes: { meanMs: 30, sdMs: 8 } });
  const delays = Array.from({ length: 4000 }, () => faults.ackDelayMs());
  const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
  const sd = Math.sqrt(delays.reduce((a, b) => a + (b - mean) ** 2, 0) / delays.length);
  assert.ok(Math.abs(mean - 30) < 0.6, `mean ${mean}`);
  assert.ok(Math.abs(sd - 8) < 0.6, `sd ${sd}`);
  assert.throws(() => faults.apply("x", { type: "moon" }), /unknown venue fault "moon" — known: duplicate-fill/);
  assert.throws(() => faults.apply("x", { type: "md-seq-gap", attributes: { dropPct: 150 } }), /dropPct/);
});

test("market data: crossed, frozen, duplicated and lost ticks", () => {
  const faults = new ProtocolFaults(seededRandom(9));
  const tick = (seq: number, sentAt: number) => ({ type: "tick" as const, seq, ts: 1000 + seq, sentAt, bid: 99.99, ask: 100.01, last: 100 });
  faults.apply("crossed", { type: "crossed-book" });
  const [crossed] = faults.shapeTick(tick(1, 10));
  assert.ok(crossed!.bid > crossed!.ask, JSON.stringify(crossed));
  faults.remove("crossed");
  faults.apply("stale", { type: "stale-ticks" });
  faults.shapeTick(tick(2, 20));
  const [frozen] = faults.shapeTick(tick(3, 30));
  assert.equal([frozen!.seq, frozen!.sentAt, frozen!.ts], [3, 20, 1002], "seq counts on, book and sentAt frozen");
  faults.remove("stale");
  faults.apply("twice", { type: "duplicate-ticks" });
  assert.is(faults.shapeTick(tick(4, 40)).length, 2);
  faults.remove("twice");
  faults.apply("gap", { type: "md-seq-gap", attributes: { dropPct: 75 } });
  const sent = Array.from({ length: 400 }, (_, i) => faults.shapeTick(tick(10 + i, 100 + i)).length).reduce((a, b) => a + b, 0);
  assert.ok(sent > 60 && sent < 140, `${sent} of 400 sent at 75% loss`);
  faults.clear();
  assert.equal(faults.shapeTick(tick(500, 500)), [tick(500, 500)]);
});

test.run();
