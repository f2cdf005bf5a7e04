// The TypeScript client's connection to the venue: a TCP client that keeps reconnecting and hands
// over complete lines. A governor's links to the venue (order entry, market data) both go through
// Toxiproxy, which may cut them at any moment; the venue itself only exists while a run lasts.
import { connect, type Socket } from "node:net";

export interface LinkEvents {
  onConnect(socket: Socket): void;
  onLine(line: string): void;
  onDisconnect(): void;
}

export class VenueConnection {
  private socket: Socket | undefined;
  private stopped = false;
  connected = false;
  connects = 0;

  constructor(
    private readonly address: string,
    private readonly events: LinkEvents,
    private readonly retryMs = 100,
  ) {}

  start(): void {
    const [host, port] = splitAddress(this.address);
    const socket = connect({ host, port, noDelay: true });
    this.socket = socket;
    socket.on("connect", () => {
      this.connected = true;
      this.connects++;
      this.events.onConnect(socket);
    });
    onLines(socket, (line) => this.events.onLine(line));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      const wasConnected = this.connected;
      this.connected = false;
      this.socket = undefined;
      if (wasConnected) this.events.onDisconnect();
      if (!this.stopped) setTimeout(() => this.start(), this.retryMs).unref();
    });
  }

  /** Drop a connection that has gone quiet; the retry loop reconnects. */
  drop(): void {
    this.socket?.destroy();
  }

  write(line: string): boolean {
    if (!this.connected || !this.socket) return false;
    return this.socket.write(line);
  }

  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
  }
}

export function splitAddress(address: string): [string, number] {
  const index = address.lastIndexOf(":");
  return [address.slice(0, index), Number(address.slice(index + 1))];
}

/** Call `onLine` for every complete line received on `socket` (NDJSON framing). */
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
