// The TypeScript client of the venue's market data: the last good tick and how old it is. Age is
// measured from the moment the venue sent the tick, so a latency spike on the market-data path —
// or a feed that keeps repeating one frozen tick — shows up as stale data even though ticks keep
// arriving. A tick seen already (seqs count 1, 2, 3 … per connection) is dropped; a crossed book
// (bid above ask) is not a price: the last good tick is kept and left to age. Lines that are not
// ticks are ignored.
import type { TickMessage } from "./venue-protocol.ts";
import { VenueConnection } from "./venue-connection.ts";

/** The sandbox's seeded faults: a client that trusts what it should not. */
export interface MarketDataFaults {
  /** Takes a crossed book for a price. */
  trustCrossed?: boolean;
  /** Measures age from when a tick arrived, not from when the venue sent it. */
  ageFromArrival?: boolean;
}

export class MarketDataClient {
  last: TickMessage | undefined;
  private lastArrival = 0;
  private seq = 0;
  private readonly link: VenueConnection;
  private readonly listeners: Array<(tick: TickMessage) => void> = [];

  constructor(address: string, private readonly faults: MarketDataFaults = {}) {
    this.link = new VenueConnection(address, {
      onConnect: () => (this.seq = 0),
      onDisconnect: () => undefined,
      onLine: (line) => {
        const tick = JSON.parse(line) as TickMessage;
        if (tick.type !== "tick" || tick.seq <= this.seq) return;
        this.seq = tick.seq;
        if (tick.bid > tick.ask && !this.faults.trustCrossed) return;
        this.last = tick;
        this.lastArrival = Date.now();
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
    if (!this.last) return Number.POSITIVE_INFINITY;
    return now - (this.faults.ageFromArrival ? this.lastArrival : this.last.sentAt);
  }
}
