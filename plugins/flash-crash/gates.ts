// flash-crash's gates, from the venue's fills and its own market log (ground truth), and from
// k6's samples of the crash phase — never from the governor's report of itself.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { formatNumber as n, judge, noData, type GateResult, type GateSpec } from "../../core/gates/gate.ts";
import type { Evidence, Judgement, TargetHandle } from "../../core/plugins/contracts.ts";
import { emptySeries, type Series } from "../../core/samplers/series.ts";
import { breachesAtFills, equitySeries, flatAfter, type MidSample } from "../shared/venue-analysis.ts";
import { readVenueJournal } from "../shared/venue-journal.ts";
import { quiesce } from "../integrity/sources.ts";
import type { FlashCrashConfig } from "./config.ts";

export interface MarketRow {
  t: number;
  ts: number;
  mid: number;
  spread: number;
  bidDepth: number;
  askDepth: number;
}

export async function readMarketLog(path: string): Promise<MarketRow[]> {
  const rows: MarketRow[] = [];
  if (!existsSync(path)) return rows;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line) rows.push(JSON.parse(line) as MarketRow);
  }
  return rows;
}

export interface CrashWindow {
  /** Wall clock, epoch ms, of the replay start and of the crash window. */
  replayStartedAt: number;
  crashStart: number;
  crashEnd: number;
}

function series(name: string, unit: string, t: number[], v: number[]): Series {
  return { ...emptySeries(name, unit), t, v };
}

export async function flashCrashJudgement(evidence: Evidence, target: TargetHandle, config: FlashCrashConfig, window: CrashWindow | undefined): Promise<Judgement> {
  const t = config.thresholds;
  const spec = (id: string, title: string, category: GateSpec["category"], severity: GateSpec["severity"], unit: string, comparator: GateSpec["comparator"], threshold: number): GateSpec => ({ id, title, category, severity, unit, comparator, threshold });
  const drawdownSpec = spec("max_drawdown", "Max drawdown of equity (venue fills, marked at the mid)", "safety", "CRITICAL", "%", "<=", t.maxDrawdownPct);
  const latencySpec = spec("latency_p99_crash", "Decision latency P99 during the crash window", "latency", "CRITICAL", "ms", "<=", t.p99Ms);
  const flatSpec = spec("flat_after_crash", "Position after the crash (venue fills)", "safety", "CRITICAL", "shares", "<=", t.flatShares);
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
  await quiesce(target.baseUrl);
  const [venue, market] = await Promise.all([readVenueJournal(target.venueJournal), readMarketLog(target.venueMarketLog)]);
  const fills = venue?.fills ?? [];
  const mids: MidSample[] = market.map((row) => ({ t: row.t, mid: row.mid }));
  const capital = config.limits.capitalUsd;
  const equity = equitySeries(fills, mids, capital);
  const breaches = breachesAtFills(fills, mids, config.limits);
  // A sale that reduces the position while the loss is over the limit is the governor doing what
  // the limit demands (the market moved, not the governor): counted apart, not as a breach.
  const counted = breaches.filter((b) => !(b.limit === "maxIntradayLossUsd" && b.reducesRisk));
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
      `position at the end of the crash window ${n(flat.position)} shares, largest afterwards ${n(flat.maxAbsPositionAfter)} over ${flat.fillsAfter} fills, at the end ${n(end.position)} (from ${fills.length} venue fills)`,
    ),
    judge(
      breachSpec,
      counted.length,
      counted.length
        ? counted.slice(0, 5).map((b) => `${b.limit} at fill ${b.fillId} (${b.clientOrderId}): ${n(b.value)} > ${n(b.limitValue)}`).join("; ")
        : `every one of ${fills.length} fills checked; ${breaches.length - counted.length} loss-limit moments were risk-reducing sales`,
    ),
  ];

  const points = equity.points;
  return {
    gates,
    series: [
      series("mid", "USD", market.map((r) => r.t), market.map((r) => r.mid)),
      series("spread", "USD", market.map((r) => r.t), market.map((r) => r.spread)),
      series("displayed depth", "shares", market.map((r) => r.t), market.map((r) => r.bidDepth + r.askDepth)),
      series("position", "shares", points.map((p) => p.t), points.map((p) => p.position)),
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
    },
  };
}
