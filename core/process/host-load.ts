// How busy the whole machine was while the load was driven. A latency gate measures the governor
// and everything beside it — the load generator, the services, anything else the machine runs —
// so a run says how busy it was (a correct governor's P99 on this 2-core VM moved from 9 to 17 ms
// with the machine's state alone; see quiet-machine.ts).
import { busyShare, readCpuTimes, type CpuTimes } from "./cpu-times.ts";

export interface HostLoad {
  seconds: number;
  /** Mean share of all cores busy over the drive, in %. */
  busyMeanPct: number;
  /** The busiest single second, in %. */
  busyMaxPct: number;
  /** Time the hypervisor gave other guests, in % of all cores' time. */
  stealPct: number;
}

/** Starts sampling once a second; stop() gives the summary (undefined where /proc/stat is missing). Stopping twice is harmless. */
export function watchHostLoad(intervalMs = 1000): { stop(): HostLoad | undefined } {
  const first = readCpuTimes();
  const startedMs = Date.now();
  let previous: CpuTimes | undefined = first;
  let busiest = 0;
  const timer = setInterval(() => {
    const now = readCpuTimes();
    if (previous && now) busiest = Math.max(busiest, busyShare(previous, now));
    previous = now;
  }, intervalMs);
  timer.unref();
  let summary: HostLoad | undefined;
  let stopped = false;
  return {
    stop() {
      if (stopped) return summary;
      stopped = true;
      clearInterval(timer);
      const last = readCpuTimes();
      if (!first || !last || last.total <= first.total) return undefined;
      const round = (share: number) => Math.round(share * 1000) / 10;
      summary = {
        seconds: Math.round((Date.now() - startedMs) / 100) / 10,
        busyMeanPct: round(busyShare(first, last)),
        busyMaxPct: round(Math.max(busiest, busyShare(first, last))),
        stealPct: round((last.steal - first.steal) / (last.total - first.total)),
      };
      return summary;
    },
  };
}
