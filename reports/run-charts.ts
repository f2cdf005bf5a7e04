// What the report plots, decided in TypeScript so that the page's script only draws: each chart's
// x values on the run's clock (run-timeline.ts), its y axis label with the unit, and the gate
// thresholds that honestly apply to the plotted quantity (by gate id; a gate judged on something
// else, such as memory growth from a fitted slope, gets no line).
import type { GateResult } from "../core/gates/gate.ts";
import type { Results, ResultsSeries } from "../core/results/results-schema.ts";
import type { RunClock } from "./run-timeline.ts";

export interface ChartLine {
  label: string;
  values: Array<number | null>;
  /** A k6 window's figure holds for its whole window: drawn as steps, not a slope between points. */
  stepped?: boolean;
}

/** A horizontal line: a gate's threshold ("gate") or a planned figure ("plan"), over a span of the x axis. */
export interface Threshold {
  value: number;
  label: string;
  kind: "gate" | "plan";
  gate?: string;
  status?: GateResult["status"];
  /** Also draw −value (a |position| bound). */
  mirror?: boolean;
  from?: number;
  to?: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  yLabel: string;
  x: number[];
  lines: ChartLine[];
  thresholds: Threshold[];
  /** One sentence under the title: what the line is, and what is judged on it. */
  note?: string;
  /** The y axis starts at 0 (a rate, a latency, a share of a window). */
  fromZero?: boolean;
}

const gateLine = (gate: GateResult | undefined, label: string, extra: Partial<Threshold> = {}): Threshold[] =>
  gate && gate.status !== "not-applicable" ? [{ value: gate.threshold, label: `${gate.id} ${gate.comparator} ${gate.threshold} ${gate.unit}${label}`, kind: "gate", gate: gate.id, status: gate.status, ...extra }] : [];

/** Per-window charts from k6's windows, moved onto the run's clock; one closing point shows the last window's width. */
function windowCharts(results: Results, clock: RunClock, gate: (id: string) => GateResult | undefined): ChartSpec[] {
  const w = results.windows;
  if (w.length === 0) return [];
  const last = w[w.length - 1]!;
  const x = [...w.map((r) => clock.measuredFrom + r.t), clock.measuredFrom + last.t + last.seconds];
  const per = <T>(f: (r: (typeof w)[number]) => T) => [...w.map(f), f(last)];
  const measured = { from: x[0], to: x[x.length - 1] };
  const span = " (whole measured run)";
  const rate = typeof results.plan?.rate === "number" ? results.plan.rate : undefined;
  return [
    {
      id: "latency",
      title: "Decision latency per k6 window",
      fromZero: true,
      yLabel: "latency (ms)",
      x,
      lines: [
        { label: "P50", values: per((r) => r.p50Ms), stepped: true },
        { label: "P95", values: per((r) => r.p95Ms), stepped: true },
        { label: "P99", values: per((r) => r.p99Ms), stepped: true },
      ],
      thresholds: [
        ...gateLine(gate("latency_p99"), span, measured),
        ...gateLine(gate("latency_p95"), span, measured),
        ...gateLine(gate("latency_p99_crash"), " (crash window)", measured),
      ],
      note: `k6 http_req_duration per ${last.seconds} s window of the judged scenario; the gates judge the whole measured run, so one window may cross a line the run stays under.`,
    },
    {
      id: "throughput",
      title: "Decisions per second",
      fromZero: true,
      yLabel: "decisions / s",
      x,
      lines: [{ label: "decisions / s", values: per((r) => r.requests / r.seconds), stepped: true }],
      thresholds: rate ? [{ value: rate, label: `planned rate ${rate} / s`, kind: "plan", ...measured }] : [],
    },
    {
      id: "errors",
      title: "Errors and dropped iterations per k6 window",
      fromZero: true,
      yLabel: "% of the window",
      x,
      lines: [
        { label: "HTTP failures (% of requests)", values: per((r) => (r.requests ? (r.failed / r.requests) * 100 : null)), stepped: true },
        { label: "dropped (% of scheduled)", values: per((r) => (r.requests + r.dropped ? (r.dropped / (r.requests + r.dropped)) * 100 : null)), stepped: true },
      ],
      thresholds: [...gateLine(gate("error_rate"), span, measured), ...gateLine(gate("dropped_iterations"), span, measured)],
    },
  ];
}

/** How a sampled series reads: a unit a person knows, and the gate measured on exactly this quantity. */
const SERIES: Record<string, { scale?: number; unit?: string; gates?: Array<{ id: string; mirror?: boolean; after?: "crash" }>; note?: string }> = {
  "target-rss": { scale: 1 / 1048576, unit: "MiB", note: "memory_growth is judged on a least-squares slope over the measured run, not on a level: no line." },
  "redis-backlog": { gates: [{ id: "redis_backlog_max" }] },
  "pipeline-staleness": { note: "Gauntlet's staleness probe, an upper bound; pipeline_latency_p99 is judged on the exporter's own histogram: no line." },
  drawdown: { gates: [{ id: "max_drawdown" }] },
  position: { gates: [{ id: "flat_after_crash", mirror: true, after: "crash" }], note: "Position from the venue's fills; flat_after_crash bounds |position| after the crash window." },
  "pause-flag": { note: "1 while the governor's pause flag is up (sampled at 10 Hz)." },
};

function seriesChart(series: ResultsSeries, clock: RunClock, gate: (id: string) => GateResult | undefined): ChartSpec {
  const how = SERIES[series.name] ?? {};
  const unit = how.unit ?? series.unit;
  const crashEnd = clock.bands.find((b) => b.kind === "phase")?.to;
  const thresholds = (how.gates ?? []).flatMap(({ id, mirror, after }) =>
    gateLine(gate(id), after === "crash" ? " after the crash" : "", { mirror, from: after === "crash" ? crashEnd : undefined }),
  );
  return {
    id: `series-${series.name}`,
    title: series.name,
    yLabel: `${series.name} (${unit})`,
    x: series.t,
    lines: [{ label: `${series.name} (${unit})`, values: series.v.map((v) => v * (how.scale ?? 1)) }],
    thresholds,
    note: how.note,
  };
}

export function runCharts(results: Results, clock: RunClock): ChartSpec[] {
  const gate = (id: string) => results.gates.find((g) => g.id === id);
  return [...windowCharts(results, clock, gate), ...results.series.filter((s) => s.t.length > 0).map((s) => seriesChart(s, clock, gate))];
}

/** The recovery (or fault) timeline: one lane per proxy with a fault and per governor state the run recorded. */
export interface TimelineSpec {
  title: string;
  note: string;
  lanes: string[];
  recoveries: RunClock["recoveries"];
}

export function timelineChart(clock: RunClock): TimelineSpec | undefined {
  const lanes = [...new Set(clock.bands.filter((b) => b.kind === "fault" || b.kind === "pause").map((b) => b.lane))];
  for (const r of clock.recoveries) if (!lanes.includes(r.proxy)) lanes.push(r.proxy);
  if (lanes.length === 0) return undefined;
  const recovered = clock.recoveries.length > 0;
  return {
    title: recovered ? "Recovery timeline" : "Fault timeline",
    note: recovered
      ? "Faults as Toxiproxy applied and removed them; the green arrow runs from an outage's start to the first safe action after it (an order the venue accepted, decided on fresh market data)."
      : "Faults as Toxiproxy applied and removed them, one lane per proxy.",
    lanes,
    recoveries: clock.recoveries,
  };
}
