// A run's one clock for its report: every time is seconds since the drive phase started (k6
// launched; results.driveStartedAt), the zero of results.series[].t and of the fault profiles.
// k6's windows count from the judged scenario's first sample instead (after a warm-up, or at the
// crash), so they are moved onto this clock; faults, the crash window, outages, recoveries and the
// emergency stop arrive as epoch ms and are converted here, once, so every chart agrees.
import { outageWindows } from "../core/faults/fault-log.ts";
import type { Results } from "../core/results/results-schema.ts";

/** A stretch of the run, shaded on every chart and drawn in its lane on the recovery timeline. */
export interface Band {
  from: number;
  to: number;
  kind: "warmup" | "phase" | "fault" | "pause";
  /** Short text drawn on the chart: "broker: cut", "warm-up (not judged)". */
  label: string;
  /** The lane it belongs to on the recovery timeline (a proxy, "emergency stop", …). */
  lane: string;
  /** The longer line for the tooltip and the fault table. */
  detail?: string;
}

/** A moment on the run's clock: where measurement starts, a first safe action after an outage. */
export interface Marker {
  at: number;
  kind: "measure" | "recovery";
  label: string;
  lane?: string;
}

/** One outage and how long the governor took to act safely again (recovery-watch.ts's definition). */
export interface Recovery {
  proxy: string;
  start: number;
  end: number | null;
  firstSafe: number | null;
  seconds: number | null;
}

export interface RunClock {
  /** Where the judged k6 scenario's windows start on this clock. */
  measuredFrom: number;
  /** false when an older results.json did not record it and the plan gave an estimate. */
  measuredFromExact: boolean;
  /** The shared x range of every chart. */
  range: [number, number];
  bands: Band[];
  markers: Marker[];
  recoveries: Recovery[];
}

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const round = (s: number) => Math.round(s * 1000) / 1000;

/** Facts a scenario left in results.extra, found by shape (flash-crash's window, broker-failure's outages, hard-kill's stop). */
function facts(results: Results, key: string): Obj[] {
  return Object.values(results.extra).filter((value): value is Obj => isObj(value) && key in value);
}

function measuredStart(results: Results, seconds: (ms: number) => number): { at: number; exact: boolean } {
  if (results.measuredStartedAt !== undefined) return { at: seconds(results.measuredStartedAt), exact: true };
  // Older results: the crash scenario starts at the crash, a flood after its warm-up (plus k6's start-up).
  const crash = facts(results, "window").map((f) => (isObj(f.window) ? num(f.window.crashStart) : undefined)).find((v) => v !== undefined);
  if (crash !== undefined) return { at: seconds(crash), exact: false };
  return { at: num(results.plan?.warmupSeconds) ?? num(results.plan?.buildSeconds) ?? 0, exact: false };
}

function recoveries(results: Results, events: readonly unknown[], endMs: number, seconds: (ms: number) => number): Recovery[] {
  const byStart = new Map<number, Recovery>();
  const add = (proxy: string, startMs: number, endAt: number | undefined, safeMs: number | undefined) => {
    const prior = byStart.get(startMs);
    const end = endAt ?? outageWindows(results.faultTimeline, proxy, endMs).find((o) => o.start === startMs)?.end;
    byStart.set(startMs, {
      proxy: prior?.proxy ?? proxy,
      start: seconds(startMs),
      end: end !== undefined && Number.isFinite(end) ? seconds(end) : (prior?.end ?? null),
      firstSafe: safeMs !== undefined ? seconds(safeMs) : (prior?.firstSafe ?? null),
      seconds: safeMs !== undefined ? round((safeMs - startMs) / 1000) : (prior?.seconds ?? null),
    });
  };
  // The live watch's events (recovery-watch.ts), then the judged facts (broker-failure's outages: the gates' own figures).
  for (const event of events) {
    if (!isObj(event) || event.kind !== "recovery") continue;
    const start = num(event.outageStart);
    if (start !== undefined) add(String(event.proxy ?? "broker"), start, undefined, num(event.firstSafeAt));
  }
  for (const fact of facts(results, "outages")) {
    for (const outage of Array.isArray(fact.outages) ? fact.outages : []) {
      if (isObj(outage) && num(outage.start) !== undefined) add("broker", num(outage.start)!, num(outage.end), num(outage.firstSafeAt));
    }
  }
  return [...byStart.values()].sort((a, b) => a.start - b.start);
}

export function runClock(results: Results, events: readonly unknown[] = []): RunClock {
  const origin = results.driveStartedAt ?? Date.parse(results.startedAt);
  const seconds = (ms: number) => round((ms - origin) / 1000);
  const endMs = Date.parse(results.endedAt);
  const measured = measuredStart(results, seconds);
  const bands: Band[] = [];
  const markers: Marker[] = [];

  const warmup = num(results.plan?.warmupSeconds);
  if (warmup && measured.at > 0) {
    bands.push({ from: 0, to: measured.at, kind: "warmup", label: "warm-up (not judged)", lane: "load", detail: `k6's ${warmup} s warm-up ramp; no gate reads it` });
    markers.push({ at: measured.at, kind: "measure", label: `measured from ${round(measured.at)} s` });
  }
  for (const fact of facts(results, "window")) {
    const window = isObj(fact.window) ? fact.window : {};
    const [start, end] = [num(window.crashStart), num(window.crashEnd)];
    if (start !== undefined && end !== undefined) {
      bands.push({ from: seconds(start), to: seconds(end), kind: "phase", label: "crash window", lane: "market", detail: "the imposed crash on the replayed book; latency_p99_crash is judged on it" });
    }
  }
  for (const fault of results.faultTimeline) {
    const to = fault.removedAt ?? endMs;
    bands.push({ from: seconds(fault.appliedAt), to: seconds(to), kind: "fault", label: `${fault.proxy}: ${fault.fault}`, lane: fault.proxy, detail: fault.description });
  }
  for (const fact of facts(results, "emergencyStop")) {
    const stop = isObj(fact.emergencyStop) ? fact.emergencyStop : {};
    const [requested, released] = [num(stop.requestedAt), num(stop.releasedAt)];
    if (requested !== undefined) {
      bands.push({ from: seconds(requested), to: seconds(released ?? endMs), kind: "pause", label: "emergency stop", lane: "emergency stop", detail: "POST /v1/admin/pause until its release" });
    }
    for (const paused of Array.isArray(fact.pausedIntervals) ? fact.pausedIntervals : []) {
      if (isObj(paused) && num(paused.start) !== undefined && num(paused.end) !== undefined) {
        bands.push({ from: seconds(num(paused.start)!), to: seconds(num(paused.end)!), kind: "pause", label: "paused", lane: "pause flag", detail: "the governor's pause flag was up" });
      }
    }
  }
  const recovered = recoveries(results, events, endMs, seconds);
  for (const r of recovered) {
    if (r.firstSafe !== null) markers.push({ at: r.firstSafe, kind: "recovery", label: `${r.proxy} recovered ${r.seconds} s`, lane: r.proxy });
  }

  // One x range for every chart: from the drive's start to the last thing that happened in it.
  const windowsEnd = results.windows.reduce((max, w) => Math.max(max, measured.at + w.t + w.seconds), 0);
  const seriesEnd = results.series.reduce((max, s) => Math.max(max, s.t[s.t.length - 1] ?? 0), 0);
  const eventsEnd = [...bands.map((b) => b.to), ...markers.map((m) => m.at)].reduce((max, t) => Math.max(max, t), 0);
  const end = Math.max(windowsEnd, seriesEnd, eventsEnd, 1);
  return { measuredFrom: round(measured.at), measuredFromExact: measured.exact, range: [0, Math.ceil(end)], bands, markers, recoveries: recovered };
}
