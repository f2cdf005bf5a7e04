// The venue's order entry: accepts market orders over TCP, acknowledges at once, fills after the
// broker round trip by walking the book as it is then, and writes every order, reject and fill to
// its journal before telling the client — so the journal is the ground truth even when the
// connection drops. A reconnecting client says which fill it saw last and gets the rest again.
import { appendFileSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import type { Tick } from "../../data/types.ts";
import { onLines, send, type FillMessage, type OrderMessage } from "../wire.ts";
import { feeFor, roundTripDelay, walkBook } from "./fill-model.ts";

export interface OrderDeskOptions {
  journal: string;
  roundTripMs: number;
  roundTripJitterMs: number;
  feeBps: number;
  minFeeUsd: number;
  random: () => number;
  book: () => Tick | undefined;
}

export class OrderDesk {
  private readonly fills: FillMessage[] = [];
  private readonly seen = new Set<string>();
  private client: Socket | undefined;
  private server: Server | undefined;
  counts = { orders: 0, duplicates: 0, fills: 0, rejects: 0 };

  constructor(private readonly options: OrderDeskOptions) {
    writeFileSync(options.journal, "");
  }

  listen(port: number): Promise<void> {
    this.server = createServer((socket) => this.accept(socket));
    return new Promise((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
  }

  reset(): void {
    this.fills.length = 0;
    this.seen.clear();
    this.counts = { orders: 0, duplicates: 0, fills: 0, rejects: 0 };
    writeFileSync(this.options.journal, "");
  }

  private journal(record: object): void {
    appendFileSync(this.options.journal, `${JSON.stringify(record)}\n`);
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.client = socket;
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (this.client === socket) this.client = undefined;
    });
    onLines(socket, (line) => {
      let message: { type?: string; lastFillSeq?: number; inDoubt?: string[] };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message.type === "hello") this.greet(socket, message.lastFillSeq ?? 0, message.inDoubt ?? []);
      else if (message.type === "order") this.onOrder(socket, message as unknown as OrderMessage);
    });
  }

  /** A (re)connecting client: replay the fills it missed, then say which of its in-doubt orders we have. */
  private greet(socket: Socket, after: number, inDoubt: string[]): void {
    for (const fill of this.fills) if (fill.seq > after) send(socket, fill);
    send(socket, { type: "hello", known: inDoubt.filter((id) => this.seen.has(id)) });
  }

  private onOrder(socket: Socket, order: OrderMessage): void {
    const receivedAt = Date.now();
    // The venue journals duplicates too: a governor that sends a queued order twice is caught
    // by the integrity check, not hidden by the venue.
    const duplicate = this.seen.has(order.clientOrderId);
    this.seen.add(order.clientOrderId);
    this.counts.orders++;
    if (duplicate) this.counts.duplicates++;
    this.journal({ kind: "order", clientOrderId: order.clientOrderId, side: order.side, qty: order.qty, sentAt: order.sentAt, marketDataAgeMs: order.marketDataAgeMs, receivedAt, duplicate });
    const book = this.options.book();
    if (!book || !(order.qty > 0) || (order.side !== "buy" && order.side !== "sell")) {
      this.reject(socket, order.clientOrderId, book ? "invalid order" : "no market");
      return;
    }
    send(socket, { type: "ack", clientOrderId: order.clientOrderId, at: receivedAt });
    const delay = roundTripDelay(this.options.roundTripMs, this.options.roundTripJitterMs, this.options.random);
    setTimeout(() => this.fill(order), delay);
  }

  private reject(socket: Socket, clientOrderId: string, reason: string): void {
    const at = Date.now();
    this.counts.rejects++;
    this.journal({ kind: "reject", clientOrderId, reason, at });
    send(socket, { type: "reject", clientOrderId, reason, at });
  }

  private fill(order: OrderMessage): void {
    const book = this.options.book();
    if (!book) return;
    const levels = order.side === "buy" ? book.asks : book.bids;
    const walked = walkBook(levels, order.qty);
    if (walked.qty <= 0) {
      if (this.client) this.reject(this.client, order.clientOrderId, "no liquidity");
      return;
    }
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
    if (this.client) send(this.client, fill);
  }
}
