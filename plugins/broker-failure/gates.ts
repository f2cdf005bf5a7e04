// broker-failure's gates, for any governor: from what the venue received, cancelled and filled
// (its journal) and the orders the governor answered with (k6 saw each one's id) — against the
// outage windows as they were really applied (the run's fault record).
import { formatNumber as n, gateSpec as spec, judge, noData, outageWindows, type Evidence, type Judgement, type TargetHandle } from "../../core/index.ts";
import { breachesAtFills } from "../shared/venue-analysis.ts";
import { firstSafeAction, readVenueJournal } from "../shared/venue-journal.ts";
import { quiesce } from "../integrity/sources.ts";
import type { BrokerFailureConfig } from "./config.ts";

export async function brokerFailureGates(evidence: Evidence, target: TargetHandle, config: BrokerFailureConfig): Promise<Judgement> {
  const meanSpec = spec("recovery_mean", "Mean recovery time (cut → first safe action)", "recovery", "HIGH", "s", "<=", config.maxMeanRecoveryS);
  const maxSpec = spec("recovery_max", "Longest recovery time", "recovery", "HIGH", "s", "<=", config.maxRecoveryS);
  const heldSpec = spec("positions_held", "Positions held during the outage (no order decided in it reached the venue, no fill in it)", "safety", "CRITICAL", "orders", "==", 0);
  const queueSpec = spec("order_queue_intact", "Orders caught in the outage: at the venue exactly once, or cancelled with a reason", "integrity", "HIGH", "violations", "==", 0);
  const breachSpec = spec("limit_breaches", "Hard-limit breaches at any fill", "safety", "CRITICAL", "breaches", "==", 0);

  const outages = outageWindows(evidence.faults.records, "broker", evidence.driveEndMs);
  if (!target.venueJournal || outages.length === 0) {
    const why = outages.length === 0 ? "no broker fault was applied during the run" : "the venue's journal is missing";
    return { gates: [noData(meanSpec, why), noData(maxSpec, why), noData(heldSpec, why), noData(queueSpec, why), noData(breachSpec, why)] };
  }
  await quiesce(target);
  const venue = await readVenueJournal(target.venueJournal);
  if (!venue) return { gates: [noData(meanSpec, "no venue journal")] };
  // The orders the governor answered with, and when k6 saw each answer (the decision's time).
  const orders = [...evidence.k6.digest.orders].map(([clientOrderId, answer]) => ({ clientOrderId, decisionId: answer.decisionId, createdAt: answer.atMs }));

  // Recovery: from each cut to the first order the venue accepted on fresh data.
  const recoveries = outages.map((outage) => {
    const first = firstSafeAction(venue, outage.start, config.freshDataMs);
    return { ...outage, firstSafeAt: first?.receivedAt, recoveryS: first ? (first.receivedAt - outage.start) / 1000 : Number.POSITIVE_INFINITY };
  });
  const seconds = recoveries.map((r) => r.recoveryS);
  const describe = recoveries.map((r, i) => `cut ${i + 1}: ${Number.isFinite(r.recoveryS) ? `${n(r.recoveryS)} s` : "never recovered"} (outage ${n((r.end - r.start) / 1000)} s)`).join("; ");

  // Positions held: nothing decided inside an outage reaches the venue, nothing fills inside it.
  const inOutage = (t: number) => outages.some((o) => t >= o.start && t <= o.end);
  const received = new Map<string, number>();
  for (const order of venue.orders) received.set(order.clientOrderId, (received.get(order.clientOrderId) ?? 0) + 1);
  // Decided in an outage: an order the governor answered with then (k6's clock), or any order the
  // venue received that the governor says it created then (its own, e.g. a panic sale, included).
  const answeredAt = new Map(orders.map((order) => [order.clientOrderId, order.createdAt]));
  const decidedInOutage = [
    ...orders.filter((order) => inOutage(order.createdAt)),
    ...venue.orders.filter((order) => !answeredAt.has(order.clientOrderId) && order.createdAt !== undefined && inOutage(order.createdAt)),
  ];
  const leaked = decidedInOutage.filter((order) => (received.get(order.clientOrderId) ?? 0) > 0);
  // An order the venue received before the cut may fill just after it (the 30 ms round trip): that
  // is not trading in the outage. What counts is an order received while the outage lasted.
  const receivedInOutage = new Set(venue.orders.filter((order) => inOutage(order.receivedAt)).map((order) => order.clientOrderId));
  const filledInOutage = venue.fills.filter((fill) => receivedInOutage.has(fill.clientOrderId));

  // Queue intact: every order alive at a cut reached the venue exactly once, or was cancelled there with a reason.
  const caught = orders.filter((order) => outages.some((o) => order.createdAt >= o.start - 2000 && order.createdAt <= o.end));
  const cancelledWithReason = (id: string) => Boolean(venue.cancels.get(id)?.reason);
  const violations = caught.filter((order) => {
    const times = received.get(order.clientOrderId) ?? 0;
    if (times === 1) return false;
    if (times === 0 && cancelledWithReason(order.clientOrderId)) return false;
    return true;
  });
  const breaches = breachesAtFills(venue.fills, [], config.limits);
  const finite = seconds.filter(Number.isFinite);

  return {
    gates: [
      judge(meanSpec, finite.length === seconds.length ? seconds.reduce((a, b) => a + b, 0) / seconds.length : Number.POSITIVE_INFINITY, describe),
      judge(maxSpec, Math.max(...seconds), `${describe}; a safe action = an order the venue accepted, decided on market data < ${config.freshDataMs} ms old`),
      judge(
        heldSpec,
        leaked.length + filledInOutage.length,
        `${decidedInOutage.length} orders decided during the outages, ${leaked.length} of them reached the venue afterwards${leaked.length ? ` (e.g. ${leaked.slice(0, 3).map((o) => `${o.clientOrderId}${o.decisionId ? ` for ${o.decisionId}` : " (the governor's own)"}`).join(", ")})` : ""}; ${filledInOutage.length} fills of orders the venue received during an outage`,
      ),
      judge(
        queueSpec,
        violations.length,
        `${caught.length} orders answered around the cuts: ${caught.filter((o) => received.get(o.clientOrderId) === 1).length} at the venue once, ${caught.filter((o) => cancelledWithReason(o.clientOrderId) && !received.get(o.clientOrderId)).length} cancelled at the venue with a reason${violations.length ? `; violations: ${violations.slice(0, 5).map((o) => `${o.clientOrderId} (venue ×${received.get(o.clientOrderId) ?? 0}${venue.cancels.has(o.clientOrderId) ? ", cancelled" : ""})`).join(", ")}` : ""}`,
      ),
      judge(breachSpec, breaches.length, breaches.length ? breaches.slice(0, 3).map((b) => `${b.limit} at ${b.fillId}`).join("; ") : `${venue.fills.length} fills checked`),
    ],
    facts: { outages: recoveries, ordersCaught: caught.length, violations: violations.map((o) => o.clientOrderId) },
  };
}
