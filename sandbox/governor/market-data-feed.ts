// The governor's view of the market: the last tick from the venue and how old it is. Age is
// measured from the moment the venue sent the tick, so a latency spike on the market-data path
// shows up as stale data even though ticks keep arriving.
import type { TickMessage } from "../wire.ts";
import { TcpLink } from "./tcp-link.ts";

export class MarketDataFeed {
  last: TickMessage | undefined;
  private readonly link: TcpLink;
  private readonly listeners: Array<(tick: TickMessage) => void> = [];

  constructor(address: string) {
    this.link = new TcpLink(address, {
      onConnect: () => undefined,
      onDisconnect: () => undefined,
      onLine: (line) => {
        const tick = JSON.parse(line) as TickMessage;
        if (tick.type !== "tick") return;
        this.last = tick;
        for (const listener of this.listeners) listener(tick);
      },
    });
  }

  start(): void {
    this.link.start();
  }

  stop(): void {
    this.link.stop();
  }

  onTick(listener: (tick: TickMessage) => void): void {
    this.listeners.push(listener);
  }

  get connected(): boolean {
    return this.link.connected;
  }

  mid(): number | undefined {
    return this.last ? (this.last.bid + this.last.ask) / 2 : undefined;
  }

  ageMs(now = Date.now()): number {
    return this.last ? now - this.last.sentAt : Number.POSITIVE_INFINITY;
  }
}
