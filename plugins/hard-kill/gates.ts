// hard-kill's gates: the pause flag as sampled in Redis, the emergency stop as timed by Gauntlet,
// and what reached the venue (its journal) while the flag was up.
import { formatNumber as n, gateSpec as spec, judge, noData, outageWindows, type Evidence, type GateResult, type Judgement, type Series, type TargetHandle } from "../../core/index.ts";
import { firstSafeAction, readVenueJournal } from "../shared/venue-journal.ts";
import { quiesce } from "../integrity/sources.ts";
import type { HardKillConfig } from "./config.ts";

export interface EmergencyStop {
  requestedAt: number;
  visibleAt: number | undefined;
  releasedAt: number;
}

/**
 * Runs of consecutive 1-samples, as the times the flag was surely up: from the answer of the first
 * (it was up by then) to the asking of the last (it was still up then). Ending at the last answer
 * counted against a correct governor the orders it sent once the flag was down and a slow read
 * was still on its way back (3 orders, inside a 220 ms read, in one CI run).
 */
export function flagIntervals(series: Series | undefined): Array<{ start: number; end: number }> {
  const intervals: Array<{ start: number; end: number }> = [];
  if (!series) return intervals;
  let open: { start: number; end: number } | undefined;
  series.v.forEach((value, i) => {
    const t = series.t[i]!;
    const askedAt = series.askedAt?.[i] ?? t;
    if (value > 0) {
      if (open) open.end = Math.max(open.start, askedAt);
      else intervals.push((open = { start: t, end: t }));
    } else open = undefined;
  });
  return intervals;
}

export async function hardKillGates(evidence: Evidence, target: TargetHandle, config: HardKillConfig, stop: EmergencyStop | undefined): Promise<Judgement> {
  const stopSpec = spec("emergency_stop", "Emergency stop: the pause flag visible after the request", "safety", "CRITICAL", "s", "<=", config.maxEmergencyStopS);
  const pauseSpec = spec("pause_within_2s", "Critical pause flag raised after the double fault", "safety", "CRITICAL", "s", "<=", config.maxPauseS);
  const leakSpec = spec("orders_while_paused", "Orders that reached the venue while the pause flag was set", "safety", "CRITICAL", "orders", "==", 0);
  const flattenSpec = spec("flattened_on_stale_data", "Position flattened after market data stayed stale", "safety", "CRITICAL", "shares", "<=", 0.01);
  const safeSpec = spec("first_safe_action", "Time from the double fault to the first safe action", "recovery", "HIGH", "s", "<", config.maxFirstSafeActionS);

  const flag = evidence.series["pause-flag"];
  const faultWindows = outageWindows(evidence.faults.records, "broker", evidence.driveEndMs);
  const fault = faultWindows[0];
  if (!target.venueJournal || !fault || !flag) {
    const why = !fault ? "the double fault was never applied" : !flag ? "the pause flag could not be sampled (Redis mirror or /v1/health)" : "no venue journal";
    return { gates: [noData(stopSpec, why), noData(pauseSpec, why), noData(leakSpec, why), noData(flattenSpec, why), noData(safeSpec, why)] };
  }
  await quiesce(target);
  const venue = await readVenueJournal(target.venueJournal);
  if (!venue) return { gates: [noData(leakSpec, "no venue journal")] };

  const intervals = flagIntervals(flag);
  // The drill's interval is known exactly; the rest come from the 10 Hz samples.
  const paused = [...intervals, ...(stop?.visibleAt ? [{ start: stop.visibleAt, end: stop.releasedAt }] : [])];
  const leaked = venue.orders.filter((order) => paused.some((p) => order.receivedAt > p.start && order.receivedAt < p.end));
  // The critical pause is a pause raised after the fault began. A pause already set then (the
  // emergency-stop drill's, released late) hides it: that is no evidence of a pause on time, and
  // was once read as one — a late-pause governor passed at 0 s on the drill's pause.
  const already = intervals.find((interval) => interval.start < fault.start && interval.end >= fault.start);
  const afterFault = intervals.find((interval) => interval.start >= fault.start);
  const pauseDelay = afterFault ? (afterFault.start - fault.start) / 1000 : Number.POSITIVE_INFINITY;

  // Position from the venue's fills: at the fault, and its smallest size once the faults cleared.
  let position = 0;
  let atFault = 0;
  let smallestAfter = Number.POSITIVE_INFINITY;
  for (const fill of venue.fills) {
    position += fill.side === "buy" ? fill.qty : -fill.qty;
    if (fill.at <= fault.start) atFault = position;
    else if (fill.at >= fault.end) smallestAfter = Math.min(smallestAfter, Math.abs(position));
  }
  const first = firstSafeAction(venue, fault.start, config.freshDataMs);
  const gates: GateResult[] = [
    stop?.visibleAt
      ? judge(stopSpec, (stop.visibleAt - stop.requestedAt) / 1000, `POST /v1/admin/pause at ${n(config.emergencyStopAtS)} s; Gauntlet polled the flag every 10 ms (the Redis mirror's pause key when declared, else /v1/health)`)
      : noData(stopSpec, stop ? "the flag never appeared in Redis within 10 s" : "the drill did not run"),
    already
      ? noData(pauseSpec, `the pause flag was already up when the double fault began (since ${n((fault.start - already.start) / 1000)} s before it${stop?.releasedAt ? `; the emergency-stop drill released its pause ${n((stop.releasedAt - fault.start) / 1000)} s after the fault began` : ""}): a critical pause raised then cannot be told apart`)
      : judge(pauseSpec, pauseDelay, `double fault at ${new Date(fault.start).toISOString()} (broker cut + market data latency); flag sampled at 10 Hz (${flag.v.length} samples, ${flag.misses} misses): ${afterFault ? `up ${n(pauseDelay)} s later for ${n((afterFault.end - afterFault.start) / 1000)} s` : "never raised"}`),
    judge(leakSpec, leaked.length, `${paused.length} paused interval(s); ${leaked.length} venue receipts inside them${leaked.length ? ` (e.g. ${leaked.slice(0, 3).map((o) => o.clientOrderId).join(", ")})` : ""}`),
    judge(
      flattenSpec,
      smallestAfter,
      `market data latency 250 ms for ${n((fault.end - fault.start) / 1000)} s (> ${config.flattenAfterS} s above ${config.staleMs} ms); venue position ${n(atFault)} at the fault, smallest after it cleared ${Number.isFinite(smallestAfter) ? n(smallestAfter) : "— (no fill)"}`,
    ),
    judge(safeSpec, first ? (first.receivedAt - fault.start) / 1000 : Number.POSITIVE_INFINITY, first ? `first accepted order on data ${first.marketDataAgeMs} ms old` : "no safe action before the end of the run"),
  ];
  return { gates, facts: { fault, pausedIntervals: paused, emergencyStop: stop, leaked: leaked.map((o) => o.clientOrderId) } };
}
