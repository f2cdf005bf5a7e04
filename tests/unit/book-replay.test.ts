// The venue's replay clock: a replay stopped while it waits for its next tick (a venue reset between
// runs) shows nothing more. Its listeners write the market log the next run's equity is marked on.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { setTimeout as sleep } from "node:timers/promises";
import type { Tick } from "../../data/types.ts";
import { BookReplay } from "../../venue/book-replay.ts";

async function* ticks(): AsyncIterable<Tick> {
  for (let i = 0; i < 5; i++) {
    const mid = 100 - i * 10;
    yield { ts: 1_000 + i * 150, bid: mid - 0.01, ask: mid + 0.01, last: mid, volume: 0, source: { file: "test", line: i + 1 }, bids: [], asks: [] };
  }
}

test("a replay stopped during its wait shows no further tick", async () => {
  const replay = new BookReplay(ticks(), 1, true);
  const shown: number[] = [];
  replay.onTick((tick) => shown.push(tick.last));
  await replay.run();
  await sleep(200); // the second tick (at +150 ms) is shown, the third is waited for
  replay.stop();
  const atStop = shown.length;
  await sleep(400);
  assert.is(atStop, 2, `${shown}`);
  assert.equal(shown, [100, 90], "nothing after the stop");
});

test.run();
