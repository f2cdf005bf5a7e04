// The order path to the venue. Orders approved while the link is down wait in a queue (mirrored
// to Redis by the caller) and go out, in order, exactly once when it comes back. On every
// (re)connect the governor tells the venue the last fill it saw, and the venue sends the rest: a
// fill that happened during an outage is never lost.
import type { AckMessage, FillMessage, OrderMessage, RejectMessage } from "../wire.ts";
import { TcpLink } from "./tcp-link.ts";

export interface BrokerEvents {
  onAck(message: AckMessage): void;
  onFill(message: FillMessage): void;
  onReject(message: RejectMessage): void;
  onSent(order: OrderMessage): void;
  onConnectionChange(connected: boolean): void;
}

export class BrokerLink {
  readonly queue: OrderMessage[] = [];
  private lastFillSeq = 0;
  private readonly link: TcpLink;

  constructor(
    address: string,
    private readonly events: BrokerEvents,
  ) {
    this.link = new TcpLink(address, {
      onConnect: (socket) => {
        socket.write(`${JSON.stringify({ type: "hello", lastFillSeq: this.lastFillSeq })}\n`);
        this.events.onConnectionChange(true);
        this.flush();
      },
      onDisconnect: () => this.events.onConnectionChange(false),
      onLine: (line) => this.receive(line),
    });
  }

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /** Send now, or queue until the link is back. */
  submit(order: OrderMessage): void {
    this.queue.push(order);
    if (this.link.connected) this.flush();
  }

  private flush(): void {
    while (this.queue.length > 0 && this.link.connected) {
      const order = this.queue[0]!;
      order.sentAt = Date.now();
      if (!this.link.write(`${JSON.stringify(order)}\n`)) {
        // Kernel buffer full is not failure: the bytes are queued by Node; move on.
      }
      this.queue.shift();
      this.events.onSent(order);
    }
  }

  private receive(line: string): void {
    const message = JSON.parse(line) as AckMessage | FillMessage | RejectMessage;
    if (message.type === "fill") {
      if (message.seq <= this.lastFillSeq) return; // already applied before a reconnect
      this.lastFillSeq = message.seq;
      this.events.onFill(message);
    } else if (message.type === "ack") this.events.onAck(message);
    else if (message.type === "reject") this.events.onReject(message);
  }
}
