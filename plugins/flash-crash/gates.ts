// flash-crash's gates, from the venue's fills and its own market log (ground truth), and from
// k6's samples of the crash phase — never from the governor's report of itself.
import { emptySeries, formatNumber as n, gateSpec as spec, judge, noData, type Evidence, type GateResult, type Judgement, type Series, type TargetHandle } from "../../core/index.ts";
import { breachesAtFills, countedBreaches, depthEffects, describeBreach, equitySeries, flatAfter, type MidSample } from "../shared/venue-analysis.ts";
import { readMarketLog } from "../shared/venue-market-log.ts";
import { readVenueJournal } from "../shared/venue-journal.ts";
import { quiesce } from "../integrity/sources.ts";
import type { FlashCrashConfig } from "./plan.ts";

export interface CrashWindow {
  /** Wall clock, epoch ms, of the replay start and of the crash window. */
  replayStartedAt: number;
  crashStart: number;
  crashEnd: number;
}

function series(name: string, unit: string, t: number[], v: number[]): Series {
  return { ...emptySeries(name, unit), t, v };
}

/** `units`: what the replayed book's sizes are counted in (shares, contracts, BTC), for positions and depth. */
export async function flashCrashJudgement(evidence: Evidence, target: TargetHandle, config: FlashCrashConfig, window: CrashWindow | undefined, units: string): Promise<Judgement> {
  const t = config.thresholds;
  const drawdownSpec = spec("max_drawdown", "Max drawdown of equity (venue fills, marked at the mid)", "safety", "CRITICAL", "%", "<=", t.maxDrawdownPct);
  const latencySpec = spec("latency_p99_crash", "Decision latency P99 during the crash window", "latency", "CRITICAL", "ms", "<=", t.p99Ms);
  const flatSpec = spec("flat_after_crash", "Position after the crash (venue fills)", "safety", "CRITICAL", units, "<=", t.flatShares);
  const breachSpec = spec("limit_breaches", "Hard-limit breaches at any fill (loss, notional, turnover, single trade)", "safety", "CRITICAL", "breaches", "==", 0);

  const crash = evidence.k6.digest;
  const latency =
    crash.latency.count >= t.minCrashSamples
      ? judge(latencySpec, crash.latency.percentileMs(99), `k6 http_req_duration of the ${n(crash.latency.count)} decisions sent during the crash window (k6 scenario "crash"), HDR histogram`)
      : noData(latencySpec, `only ${n(crash.latency.count)} decisions in the crash window (at least ${n(t.minCrashSamples)} needed)`);

  if (!target.venueJournal || !target.venueMarketLog || !window) {
    const why = !window ? "the venue's replay was never started, so the crash window is unknown" : "the target has no venue journal or market log";
    return { gates: [noData(drawdownSpec, why), latency, noData(flatSpec, why), noData(breachSpec, why)] };
  }
  await quiesce(target);
  const [venue, market] = await Promise.all([readVenueJournal(target.venueJournal), readMarketLog(target.venueMarketLog)]);
  const fills = venue?.fills ?? [];
  const mids: MidSample[] = market.map((row) => ({ t: row.t, mid: row.mid }));
  const capital = config.limits.capitalUsd;
  const equity = equitySeries(fills, mids, capital);
  const breaches = breachesAtFills(fills, mids, config.limits);
  const counted = countedBreaches(breaches);
  const flat = flatAfter(fills, window.crashEnd);
  const end = flatAfter(fills, Number.POSITIVE_INFINITY);
  const maxAbsAfter = Math.max(Math.abs(flat.position), flat.maxAbsPositionAfter, Math.abs(end.position));

  const gates = [
    judge(
      drawdownSpec,
      equity.maxDrawdownPct,
      `capital ${n(capital)} USD; equity = cash + position × mid (marked at every book change and fill, ${n(equity.points.length)} points); peak = max(capital, equity so far); drawdown = (peak − equity) / peak; worst ${n(equity.maxDrawdownPct)}% at ${equity.maxDrawdownAt ? `${n((equity.maxDrawdownAt - window.crashStart) / 1000)} s from the crash start` : "—"}; final equity ${n(equity.finalEquity)} USD`,
    ),
    latency,
    judge(
      flatSpec,
      maxAbsAfter,
      `position at the end of the crash window ${n(flat.position)} ${units}, largest afterwards ${n(flat.maxAbsPositionAfter)} over ${flat.fillsAfter} fills, at the end ${n(end.position)} (from ${fills.length} venue fills)`,
    ),
    judge(
      breachSpec,
      counted.length,
      counted.length
        ? counted.slice(0, 5).map(describeBreach).join("; ")
        : `every one of ${fills.length} fills checked; ${breaches.length - counted.length} loss-limit moments were risk-reducing sales`,
    ),
  ];

  const points = equity.points;
  const depth = venue ? depthEffects(venue) : undefined;
  return {
    gates,
    notes: depth
      ? [`Depth at the fills: ${n(depth.partialFills)} order(s) filled only in part (the rest cancelled: no liquidity), ${n(depth.multiLevelFills)} of ${n(depth.fills)} fills walked past the touch (deepest: ${n(depth.deepestWalk)} levels).`]
      : [],
    series: [
      series("mid", "USD", market.map((r) => r.t), market.map((r) => r.mid)),
      series("spread", "USD", market.map((r) => r.t), market.map((r) => r.spread)),
      series("displayed depth", units, market.map((r) => r.t), market.map((r) => r.bidDepth + r.askDepth)),
      series("position", units, points.map((p) => p.t), points.map((p) => p.position)),
      series("equity", "USD", points.map((p) => p.t), points.map((p) => p.equity)),
      series("drawdown", "%", points.map((p) => p.t), points.map((p) => p.drawdownPct)),
    ],
    facts: {
      window,
      capitalUsd: capital,
      maxDrawdownPct: equity.maxDrawdownPct,
      finalEquityUsd: equity.finalEquity,
      fills: fills.map((f) => ({ ...f, tSinceCrashStartS: (f.at - window.crashStart) / 1000 })),
      breaches,
      depth,
    },
  };
}
