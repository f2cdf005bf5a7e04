// The order path to the venue, and what happens to orders when it breaks.
//
// Every order written to the venue waits for its ack. A link that goes quiet (no ack within
// `ackTimeoutMs`: a half-open connection, a black hole) is declared dead and dropped; the orders
// written into it are "in doubt" — the venue may or may not have them. On every (re)connect the
// governor says which fill it saw last and which orders are in doubt; the venue replays the fills
// it missed and answers which in-doubt orders it knows. An unknown order is sent again exactly
// once if it is still fresh, otherwise cancelled with a reason — told to the venue too, so its
// journal accounts for every order. Nothing is lost, nothing is sent twice — unless a seeded fault
// says so. The framing and the messages are the venue protocol's (protocol/).
import { VenueConnection } from "../../protocol/venue-connection.ts";
import { encode, VENUE_PROTOCOL_VERSION, type AckMessage, type FillMessage, type OrderMessage, type RejectMessage, type VenueToGovernor } from "../../protocol/venue-protocol.ts";

export interface BrokerEvents {
  onAck(message: AckMessage): void;
  onFill(message: FillMessage): void;
  onReject(message: RejectMessage): void;
  onSent(order: OrderMessage): void;
  /** An in-doubt order the venue never received, given up on (too old to send now). */
  onCancel(order: OrderMessage, reason: string): void;
  onConnectionChange(connected: boolean): void;
}

export interface BrokerPolicy {
  ackTimeoutMs: number;
  /** An in-doubt order younger than this is sent again; older ones are cancelled. */
  resendWithinMs: number;
  retryMs: number;
  /** Seeded faults. */
  resendTwice?: boolean;
  dropInDoubt?: boolean;
  /** Seeded fault: a fill whose seq is not above the last one seen is taken for a duplicate. */
  fillSeqHighWater?: boolean;
}

export const DEFAULT_BROKER_POLICY: BrokerPolicy = { ackTimeoutMs: 1000, resendWithinMs: 5000, retryMs: 100 };

interface InFlight {
  order: OrderMessage;
  createdAt: number;
  writtenAt: number;
}

export class BrokerLink {
  /** Approved orders not yet written (the link was down or not yet up). */
  readonly queue: Array<{ order: OrderMessage; createdAt: number }> = [];
  /** Written, not yet acknowledged. */
  private readonly inFlight = new Map<string, InFlight>();
  /** Every fill up to this seq is applied (what the hello tells the venue: it replays the rest). */
  private lastFillSeq = 0;
  /** Fills applied above lastFillSeq: fills may arrive out of order, and a resend repeats a seq. */
  private readonly appliedAbove = new Set<number>();
  private readonly link: VenueConnection;
  private readonly watchdog: NodeJS.Timeout;
  /** Waiting for the venue's answer to our hello (since helloAt). */
  private greeting = false;
  private helloAt = 0;

  constructor(
    address: string,
    private readonly events: BrokerEvents,
    private readonly policy: BrokerPolicy = DEFAULT_BROKER_POLICY,
  ) {
    this.link = new VenueConnection(
      address,
      {
        onConnect: (socket) => {
          this.greeting = true;
          this.helloAt = Date.now();
          const inDoubt = [...this.inFlight.keys()];
          socket.write(encode({ type: "hello", version: VENUE_PROTOCOL_VERSION, lastFillSeq: this.lastFillSeq, inDoubt }));
          this.events.onConnectionChange(true);
        },
        onDisconnect: () => this.events.onConnectionChange(false),
        onLine: (line) => this.receive(line),
      },
      policy.retryMs,
    );
    this.watchdog = setInterval(() => this.checkAcks(), 100);
    this.watchdog.unref();
  }

  start(): void {
    this.link.start();
  }

  stop(): void {
    clearInterval(this.watchdog);
    this.link.stop();
  }

  /** Connected, greeted, and not waiting on a dead link. */
  get connected(): boolean {
    return this.link.connected && !this.greeting;
  }

  inFlightCount(): number {
    return this.inFlight.size;
  }

  /** A new run (the venue was reset too): no order is pending, no fill has been seen. */
  reset(): void {
    this.queue.length = 0;
    this.inFlight.clear();
    this.lastFillSeq = 0;
    this.appliedAbove.clear();
  }

  submit(order: OrderMessage, createdAt = Date.now()): void {
    this.queue.push({ order, createdAt });
    if (this.connected) this.flush();
  }

  private write(order: OrderMessage, createdAt: number): void {
    order.sentAt = Date.now();
    this.inFlight.set(order.clientOrderId, { order, createdAt, writtenAt: order.sentAt });
    this.link.write(encode(order));
    this.events.onSent(order);
  }

  private flush(): void {
    while (this.queue.length > 0 && this.connected) {
      const next = this.queue.shift()!;
      this.write(next.order, next.createdAt);
    }
  }

  /** A quiet link is a dead link: no ack in time means drop it and reconnect. */
  private checkAcks(): void {
    if (!this.link.connected) return;
    const now = Date.now();
    if (this.greeting) {
      // In doubt orders are old by definition here; what counts is whether the venue answers.
      if (now - this.helloAt > this.policy.ackTimeoutMs) this.link.drop();
      return;
    }
    for (const flight of this.inFlight.values()) {
      if (now - flight.writtenAt > this.policy.ackTimeoutMs) {
        this.link.drop();
        return;
      }
    }
  }

  /** The venue's answer to our hello: which in-doubt orders it has. */
  private resolveInDoubt(known: ReadonlySet<string>): void {
    const now = Date.now();
    for (const [id, flight] of [...this.inFlight]) {
      this.inFlight.delete(id);
      if (known.has(id)) continue; // the venue has it: its fill is replayed (by sequence) or on its way
      if (this.policy.dropInDoubt) continue; // seeded fault: forgotten, neither sent nor cancelled
      if (this.policy.resendTwice) {
        this.write(flight.order, flight.createdAt);
        this.link.write(encode(flight.order));
      } else if (now - flight.createdAt <= this.policy.resendWithinMs) {
        this.write(flight.order, flight.createdAt);
      } else {
        const reason = `expired-in-outage: ${Math.round((now - flight.createdAt) / 1000)} s old when the link came back`;
        this.link.write(encode({ type: "cancel", clientOrderId: id, reason }));
        this.events.onCancel(flight.order, reason);
      }
    }
  }

  /** Whether a fill seq is new: each seq is applied once, in whatever order the seqs arrive. */
  private firstTime(seq: number): boolean {
    if (this.policy.fillSeqHighWater) {
      if (seq <= this.lastFillSeq) return false;
      this.lastFillSeq = seq;
      return true;
    }
    if (seq <= this.lastFillSeq || this.appliedAbove.has(seq)) return false;
    this.appliedAbove.add(seq);
    while (this.appliedAbove.delete(this.lastFillSeq + 1)) this.lastFillSeq++;
    return true;
  }

  private receive(line: string): void {
    const message = JSON.parse(line) as VenueToGovernor;
    switch (message.type) {
      case "hello":
        this.resolveInDoubt(new Set(message.known));
        this.greeting = false;
        this.flush();
        break;
      case "fill":
        this.inFlight.delete(message.clientOrderId);
        if (!this.firstTime(message.seq)) return; // a replay after a reconnect, or a resend
        this.events.onFill(message);
        break;
      case "ack":
        // Acknowledged: no longer in doubt on the link; the fill follows.
        this.inFlight.delete(message.clientOrderId);
        this.events.onAck(message);
        break;
      case "reject":
        this.inFlight.delete(message.clientOrderId);
        this.events.onReject(message);
        break;
      case "cancelled":
        // A cancel we asked for, or the unfilled rest of a partial fill: the order is already closed.
        this.inFlight.delete(message.clientOrderId);
        break;
    }
  }
}
