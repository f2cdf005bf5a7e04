// Replays an L2 file on a clock (speed factor 1 = real time) and keeps the current book. The file
// is streamed, never loaded whole; at its end the replay starts again, shifting timestamps so that
// market time keeps moving forward. How many times it looped is reported, so a run that reuses a
// short sample says so.
import type { L2Reader, Tick } from "../../data/types.ts";

export interface ReplayState {
  book: Tick | undefined;
  loops: number;
  ticks: number;
}

export class BookReplay {
  readonly state: ReplayState = { book: undefined, loops: 0, ticks: 0 };
  private readonly listeners: Array<(tick: Tick) => void> = [];
  private stopped = false;

  constructor(
    private readonly openReader: () => L2Reader,
    private readonly speed: number,
  ) {}

  onTick(listener: (tick: Tick) => void): void {
    this.listeners.push(listener);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Runs until stop(); resolves the first time a book is available. */
  start(): Promise<void> {
    return new Promise((ready, failed) => {
      void this.loop(ready).catch(failed);
    });
  }

  private async loop(ready: () => void): Promise<void> {
    // Added to file timestamps so that market time never goes back when the file starts again.
    let offset = 0;
    let lastShifted: number | undefined;
    let marketStart: number | undefined;
    const wallStart = Date.now();
    while (!this.stopped) {
      let firstOfLoop = true;
      for await (const tick of this.openReader().ticks()) {
        if (this.stopped) return;
        if (firstOfLoop && lastShifted !== undefined) offset = lastShifted - tick.ts + 1;
        firstOfLoop = false;
        const shifted: Tick = offset ? { ...tick, ts: tick.ts + offset } : tick;
        marketStart ??= shifted.ts;
        const wait = wallStart + (shifted.ts - marketStart) / this.speed - Date.now();
        if (wait > 1) await sleep(wait);
        lastShifted = shifted.ts;
        this.state.book = shifted;
        this.state.ticks++;
        if (this.state.ticks === 1) ready();
        for (const listener of this.listeners) listener(shifted);
      }
      this.state.loops++;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
