// Recovery, live: once an outage of a proxy has ended, watch the venue's journal for the first
// safe action (an order the venue accepted, decided on fresh market data) and publish the time
// from the cut on gauntlet_recovery_time_seconds as soon as it is seen — the same definition the
// recovery gates judge after the run (venue-journal.ts, firstSafeAction).
import { outageWindows, sleepUnlessAborted, type ScenarioContext } from "../../core/index.ts";
import { firstSafeAction, readVenueJournal } from "./venue-journal.ts";

const POLL_MS = 250;

export async function watchRecovery(ctx: ScenarioContext<unknown>, of: { proxy: string; freshDataMs: number }, signal: AbortSignal): Promise<void> {
  const journal = ctx.target.venueJournal;
  if (!journal) return;
  const measured = new Set<number>();
  while (!signal.aborted) {
    await sleepUnlessAborted(POLL_MS, signal);
    const ended = outageWindows(ctx.faults.log.records, of.proxy, Number.POSITIVE_INFINITY).filter(
      (outage) => Number.isFinite(outage.end) && !measured.has(outage.start),
    );
    if (ended.length === 0) continue;
    const venue = await readVenueJournal(journal).catch(() => undefined);
    if (!venue) continue;
    for (const outage of ended) {
      const first = firstSafeAction(venue, outage.start, of.freshDataMs);
      if (!first) continue;
      measured.add(outage.start);
      const seconds = (first.receivedAt - outage.start) / 1000;
      ctx.live.recovered(seconds);
      ctx.events.emit("recovery", { proxy: of.proxy, outageStart: outage.start, firstSafeAt: first.receivedAt, seconds });
    }
  }
}
