// The run's one record of faults: every fault applied and removed, on one clock (epoch ms), from
// the profile to the report. The players (Toxiproxy timelines) write into it; it keeps the live
// gauge gauntlet_active_faults{proxy,fault} current; the gates read outage windows from it; and
// results.json carries it as `faultTimeline`.
import type { LiveMetrics } from "../events/live-metrics.ts";
import { log } from "../log.ts";

export type FaultRemoval = "scheduled" | "end" | "abort" | "error";

export interface FaultRecord {
  /** `<profile>/step<i>.<occurrence>`: unique within a run. */
  id: string;
  profile: string;
  proxy: string;
  /** "cut" or the Toxiproxy toxic type: the `fault` label of gauntlet_active_faults. */
  fault: string;
  /** One line a reader understands, e.g. `latency toxic: latency 250 ms, jitter 0 ms · downstream+upstream`. */
  description: string;
  /** The Toxiproxy toxic names it created (for a cut, its marker). */
  toxics: string[];
  /** The window the profile planned, epoch ms. */
  plannedStartMs: number;
  plannedEndMs: number;
  /** When it took effect, epoch ms. */
  appliedAt: number;
  /** When it was removed, epoch ms; absent while it is applied. */
  removedAt?: number;
  /**
   * When its removal was asked for, epoch ms. From here to removedAt the fault may or may not be
   * in effect (a venue fault's removal took 155–282 ms on a busy machine): a gate that judges what
   * a governor did *during* a fault ends its window here.
   */
  removalBeganAt?: number;
  removal?: FaultRemoval;
}

export type FaultListener = (record: FaultRecord, change: "apply" | "remove", log: FaultLog) => void;

export class FaultLog {
  readonly records: FaultRecord[] = [];
  private readonly listeners: FaultListener[] = [];

  constructor(private readonly metrics?: LiveMetrics) {}

  listen(listener: FaultListener): void {
    this.listeners.push(listener);
  }

  applied(record: FaultRecord): void {
    this.records.push(record);
    this.metrics?.activeFaults.inc({ proxy: record.proxy, fault: record.fault });
    this.notify(record, "apply");
  }

  removed(id: string, at: number, removal: FaultRemoval, beganAt: number): void {
    const record = this.records.find((candidate) => candidate.id === id && candidate.removedAt === undefined);
    if (!record) return;
    record.removedAt = at;
    record.removalBeganAt = beganAt;
    record.removal = removal;
    this.metrics?.activeFaults.dec({ proxy: record.proxy, fault: record.fault });
    this.notify(record, "remove");
  }

  active(): FaultRecord[] {
    return this.records.filter((record) => record.removedAt === undefined);
  }

  private notify(record: FaultRecord, change: "apply" | "remove"): void {
    for (const listener of this.listeners) {
      try {
        listener(record, change, this);
      } catch (error) {
        // A listener (a progress line, a dashboard) must never decide whether a fault is removed.
        log.warn(`fault log listener: ${(error as Error).message}`);
      }
    }
  }
}

/** Faults on one proxy that touch or overlap, merged into outage windows [start, end] (epoch ms). */
export function outageWindows(records: readonly FaultRecord[], proxy: string, endOfRunMs: number): Array<{ start: number; end: number }> {
  const windows: Array<{ start: number; end: number }> = [];
  const sorted = records.filter((record) => record.proxy === proxy).sort((a, b) => a.appliedAt - b.appliedAt);
  for (const record of sorted) {
    const end = record.removedAt ?? endOfRunMs;
    const last = windows[windows.length - 1];
    // Steps scheduled back to back (a black hole, then a hard cut) are one outage.
    if (last && record.appliedAt <= last.end + 250) last.end = Math.max(last.end, end);
    else windows.push({ start: record.appliedAt, end });
  }
  return windows;
}
