// The venue speaks newline-delimited JSON over plain TCP — orders one way, acks and fills back,
// market data on a second connection — so that Toxiproxy, which works on TCP streams, can cut,
// delay or black-hole each path on its own.
import type { Socket } from "node:net";

export interface OrderMessage {
  type: "order";
  clientOrderId: string;
  side: "buy" | "sell";
  qty: number;
  sentAt: number;
  /** Age of the governor's market data when it decided: the venue journals it ("safe action"). */
  marketDataAgeMs: number;
}
export interface AckMessage {
  type: "ack";
  clientOrderId: string;
  at: number;
}
export interface RejectMessage {
  type: "reject";
  clientOrderId: string;
  reason: string;
  at: number;
}
export interface FillMessage {
  type: "fill";
  /** The venue's fill sequence number; a reconnecting client asks for everything after its last. */
  seq: number;
  clientOrderId: string;
  fillId: string;
  side: "buy" | "sell";
  qty: number;
  price: number;
  fee: number;
  /** Levels the order walked: 1 = filled at the touch. */
  levels: number;
  at: number;
}
export interface TickMessage {
  type: "tick";
  /** Replay (market) time of the event, epoch ms. */
  ts: number;
  /** Venue wall-clock time the tick left the venue: the governor's data age is measured from it. */
  sentAt: number;
  bid: number;
  ask: number;
  last: number;
}

export type VenueToGovernor = AckMessage | RejectMessage | FillMessage;

/** Call `onLine` for every complete line received on `socket`. */
export function onLines(socket: Socket, onLine: (line: string) => void): void {
  let buffered = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf("\n");
    while (newline !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line) onLine(line);
      newline = buffered.indexOf("\n");
    }
  });
}

export function send(socket: Socket, message: object): boolean {
  return socket.write(`${JSON.stringify(message)}\n`);
}
