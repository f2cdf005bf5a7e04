// Plays a fault profile against Toxiproxy on the run's clock: each fault applied and removed at its
// planned second, each change written to the event log with the moment it took effect, the live
// gauge gauntlet_active_faults{proxy,fault} kept current. Whatever ends the play — the last step,
// an error, an abort — every fault it applied is removed before play() returns, with the API's
// timeouts and retries plus rounds of its own (removing toxics under load has hung:
// Shopify/toxiproxy#412, #558).
import { setTimeout as sleep } from "node:timers/promises";
import { GauntletError } from "../errors.ts";
import { log } from "../log.ts";
import type { EventLog } from "../orchestrator/event-log.ts";
import type { LiveMetrics } from "../orchestrator/live-metrics.ts";
import { isGauntletToxic, planChanges, planFaults, type PlannedChange, type PlannedFault } from "./fault-plan.ts";
import type { FaultProfile } from "./profile-schema.ts";
import type { ToxiproxyApi } from "./toxiproxy-api.ts";

export interface ActiveFault {
  id: string;
  proxy: string;
  fault: string;
  /** Toxiproxy toxic names (for a cut, its marker). */
  toxics: string[];
  /** Seconds from the profile start when it took effect, and when it is planned to end. */
  sinceS: number;
  untilS: number;
}

export interface FaultChange {
  action: "apply" | "remove";
  fault: PlannedFault;
  atS: number;
  reason: "scheduled" | "end" | "abort" | "error";
}

export interface FaultTimelineOptions {
  api: ToxiproxyApi;
  events: EventLog;
  metrics?: LiveMetrics;
  /** Epoch ms of the profile's t = 0 on the run's clock (default: when play() starts). */
  startMs?: number;
  signal?: AbortSignal;
  onChange?: (change: FaultChange, active: readonly ActiveFault[]) => void;
}

export type TimelineOutcome = "completed" | "aborted";

/** What may be in Toxiproxy for one fault, recorded BEFORE each call: a call that timed out on
 * our side may still have landed, and removal tolerates what is already gone. */
interface Touched {
  fault: PlannedFault;
  toxics: string[];
  disabled: boolean;
}

const CLEANUP_ROUNDS = 3;

/** Wait for every call, then fail with the first error: no call may still be in flight when cleanup starts. */
async function settleAll(calls: Array<Promise<unknown>>): Promise<void> {
  const failed = (await Promise.allSettled(calls)).find((result) => result.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

export class FaultTimeline {
  readonly faults: readonly PlannedFault[];
  readonly changes: readonly PlannedChange[];
  private startMs = 0;
  private readonly touched = new Map<string, Touched>();
  private readonly current = new Map<string, ActiveFault>();
  private played = false;

  constructor(readonly profile: FaultProfile, private readonly options: FaultTimelineOptions) {
    this.faults = planFaults(profile);
    this.changes = planChanges(this.faults);
  }

  active(): ActiveFault[] {
    return [...this.current.values()];
  }

  /** Resolves once every fault is removed: "completed", or "aborted" when the signal fired. */
  async play(): Promise<TimelineOutcome> {
    if (this.played) throw new GauntletError("GAUNTLET_INTERNAL", `fault profile ${this.profile.name} played twice`);
    this.played = true;
    this.startMs = this.options.startMs ?? Date.now();
    const { events, signal } = this.options;
    events.emit("fault.profile.start", { profile: this.profile.name, startMs: this.startMs, faults: this.faults.length });
    let outcome: TimelineOutcome = "completed";
    let failure: unknown;
    try {
      await this.preflight();
      for (let i = 0; i < this.changes.length; ) {
        const t = this.changes[i]!.t;
        const group: PlannedChange[] = [];
        while (i < this.changes.length && this.changes[i]!.t === t) group.push(this.changes[i++]!);
        if (!(await this.waitUntil(t))) {
          outcome = "aborted";
          break;
        }
        // Faults planned for one instant go together (a double fault is simultaneous).
        await settleAll(group.filter((c) => c.action === "remove").map((c) => this.remove(c.fault, "scheduled")));
        await settleAll(group.filter((c) => c.action === "apply").map((c) => this.apply(c.fault)));
      }
    } catch (error) {
      failure = error;
    }
    const reason = failure ? "error" : outcome === "aborted" ? "abort" : "end";
    const left = await this.removeEverything(reason);
    events.emit("fault.profile.end", { profile: this.profile.name, outcome: failure ? "error" : outcome, atS: this.nowS(), left });
    if (failure) throw failure;
    if (left.length > 0) {
      throw new GauntletError("GAUNTLET_TOXIPROXY_API", `could not remove ${left.join(", ")} from ${this.options.api.url}`, {
        hint: `Run \`gauntlet toxics clear --toxiproxy ${this.options.api.url}\`; it removes exactly Gauntlet's toxics and re-enables proxies Gauntlet cut.`,
      });
    }
    return outcome;
  }

  private nowS(): number {
    return Math.round(Date.now() - this.startMs) / 1000;
  }

  /** Before touching anything: every proxy exists, is enabled and carries no Gauntlet leftovers. */
  private async preflight(): Promise<void> {
    const proxies = new Map((await this.options.api.listProxies()).map((proxy) => [proxy.name, proxy]));
    for (const name of new Set(this.faults.map((fault) => fault.proxy))) {
      const proxy = proxies.get(name);
      if (!proxy) {
        throw new GauntletError("GAUNTLET_TOXIPROXY_API", `proxy "${name}" of profile ${this.profile.name} does not exist at ${this.options.api.url} (it has: ${[...proxies.keys()].join(", ") || "none"})`);
      }
      const leftovers = proxy.toxics.filter((toxic) => isGauntletToxic(toxic.name)).map((toxic) => toxic.name);
      if (!proxy.enabled || leftovers.length > 0) {
        throw new GauntletError("GAUNTLET_TOXIPROXY_API", `proxy "${name}" is ${proxy.enabled ? `carrying ${leftovers.join(", ")}` : "disabled"} before the profile starts`, {
          hint: `A drill starts from a healthy proxy: \`gauntlet toxics clear --toxiproxy ${this.options.api.url}\` removes what an earlier Gauntlet left.`,
        });
      }
    }
  }

  /** False when aborted before `t`. */
  private async waitUntil(t: number): Promise<boolean> {
    const { signal } = this.options;
    const delay = this.startMs + t * 1000 - Date.now();
    if (delay > 0 && !signal?.aborted) await sleep(delay, undefined, signal ? { signal } : {}).catch(() => undefined);
    return !signal?.aborted;
  }

  private async apply(fault: PlannedFault): Promise<void> {
    const { api, events } = this.options;
    if (this.nowS() >= fault.endS) {
      events.emit("fault.skip", { profile: this.profile.name, id: fault.id, proxy: fault.proxy, fault: fault.fault, plannedS: fault.startS, atS: this.nowS(), why: "its window had passed when the profile reached it" });
      return;
    }
    const touched: Touched = { fault, toxics: [], disabled: false };
    this.touched.set(fault.id, touched);
    const began = performance.now();
    if (fault.marker) {
      touched.toxics.push(fault.marker.name);
      await api.addToxic(fault.proxy, fault.marker);
      touched.disabled = true;
      await api.setEnabled(fault.proxy, false);
    } else {
      touched.toxics.push(...fault.toxics.map((toxic) => toxic.name));
      await Promise.all(fault.toxics.map((toxic) => api.addToxic(fault.proxy, toxic)));
    }
    const atS = this.nowS();
    const tookMs = Math.round(performance.now() - began);
    for (const fields of this.describe(fault, "apply")) events.emit("fault.apply", { ...fields, plannedS: fault.startS, atS, tookMs });
    this.current.set(fault.id, { id: fault.id, proxy: fault.proxy, fault: fault.fault, toxics: touched.toxics, sinceS: atS, untilS: fault.endS });
    this.options.metrics?.activeFaults.inc({ proxy: fault.proxy, fault: fault.fault });
    this.notify({ action: "apply", fault, atS, reason: "scheduled" });
  }

  private async remove(fault: PlannedFault, reason: FaultChange["reason"]): Promise<void> {
    const touched = this.touched.get(fault.id);
    if (!touched) return;
    const { api, events } = this.options;
    const began = performance.now();
    // Re-enable first, then remove the marker: the marker outlives the cut (see fault-plan.ts).
    if (touched.disabled) {
      await api.setEnabled(fault.proxy, true);
      touched.disabled = false;
    }
    await Promise.all(touched.toxics.map((name) => api.removeToxic(fault.proxy, name)));
    this.touched.delete(fault.id);
    const atS = this.nowS();
    const tookMs = Math.round(performance.now() - began);
    for (const fields of this.describe(fault, "remove")) events.emit("fault.remove", { ...fields, plannedS: fault.endS, atS, tookMs, reason });
    if (this.current.delete(fault.id)) this.options.metrics?.activeFaults.dec({ proxy: fault.proxy, fault: fault.fault });
    this.notify({ action: "remove", fault, atS, reason });
  }

  /** Remove whatever is still applied, in rounds; returns what could not be removed. */
  private async removeEverything(reason: FaultChange["reason"]): Promise<string[]> {
    for (let round = 1; round <= CLEANUP_ROUNDS && this.touched.size > 0; round++) {
      if (round > 1) await sleep(1000 * (round - 1));
      const results = await Promise.allSettled([...this.touched.values()].map((touched) => this.remove(touched.fault, reason)));
      for (const result of results) {
        if (result.status === "rejected") log.warn(`removing a fault (round ${round} of ${CLEANUP_ROUNDS}): ${(result.reason as Error).message}`);
      }
    }
    const left = [...this.touched.values()].flatMap((touched) => [
      ...(touched.disabled ? [`the cut of ${touched.fault.proxy}`] : []),
      ...touched.toxics.map((name) => `${touched.fault.proxy}/${name}`),
    ]);
    if (left.length > 0) this.options.events.emit("fault.remove.failed", { profile: this.profile.name, left });
    return left;
  }

  /** One event body per real Toxiproxy change: a `direction: both` toxic is two. */
  private describe(fault: PlannedFault, action: FaultChange["action"]): Array<Record<string, unknown>> {
    const base = { profile: this.profile.name, id: fault.id, step: fault.step, proxy: fault.proxy, fault: fault.fault };
    if (fault.marker) return [{ ...base, type: "cut", enabled: action === "remove", marker: fault.marker.name }];
    return fault.toxics.map((toxic) => ({ ...base, toxic: toxic.name, type: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity, attributes: toxic.attributes }));
  }

  private notify(change: FaultChange): void {
    try {
      this.options.onChange?.(change, this.active());
    } catch (error) {
      // A listener (a progress line, a dashboard) must never decide whether a fault is removed.
      log.warn(`fault timeline listener: ${(error as Error).message}`);
    }
  }
}
