// A validated profile expanded into what Toxiproxy will see: every occurrence of every step, the
// real toxics (a `direction: both` toxic becomes two) with their names, and the ordered list of
// changes. Pure: `toxics show`, `apply --dry-run` and the timeline driver all read this one plan.
import type { ToxicSpec } from "./toxiproxy-api.ts";
import type { VenueFault } from "../../protocol/venue-faults.ts";
import { stepTarget, stepWindows, type FaultProfile, type FaultStep } from "./profile-schema.ts";

/**
 * Every toxic Gauntlet creates is named `gauntlet-<profile>-<step name or step<i>>[.<occurrence>]
 * [.<stream>]`, so that `clearGauntletFaults` finds exactly these after a crash. Profile and toxic
 * names cannot contain ".", so the generated suffixes never collide with a user's name.
 */
export const GAUNTLET_TOXIC_PREFIX = "gauntlet-";

/**
 * Toxiproxy keeps no note of who disabled a proxy. A cut therefore first adds a no-op marker toxic
 * (toxicity 0) named `….cut`, then disables the proxy; it re-enables, then removes the marker. A
 * disabled proxy carrying a marker was disabled by Gauntlet: `clearGauntletFaults` re-enables it.
 */
export const CUT_MARKER_SUFFIX = ".cut";

export interface PlannedFault {
  /** Unique within the profile: `step<i>.<occurrence>`. */
  id: string;
  step: number;
  /** 1-based. */
  occurrence: number;
  /** The Toxiproxy proxy, or "venue" for a protocol fault. */
  proxy: string;
  /** "cut", the toxic type or the venue fault type: the `fault` label of gauntlet_active_faults. */
  fault: string;
  startS: number;
  endS: number;
  /** The real toxics; empty for a cut. */
  toxics: ToxicSpec[];
  /** For a cut, the marker toxic added before the proxy is disabled. */
  marker?: ToxicSpec;
  /** For a venue protocol fault: what the venue does, under the name `name` in its admin API. */
  venue?: { name: string; fault: VenueFault };
}

export interface PlannedChange {
  t: number;
  action: "apply" | "remove";
  fault: PlannedFault;
}

export function isGauntletToxic(name: string): boolean {
  return name.startsWith(GAUNTLET_TOXIC_PREFIX);
}

export function isCutMarker(name: string): boolean {
  return isGauntletToxic(name) && name.endsWith(CUT_MARKER_SUFFIX);
}

function toxicsOf(base: string, step: FaultStep): ToxicSpec[] {
  const toxic = step.toxic;
  if (!toxic) return [];
  const common = { type: toxic.type, toxicity: toxic.toxicity, attributes: { ...toxic.attributes } as Record<string, number> };
  if (toxic.direction === "both") {
    return (["downstream", "upstream"] as const).map((stream) => ({ name: `${base}.${stream}`, stream, ...common }));
  }
  return [{ name: base, stream: toxic.stream ?? "downstream", ...common }];
}

export function planFaults(profile: FaultProfile): PlannedFault[] {
  return profile.steps.flatMap((step, i) => {
    const windows = stepWindows(step);
    return windows.map(([startS, endS], k) => {
      const base = `${GAUNTLET_TOXIC_PREFIX}${profile.name}-${step.toxic?.name ?? `step${i}`}${windows.length > 1 ? `.${k + 1}` : ""}`;
      const planned: PlannedFault = {
        id: `step${i}.${k + 1}`,
        step: i,
        occurrence: k + 1,
        proxy: stepTarget(step),
        fault: step.venue ? step.venue.type : step.cut ? "cut" : step.toxic!.type,
        startS,
        endS,
        toxics: toxicsOf(base, step),
      };
      if (step.venue) planned.venue = { name: base, fault: step.venue };
      if (step.cut) {
        planned.marker = { name: `${base}${CUT_MARKER_SUFFIX}`, type: "latency", stream: "downstream", toxicity: 0, attributes: { latency: 0, jitter: 0 } };
      }
      return planned;
    });
  });
}

/**
 * Ordered by time; at one instant applications come first, so back-to-back windows are one outage
 * (the next fault is on before the previous comes off: fault-timeline.ts plays them in this order).
 */
export function planChanges(faults: readonly PlannedFault[]): PlannedChange[] {
  const changes = faults.flatMap((fault): PlannedChange[] => [
    { t: fault.startS, action: "apply", fault },
    { t: fault.endS, action: "remove", fault },
  ]);
  return changes.sort((a, b) => a.t - b.t || (a.action === b.action ? a.fault.step - b.fault.step : a.action === "apply" ? -1 : 1));
}

/** Seconds from the profile start to the end of its last fault. */
export function profileSpan(profile: FaultProfile): number {
  return Math.max(...planFaults(profile).map((fault) => fault.endS));
}

const UNITS: Record<string, string> = {
  latency: "ms", jitter: "ms", timeout: "ms", rate: "KB/s", bytes: "B", average_size: "B", size_variation: "B",
};

/** One line a reader understands: `latency toxic: latency 250 ms, jitter 0 ms · downstream+upstream · toxicity 1`. */
export function describeFault(fault: PlannedFault): string {
  if (fault.fault === "cut") return "cut: proxy disabled (connections closed and refused, both directions)";
  if (fault.venue) {
    const attributes = Object.entries(fault.venue.fault.attributes).map(([name, value]) => `${name} ${typeof value === "string" ? JSON.stringify(value) : value}`);
    return `venue fault ${fault.venue.fault.type}${attributes.length ? `: ${attributes.join(", ")}` : ""}`;
  }
  const first = fault.toxics[0]!;
  const unit = (name: string) => (first.type === "slicer" && name === "delay" ? "µs" : (UNITS[name] ?? (name === "delay" ? "ms" : "")));
  const attributes = Object.entries(first.attributes).map(([name, value]) => `${name} ${value}${unit(name) ? ` ${unit(name)}` : ""}`);
  const streams = fault.toxics.map((toxic) => toxic.stream).join("+");
  return `${first.type} toxic: ${attributes.join(", ")} · ${streams} · toxicity ${first.toxicity}`;
}
