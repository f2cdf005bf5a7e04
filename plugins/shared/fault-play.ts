// Playing a named fault profile during a scenario's drive phase, and keeping what really happened
// (when each fault took effect and was removed, on the wall clock) for the scenario's judgement.
import { FaultTimeline } from "../../core/faults/fault-timeline.ts";
import { loadProfile, resolveProfile } from "../../core/faults/profile-files.ts";
import { ToxiproxyApi } from "../../core/faults/toxiproxy-api.ts";
import { GauntletError } from "../../core/errors.ts";
import type { ScenarioContext } from "../../core/plugins/contracts.ts";

export interface AppliedFault {
  proxy: string;
  /** "cut" or the toxic type. */
  fault: string;
  /** Wall clock, epoch ms. */
  appliedAt: number;
  removedAt: number | undefined;
}

/** Plays `profile` (a name in toxics/ or a path) from now; resolves when every fault is removed. */
export async function playProfile(ctx: ScenarioContext<unknown>, profile: string, signal: AbortSignal, record: AppliedFault[]): Promise<void> {
  if (!ctx.target.toxiproxyUrl) {
    throw new GauntletError("GAUNTLET_CONFIG_INVALID", `the target exposes no Toxiproxy API, so fault profile "${profile}" cannot be played`);
  }
  const loaded = loadProfile(resolveProfile(profile));
  const open = new Map<string, AppliedFault>();
  const timeline = new FaultTimeline(loaded, {
    api: new ToxiproxyApi(ctx.target.toxiproxyUrl),
    events: ctx.events,
    signal,
    onChange: (change) => {
      const at = Date.now();
      if (change.action === "apply") {
        const applied: AppliedFault = { proxy: change.fault.proxy, fault: change.fault.fault, appliedAt: at, removedAt: undefined };
        open.set(change.fault.id, applied);
        record.push(applied);
      } else {
        const applied = open.get(change.fault.id);
        if (applied) applied.removedAt = at;
      }
    },
  });
  await timeline.play();
}

/** Merge faults on one proxy that touch or overlap into outage windows [start, end]. */
export function outageWindows(faults: readonly AppliedFault[], proxy: string, endOfRun: number): Array<{ start: number; end: number }> {
  const windows: Array<{ start: number; end: number }> = [];
  const sorted = faults.filter((f) => f.proxy === proxy).sort((a, b) => a.appliedAt - b.appliedAt);
  for (const fault of sorted) {
    const end = fault.removedAt ?? endOfRun;
    const last = windows[windows.length - 1];
    // Steps scheduled back to back (a black hole, then a hard cut) are one outage.
    if (last && fault.appliedAt <= last.end + 250) last.end = Math.max(last.end, end);
    else windows.push({ start: fault.appliedAt, end });
  }
  return windows;
}
