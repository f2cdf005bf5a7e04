// waitForQuietMachine: a machine that settles is reported settled with its idle share; one that
// never reaches the share asked for is reported busy when the wait gives up — never an error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { waitForQuietMachine } from "../../core/process/quiet-machine.ts";

test("any idle share is enough: settled after one window, with the share measured", async () => {
  const quiet = await waitForQuietMachine({ idleShare: 0, windowMs: 100, maxWaitMs: 2000 });
  assert.ok(quiet.settled);
  assert.ok(quiet.idleShare !== undefined && quiet.idleShare >= 0 && quiet.idleShare <= 1, `${quiet.idleShare}`);
  assert.ok(quiet.waitedMs >= 100);
});

test("a share no machine reaches: the wait gives up, says busy, and does not throw", async () => {
  const quiet = await waitForQuietMachine({ idleShare: 1.01, windowMs: 100, maxWaitMs: 300 });
  assert.not.ok(quiet.settled);
  assert.ok(quiet.waitedMs >= 300 && quiet.waitedMs < 2000, `${quiet.waitedMs} ms`);
});

test.run();
