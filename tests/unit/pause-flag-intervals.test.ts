// hard-kill's paused intervals from the polled pause flag: the times the flag was surely up, from
// the answer of the first 1-sample to the asking of the last. Orders after the flag went down,
// while a slow read of it was still on its way back, are not "sent while paused".
import { test } from "uvu";
import * as assert from "uvu/assert";
import { flagIntervals } from "../../plugins/hard-kill/gates.ts";
import type { Series } from "../../core/index.ts";

const series = (samples: Array<[askedAt: number, answeredAt: number, value: number]>): Series => ({
  name: "pause-flag",
  unit: "flag",
  t: samples.map(([, t]) => t),
  v: samples.map(([, , v]) => v),
  askedAt: samples.map(([asked]) => asked),
  misses: 0,
});

test("an interval runs from the first 1-sample's answer to the last 1-sample's asking", () => {
  // The run of 20261202-135812-hard-kill-fbcf, in ms after the drive began: the last 1-sample was
  // asked at 15,040 and answered at 15,260; orders reached the venue at 15,226 and 15,246.
  const flag = series([[13_900, 13_910, 0], [14_000, 14_010, 1], [14_920, 14_930, 1], [15_040, 15_260, 1], [15_270, 15_290, 0]]);
  assert.equal(flagIntervals(flag), [{ start: 14_010, end: 15_040 }]);
  const paused = flagIntervals(flag);
  const inside = (at: number) => paused.some((p) => at > p.start && at < p.end);
  assert.is(inside(15_226), false);
  assert.is(inside(15_246), false);
  assert.is(inside(14_500), true, "an order while the flag was surely up still counts");
});

test("one 1-sample alone is an instant, not an interval; two runs stay apart; a series without askedAt ends at its answers", () => {
  assert.equal(flagIntervals(series([[0, 50, 1], [100, 150, 0]])), [{ start: 50, end: 50 }]);
  assert.equal(flagIntervals(series([[0, 10, 1], [100, 110, 1], [200, 210, 0], [300, 310, 1], [400, 410, 1]])), [{ start: 10, end: 100 }, { start: 310, end: 400 }]);
  const { askedAt: _, ...plain } = series([[0, 10, 1], [100, 110, 1]]);
  assert.equal(flagIntervals(plain), [{ start: 10, end: 110 }]);
  assert.equal(flagIntervals(undefined), []);
});

test.run();
