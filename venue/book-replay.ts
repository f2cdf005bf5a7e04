// Plays a stream of book states on a clock (speed 1 = real time) and keeps the current book. The
// stream is built by the caller (a file, looped with continuity, maybe bent into a crash); this
// only paces it. With a held start, the first book is shown and the clock waits for start().
import type { Tick } from "../data/types.ts";

export interface ReplayState {
  book: Tick | undefined;
  ticks: number;
  /** Wall-clock time the replay clock started, epoch ms (undefined while held). */
  startedAt: number | undefined;
  /** Market time of the first book, epoch ms. */
  firstTs: number | undefined;
  ended: boolean;
}

export class BookReplay {
  readonly state: ReplayState = { book: undefined, ticks: 0, startedAt: undefined, firstTs: undefined, ended: false };
  private readonly listeners: Array<(tick: Tick) => void> = [];
  private stopped = false;
  private release: (() => void) | undefined;
  private readonly released: Promise<void>;

  constructor(
    private readonly source: AsyncIterable<Tick>,
    private readonly speed: number,
    autostart: boolean,
  ) {
    this.released = autostart ? Promise.resolve() : new Promise((resolve) => (this.release = resolve));
  }

  onTick(listener: (tick: Tick) => void): void {
    this.listeners.push(listener);
  }

  /** Start a held replay's clock; returns the wall-clock start. */
  start(): number {
    this.release?.();
    this.release = undefined;
    return this.state.startedAt ?? Date.now();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Runs until the stream ends or stop(); resolves once the first book is available. */
  run(): Promise<void> {
    return new Promise((ready, failed) => {
      void this.play(ready).catch(failed);
    });
  }

  private async play(ready: () => void): Promise<void> {
    for await (const tick of this.source) {
      if (this.stopped) return;
      if (this.state.firstTs === undefined) {
        this.state.firstTs = tick.ts;
        this.show(tick);
        ready();
        await this.released;
        this.state.startedAt = Date.now();
        continue;
      }
      const due = this.state.startedAt! + (tick.ts - this.state.firstTs) / this.speed;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      // Stopped while waiting (a venue reset): showing this tick would put the old replay's price
      // into the new run's market log, which marks the new run's equity (a 20% drawdown was seen
      // at 0.4 s of a thin-book run, marked at the last run's crashed mid).
      if (this.stopped) return;
      this.show(tick);
    }
    this.state.ended = true;
  }

  private show(tick: Tick): void {
    this.state.book = tick;
    this.state.ticks++;
    for (const listener of this.listeners) listener(tick);
  }
}
