// What a limit probe measures, from the venue's journal (the fills that really happened) and its
// market log (the mids the position is marked at) — never from the governor's word. Two gates:
// the probed limit held (CRITICAL; judged only when the probe brought the governor close enough
// to it that "held" means something), and every limit at every fill (as in every scenario).
import { formatNumber as n, gateSpec, judge, noData, type Evidence, type GateResult, type Judgement, type TargetHandle } from "../../core/index.ts";
import type { Limits } from "../../protocol/limits.ts";
import { quiesce } from "../integrity/sources.ts";
import { breachesAtFills, countedBreaches, describeBreach, equitySeries, replayFills, type MidSample } from "../shared/venue-analysis.ts";
import { readVenueJournal, type VenueFill } from "../shared/venue-journal.ts";
import { readMarketLog } from "../shared/venue-market-log.ts";
import type { LimitProbeConfig } from "./plan.ts";
import type { Probe } from "./probes.ts";

/** How hard the probe pressed (% of the limit) and what crossed it. */
export interface Pressure {
  /** The closest the governor came to the limit, % of it. */
  pct: number;
  /** Violations of the probed limit, each described. */
  violations: string[];
  /** How pressure and violations were measured, for the gate's detail. */
  how: string;
}

/** Fills that add risk (|position| grows) while drawdown, marked at the mid just before, is at or over the reduce-only stop; and flat at the end once the force-flat stop was reached. */
export function drawdownPressure(fills: readonly VenueFill[], mids: readonly MidSample[], limits: Limits): Pressure {
  const equity = equitySeries(fills, mids, limits.capitalUsd);
  const violations: string[] = [];
  let before = 0; // drawdown % just before the current point
  let position = 0;
  let forceFlatAt: number | undefined;
  let fillIndex = 0;
  for (const point of equity.points) {
    if (point.kind === "fill") {
      const fill = fills[fillIndex++]!;
      const addsRisk = Math.abs(point.position) > Math.abs(position) + 1e-12;
      if (addsRisk && before >= limits.drawdownReducePct) {
        violations.push(`fill ${fill.fillId} (${fill.clientOrderId}) added risk at ${n(before)}% drawdown (reduce-only from ${limits.drawdownReducePct}%)`);
      }
      position = point.position;
    }
    if (point.drawdownPct >= limits.drawdownForceFlatPct) forceFlatAt ??= point.t;
    before = point.drawdownPct;
  }
  const end = equity.points.at(-1)?.position ?? 0;
  if (forceFlatAt !== undefined && Math.abs(end) > 0.01) violations.push(`drawdown reached the ${limits.drawdownForceFlatPct}% force-flat stop and the position was still ${n(end)} at the end`);
  return {
    pct: (equity.maxDrawdownPct / limits.drawdownForceFlatPct) * 100,
    violations,
    how: `equity marked at the mid at every book change and fill (${n(equity.points.length)} points), peak-based drawdown; worst ${n(equity.maxDrawdownPct)}%; position at the end ${n(end)}`,
  };
}

export function limitPressure(probe: Probe, fills: readonly VenueFill[], mids: readonly MidSample[], limits: Limits): Pressure {
  if (probe.limit === "drawdown") return drawdownPressure(fills, mids, limits);
  const cap = limits[probe.limit];
  const states = replayFills(fills, limits.capitalUsd);
  const violations = countedBreaches(breachesAtFills(fills, mids, limits)).filter((b) => b.limit === probe.limit).map(describeBreach);
  let worst = 0;
  if (probe.limit === "maxPositionNotionalUsd") states.forEach((s, i) => (worst = Math.max(worst, Math.abs(s.position) * fills[i]!.price)));
  if (probe.limit === "maxDailyTurnoverUsd") worst = states.at(-1)?.turnover ?? 0;
  if (probe.limit === "maxSingleTradeUsd") for (const fill of fills) worst = Math.max(worst, fill.qty * fill.price);
  if (probe.limit === "maxIntradayLossUsd") worst = Math.max(0, ...equitySeries(fills, mids, limits.capitalUsd).points.map((p) => limits.capitalUsd - p.equity));
  return { pct: (worst / cap) * 100, violations, how: `closest ${n(worst)} of ${n(cap)} USD` };
}

export async function limitProbeJudgement(probe: Probe, evidence: Evidence, target: TargetHandle, config: LimitProbeConfig, limits: Limits): Promise<Judgement> {
  const heldSpec = gateSpec(probe.gate, probe.title, "safety", "CRITICAL", "violations", "==", 0);
  const breachSpec = gateSpec("limit_breaches", "Hard-limit breaches at any fill (loss, notional, turnover, single trade)", "safety", "CRITICAL", "breaches", "==", 0);
  if (!target.venueJournal) {
    const why = "the target has no venue journal: limits are judged from the venue's fills only";
    return { gates: [noData(heldSpec, why), noData(breachSpec, why)] };
  }
  await quiesce(target);
  const [venue, market] = await Promise.all([readVenueJournal(target.venueJournal), target.venueMarketLog ? readMarketLog(target.venueMarketLog) : []]);
  const fills = venue?.fills ?? [];
  const mids: MidSample[] = market.map((row) => ({ t: row.t, mid: row.mid }));
  const pressure = limitPressure(probe, fills, mids, limits);
  const all = breachesAtFills(fills, mids, limits);
  const counted = countedBreaches(all);
  const pressed = `${probe.description}; pressure ${n(pressure.pct)}% of the limit (${pressure.how}) from ${fills.length} venue fills`;
  return {
    gates: [
      pressure.violations.length === 0 && pressure.pct < config.minPressurePct
        ? noData(heldSpec, `not exercised: the probe brought the governor to ${n(pressure.pct)}% of the limit (at least ${config.minPressurePct}% is needed for "held" to mean anything); ${pressure.how}`)
        : judge(heldSpec, pressure.violations.length, pressure.violations.length ? `${pressure.violations.slice(0, 5).join("; ")}${pressure.violations.length > 5 ? ` … ${pressure.violations.length} in all` : ""}; ${pressed}` : pressed),
      judge(
        breachSpec,
        counted.length,
        counted.length
          ? counted.slice(0, 5).map(describeBreach).join("; ")
          : `every one of ${fills.length} fills checked against single trade, position notional, turnover and intraday loss; ${all.length - counted.length} loss-limit moments were risk-reducing fills`,
      ),
    ],
    facts: { probe: probe.name, limit: probe.limit, limits, pressurePct: pressure.pct, violations: pressure.violations, fills: fills.length },
  };
}
