// The machine's load over a run's drive (core/process/host-load.ts): a busy second shows as busy,
// the mean never exceeds the busiest second, and stopping twice gives the same summary.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { watchHostLoad } from "../../core/process/host-load.ts";

test("a second of one busy core shows in the summary; stop() is idempotent", async () => {
  const watch = watchHostLoad(250);
  const until = Date.now() + 1000;
  while (Date.now() < until) Math.sqrt(Math.random()); // one core busy
  await new Promise((resolve) => setTimeout(resolve, 300));
  const summary = watch.stop();
  if (!existsSync("/proc/stat")) {
    assert.is(summary, undefined);
    return;
  }
  assert.ok(summary);
  assert.ok(summary.seconds >= 1.2 && summary.seconds < 3, `${summary.seconds} s`);
  // One of the machine's cores was held for most of the window.
  assert.ok(summary.busyMeanPct > 100 / (2 * 64) && summary.busyMeanPct <= 100, `${summary.busyMeanPct} %`);
  assert.ok(summary.busyMaxPct >= summary.busyMeanPct, `${summary.busyMaxPct} vs ${summary.busyMeanPct}`);
  assert.ok(summary.stealPct >= 0 && summary.stealPct <= 100);
  assert.equal(watch.stop(), summary);
});

test.run();
