// venue-faults' own gate: no decision trades on a price that is not one. The books' side of the
// drill (every fill applied once, in whatever order, the unsolicited one too; every order ended)
// is judged by the integrity gates that follow every scenario, against the venue's journal.
import { formatNumber as n, gateSpec, judge, noData, type Evidence, type FaultRecord, type GateResult, type TargetHandle } from "../../core/index.ts";
import { readVenueJournal } from "../shared/venue-journal.ts";
import { quiesce } from "../integrity/sources.ts";
import type { VenueFaultsConfig } from "./config.ts";

/** The market-data faults after which the governor has no good price: the book is crossed, or the feed is frozen. */
const BAD_DATA_FAULTS = ["crossed-book", "stale-ticks"];

export async function badDataGate(evidence: Evidence, target: TargetHandle, config: VenueFaultsConfig): Promise<GateResult> {
  const spec = gateSpec("no_trading_on_bad_data", "No decision added risk on a crossed book or a frozen feed", "safety", "CRITICAL", "orders", "==", 0);
  const windows = evidence.faults.records
    .filter((record: FaultRecord) => record.proxy === "venue" && BAD_DATA_FAULTS.includes(record.fault))
    // From when the fault had surely taken effect (and the data had aged) to when its removal was
    // asked for: in the removal's own 150–300 ms the venue may already send good prices again, and
    // orders there were counted against correct governors (3 in one CI run).
    .map((record) => ({ fault: record.fault, start: record.appliedAt + config.freshDataMs + config.graceMs, end: record.removalBeganAt ?? record.removedAt ?? evidence.driveEndMs }))
    .filter((window) => window.end > window.start);
  if (windows.length === 0) return noData(spec, "no crossed-book or stale-ticks fault was applied during the run");
  if (!target.venueJournal) return noData(spec, "the venue's journal is missing");
  await quiesce(target);
  const venue = await readVenueJournal(target.venueJournal);
  if (!venue) return noData(spec, "no venue journal");
  const inWindow = (t: number) => windows.find((window) => t >= window.start && t <= window.end);
  // A decision that added risk: the governor answered it with an order (k6's clock says when), the
  // order reached the venue, and it took the position (as the venue's fills had it) further from flat.
  const answeredAt = new Map([...evidence.k6.digest.orders].map(([clientOrderId, answer]) => [clientOrderId, answer.atMs]));
  const fills = [...venue.fills].sort((a, b) => a.at - b.at);
  const positionBefore = (t: number) => fills.reduce((position, fill) => (fill.at < t ? position + (fill.side === "buy" ? fill.qty : -fill.qty) : position), 0);
  const decided = venue.orders.filter((order) => order.decisionId && answeredAt.has(order.clientOrderId) && inWindow(answeredAt.get(order.clientOrderId)!));
  const addsRisk = (order: (typeof decided)[number]) => {
    const before = positionBefore(order.receivedAt);
    return Math.abs(before + (order.side === "buy" ? order.qty : -order.qty)) > Math.abs(before) + 1e-9;
  };
  const traded = decided.filter(addsRisk);
  const span = windows.map((w) => `${w.fault} ${n((w.end - w.start) / 1000)} s`).join(", ");
  return judge(
    spec,
    traded.length,
    `${traded.length} decisions added risk with an order that reached the venue while the price was bad (${span}, each from ${config.freshDataMs + config.graceMs} ms after the fault began: data stale after ${config.freshDataMs} ms, ${config.graceMs} ms for the last tick and the answer)` +
      `${traded.length ? `: e.g. ${traded.slice(0, 3).map((o) => `${o.clientOrderId} for ${o.decisionId} (${inWindow(answeredAt.get(o.clientOrderId)!)!.fault})`).join(", ")}` : ""}` +
      `; ${decided.length - traded.length} reducing orders in those windows allowed; the governor's own (flattening) orders not counted`,
  );
}
