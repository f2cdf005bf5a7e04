// The machine's CPU time so far, all cores together, from the first line of /proc/stat (in
// jiffies); undefined where there is no /proc (macOS).
import { readFileSync } from "node:fs";

export interface CpuTimes {
  /** Idle and waiting on I/O. */
  idle: number;
  /** Taken by the hypervisor for other guests: a VM's neighbours. */
  steal: number;
  total: number;
}

export function readCpuTimes(): CpuTimes | undefined {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal [guest guest_nice: already counted in user]
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    return { idle: idle + iowait, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return undefined;
  }
}

/** Share of the time between two readings that was not idle (0–1). */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  return 1 - (after.idle - before.idle) / Math.max(1, after.total - before.total);
}
