// The venue's order entry (venue protocol v1, docs/venue-protocol.md): accepts market orders over
// TCP, acknowledges at once, fills after the broker round trip by walking the book as it is then,
// and writes every order, cancel, reject and fill to its journal before telling the client — so
// the journal is the ground truth even when the connection drops. A reconnecting client says which
// fill it saw last and gets the rest again. A line that is not a valid message is journalled as a
// protocol error (the governor's bug is on the record) and answered with a reject when it names an
// order.
import { appendFileSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { Tick } from "../data/types.ts";
import { onLines } from "../protocol/venue-connection.ts";
import {
  encode,
  GovernorToVenueSchema,
  PARTIAL_FILL_REASON,
  VENUE_PROTOCOL_VERSION,
  type CancelMessage,
  type FillMessage,
  type OrderMessage,
  type VenueToGovernor,
} from "../protocol/venue-protocol.ts";
import { UNSOLICITED_ORDER_PREFIX } from "../protocol/venue-faults.ts";
import { feeFor, roundTripDelay, walkBook } from "./fill-model.ts";
import type { ProtocolFaults } from "./protocol-faults.ts";

/** The broker's terms: round trip and commission. A venue reset may change them. */
export interface BrokerTerms {
  roundTripMs: number;
  roundTripJitterMs: number;
  feeBps: number;
  minFeeUsd: number;
}

export interface OrderDeskOptions extends BrokerTerms {
  journal: string;
  random: () => number;
  book: () => Tick | undefined;
  /** Protocol faults applied now: how acks and fills go out (the journal is never touched). */
  faults: ProtocolFaults;
}

/** An order acknowledged and waiting for its fill (the broker round trip). */
interface Working {
  order: OrderMessage;
  timer: NodeJS.Timeout;
}

export class OrderDesk {
  private readonly fills: FillMessage[] = [];
  private readonly seen = new Set<string>();
  private readonly working = new Map<string, Working>();
  /** late-ack: acks withheld until their order is over (filled, cancelled or rejected). */
  private readonly lateAcks = new Map<string, number>();
  /** out-of-order-fills: the fill held back to be overtaken by the next. */
  private heldFill: { fill: FillMessage; timer: NodeJS.Timeout } | undefined;
  private unsolicited = 0;
  private client: Socket | undefined;
  private server: Server | undefined;
  counts = { orders: 0, duplicates: 0, fills: 0, partialFills: 0, rejects: 0, cancels: 0, protocolErrors: 0, connects: 0 };

  constructor(private readonly options: OrderDeskOptions) {
    writeFileSync(options.journal, "");
    options.faults.onChange = (fault, change) => {
      if (change === "apply" && fault.type === "unknown-order-fill") this.unsolicitedFill(fault.attributes.qty);
      if (change === "remove" && fault.type === "out-of-order-fills") this.releaseHeldFill();
      if (change === "remove" && fault.type === "late-ack") for (const id of [...this.lateAcks.keys()]) this.sendLateAck(id);
    };
  }

  /** Whether a governor holds the order-entry connection now. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  listen(port: number): Promise<void> {
    this.server = createServer((socket) => this.accept(socket));
    return new Promise((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
  }

  /** Stop listening and drop the governor's connection (the venue's process exits instead; tests need it). */
  close(): Promise<void> {
    for (const working of this.working.values()) clearTimeout(working.timer);
    if (this.heldFill) clearTimeout(this.heldFill.timer);
    this.client?.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  setTerms(terms: BrokerTerms): void {
    Object.assign(this.options, terms);
  }

  reset(): void {
    for (const working of this.working.values()) clearTimeout(working.timer);
    this.working.clear();
    this.options.faults.clear();
    this.lateAcks.clear();
    if (this.heldFill) clearTimeout(this.heldFill.timer);
    this.heldFill = undefined;
    this.fills.length = 0;
    this.seen.clear();
    this.counts = { orders: 0, duplicates: 0, fills: 0, partialFills: 0, rejects: 0, cancels: 0, protocolErrors: 0, connects: this.counts.connects };
    writeFileSync(this.options.journal, "");
  }

  private journal(record: object): void {
    appendFileSync(this.options.journal, `${JSON.stringify(record)}\n`);
  }

  private send(socket: Socket | undefined, message: VenueToGovernor): void {
    socket?.write(encode(message));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.client = socket;
    this.counts.connects++;
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (this.client === socket) this.client = undefined;
    });
    onLines(socket, (line) => this.receive(socket, line));
  }

  private receive(socket: Socket, line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return this.protocolError(socket, line, "not JSON");
    }
    const parsed = GovernorToVenueSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return this.protocolError(socket, line, `${issue?.path.join(".") || "(message)"}: ${issue?.message ?? "invalid"}`, (raw as { clientOrderId?: unknown })?.clientOrderId);
    }
    const message = parsed.data;
    if (message.type === "hello") this.greet(socket, message.lastFillSeq, message.inDoubt);
    else if (message.type === "order") this.onOrder(socket, message);
    else this.onCancel(socket, message);
  }

  private protocolError(socket: Socket, line: string, why: string, clientOrderId?: unknown): void {
    this.counts.protocolErrors++;
    this.journal({ kind: "protocol-error", line: line.slice(0, 500), why, at: Date.now() });
    if (typeof clientOrderId === "string" && clientOrderId) this.reject(socket, clientOrderId, `invalid message: ${why}`);
  }

  /** A (re)connecting client: replay the fills it missed, then say which of its in-doubt orders we have. */
  private greet(socket: Socket, after: number, inDoubt: string[]): void {
    for (const fill of this.fills) if (fill.seq > after) this.send(socket, fill);
    this.send(socket, { type: "hello", version: VENUE_PROTOCOL_VERSION, known: inDoubt.filter((id) => this.seen.has(id)) });
  }

  private onOrder(socket: Socket, order: OrderMessage): void {
    const receivedAt = Date.now();
    // The venue journals duplicates too: a governor that sends a queued order twice is caught
    // by the integrity check, not hidden by the venue.
    const duplicate = this.seen.has(order.clientOrderId);
    this.seen.add(order.clientOrderId);
    this.counts.orders++;
    if (duplicate) this.counts.duplicates++;
    this.journal({
      kind: "order", clientOrderId: order.clientOrderId, decisionId: order.decisionId, side: order.side, qty: order.qty,
      createdAt: order.createdAt, sentAt: order.sentAt, marketDataAgeMs: order.marketDataAgeMs, receivedAt, duplicate,
    });
    const book = this.options.book();
    if (!book) return this.reject(socket, order.clientOrderId, "no market");
    const { faults } = this.options;
    const storm = faults.active("reject-storm");
    if (storm) return this.reject(socket, order.clientOrderId, storm.attributes.reason);
    // The ack: at once, after a drawn delay (ack-delay), or only once the order is over (late-ack).
    const ackDelay = faults.ackDelayMs();
    const ack = { type: "ack" as const, clientOrderId: order.clientOrderId, at: receivedAt };
    if (faults.active("late-ack")) this.lateAcks.set(order.clientOrderId, receivedAt);
    else if (ackDelay > 0) setTimeout(() => this.send(this.client, { ...ack, at: Date.now() }), ackDelay);
    else this.send(socket, ack);
    const delay = ackDelay + roundTripDelay(this.options.roundTripMs, this.options.roundTripJitterMs, this.options.random);
    const timer = setTimeout(() => this.fill(order), delay);
    this.working.set(order.clientOrderId, { order, timer });
  }

  /** A cancel in time stops the fill; one for an order the venue never had is journalled as given up. */
  private onCancel(socket: Socket, cancel: CancelMessage): void {
    const at = Date.now();
    const working = this.working.get(cancel.clientOrderId);
    if (working) {
      clearTimeout(working.timer);
      this.working.delete(cancel.clientOrderId);
    } else if (this.seen.has(cancel.clientOrderId)) {
      this.journal({ kind: "cancel-rejected", clientOrderId: cancel.clientOrderId, reason: cancel.reason, at, why: "already filled or rejected" });
      return this.reject(socket, cancel.clientOrderId, "unknown order");
    }
    this.counts.cancels++;
    const remainingQty = working?.order.qty ?? 0;
    this.journal({ kind: "cancel", clientOrderId: cancel.clientOrderId, reason: cancel.reason, at, known: working !== undefined, remainingQty });
    this.send(socket, { type: "cancelled", clientOrderId: cancel.clientOrderId, reason: cancel.reason, remainingQty, at });
    this.sendLateAck(cancel.clientOrderId);
  }

  private reject(socket: Socket | undefined, clientOrderId: string, reason: string): void {
    const at = Date.now();
    this.counts.rejects++;
    this.journal({ kind: "reject", clientOrderId, reason, at });
    this.send(socket, { type: "reject", clientOrderId, reason, at });
    this.sendLateAck(clientOrderId);
  }

  /** late-ack: the withheld ack, now that its order is over. */
  private sendLateAck(clientOrderId: string): void {
    const receivedAt = this.lateAcks.get(clientOrderId);
    if (receivedAt === undefined) return;
    this.lateAcks.delete(clientOrderId);
    this.send(this.client, { type: "ack", clientOrderId, at: receivedAt });
  }

  /** A fill on its way out: twice (duplicate-fill), or held back to be overtaken (out-of-order-fills). */
  private deliverFill(fill: FillMessage): void {
    const { faults } = this.options;
    const reorder = faults.active("out-of-order-fills");
    if (reorder && !this.heldFill) {
      this.heldFill = { fill, timer: setTimeout(() => this.releaseHeldFill(), reorder.attributes.holdMs) };
      return;
    }
    this.send(this.client, fill);
    if (faults.active("duplicate-fill")) this.send(this.client, fill);
    this.releaseHeldFill();
  }

  private releaseHeldFill(): void {
    const held = this.heldFill;
    if (!held) return;
    clearTimeout(held.timer);
    this.heldFill = undefined;
    this.send(this.client, held.fill);
    if (this.options.faults.active("duplicate-fill")) this.send(this.client, held.fill);
  }

  /** unknown-order-fill: a fill for an order no governor sent (a manual trade on the account), journalled as real. */
  private unsolicitedFill(qty: number): void {
    const book = this.options.book();
    if (!book) return;
    const clientOrderId = `${UNSOLICITED_ORDER_PREFIX}${++this.unsolicited}`;
    this.record({ clientOrderId, side: "buy", qty }, book);
  }

  private fill(order: OrderMessage): void {
    this.working.delete(order.clientOrderId);
    const book = this.options.book();
    if (!book) return this.reject(this.client, order.clientOrderId, "no market");
    this.record(order, book);
  }

  /** Walk the book for an order, journal the fill (and the cancelled rest), then tell the client. */
  private record(order: Pick<OrderMessage, "clientOrderId" | "side" | "qty">, book: Tick): void {
    const levels = order.side === "buy" ? book.asks : book.bids;
    const walked = walkBook(levels, order.qty);
    if (walked.qty <= 0) return this.reject(this.client, order.clientOrderId, "no liquidity");
    const fill: FillMessage = {
      type: "fill",
      seq: this.fills.length + 1,
      clientOrderId: order.clientOrderId,
      fillId: `F${this.fills.length + 1}`,
      side: order.side,
      qty: walked.qty,
      price: walked.price,
      fee: feeFor(walked.qty * walked.price, this.options.feeBps, this.options.minFeeUsd),
      levels: walked.levels,
      at: Date.now(),
    };
    this.fills.push(fill);
    this.counts.fills++;
    this.journal({ kind: "fill", ...fill, bookTs: book.ts, bid: book.bid, ask: book.ask });
    this.deliverFill(fill);
    const remainingQty = order.qty - walked.qty;
    if (remainingQty > 1e-9) {
      // A partial fill: the displayed book ran out; the rest of a market order is cancelled.
      this.counts.partialFills++;
      this.journal({ kind: "cancel", clientOrderId: order.clientOrderId, reason: PARTIAL_FILL_REASON, at: fill.at, known: true, remainingQty });
      this.send(this.client, { type: "cancelled", clientOrderId: order.clientOrderId, reason: PARTIAL_FILL_REASON, remainingQty, at: fill.at });
    }
    this.sendLateAck(order.clientOrderId);
  }
}
