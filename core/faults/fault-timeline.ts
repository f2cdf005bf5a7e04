// Plays a fault profile against Toxiproxy and the venue on the run's clock: each fault applied and removed at its
// planned second, each change written to the event log with the moment it took effect and to the
// run's FaultLog (which keeps gauntlet_active_faults current). Whatever ends the play — the last
// step, an error, an abort — every fault it applied is removed before play() returns, with the
// API's timeouts and retries plus rounds of its own (removing toxics under load has hung:
// Shopify/toxiproxy#412, #558).
import { setTimeout as sleep } from "node:timers/promises";
import { GauntletError } from "../errors.ts";
import type { EventLog } from "../events/event-log.ts";
import { log } from "../log.ts";
import { describeFault, isGauntletToxic, planChanges, planFaults, type PlannedChange, type PlannedFault } from "./fault-plan.ts";
import { FaultLog, type FaultRemoval } from "./fault-log.ts";
import type { FaultProfile } from "./profile-schema.ts";
import type { ToxiproxyApi } from "./toxiproxy-api.ts";
import type { VenueFaultApi } from "./venue-fault-api.ts";

export interface FaultTimelineOptions {
  api: ToxiproxyApi;
  /** The venue's fault API: needed only by a profile with venue protocol faults. */
  venue?: VenueFaultApi;
  events: EventLog;
  /** The run's record of faults (a fresh one when the timeline plays alone, e.g. `toxics apply`). */
  faults?: FaultLog;
  /** Epoch ms of the profile's t = 0 on the run's clock (default: when play() starts). */
  startMs?: number;
  signal?: AbortSignal;
}

export type TimelineOutcome = "completed" | "aborted";

/** What may be in Toxiproxy for one fault, recorded BEFORE each call: a call that timed out on
 * our side may still have landed, and removal tolerates what is already gone. */
interface Touched {
  fault: PlannedFault;
  toxics: string[];
  disabled: boolean;
  /** A venue protocol fault's name in the venue's fault API. */
  venueFault?: string;
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
  readonly log: FaultLog;
  private readonly touched = new Map<string, Touched>();
  private played = false;

  constructor(readonly profile: FaultProfile, private readonly options: FaultTimelineOptions) {
    this.faults = planFaults(profile);
    this.changes = planChanges(this.faults);
    this.log = options.faults ?? new FaultLog();
  }

  /** The record id of a planned fault: unique in the run even when two profiles share step numbers. */
  private recordId(fault: PlannedFault): string {
    return `${this.profile.name}/${fault.id}`;
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
        // Faults planned for one instant go together (a double fault is simultaneous), and what
        // starts is applied before what ends is removed: back-to-back steps are one outage. Removing
        // first left the link up between them for as long as the next call took — 311 ms on a
        // starved machine, long enough for a correct governor to reconnect and resend its in-doubt
        // orders between a black hole and the cut planned right after it.
        await settleAll(group.filter((c) => c.action === "apply").map((c) => this.apply(c.fault)));
        await settleAll(group.filter((c) => c.action === "remove").map((c) => this.remove(c.fault, "scheduled")));
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
    if (this.faults.some((fault) => fault.venue)) await this.preflightVenue();
    const proxyFaults = this.faults.filter((fault) => !fault.venue);
    if (proxyFaults.length === 0) return;
    const proxies = new Map((await this.options.api.listProxies()).map((proxy) => [proxy.name, proxy]));
    for (const name of new Set(proxyFaults.map((fault) => fault.proxy))) {
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

  /** Venue faults need the venue's fault API, and a venue carrying none of Gauntlet's faults. */
  private async preflightVenue(): Promise<void> {
    const venue = this.options.venue;
    if (!venue) {
      throw new GauntletError("GAUNTLET_CONFIG_INVALID", `fault profile ${this.profile.name} has venue protocol faults, but this run has no venue fault API`, {
        hint: "Venue faults act in the venue Gauntlet provisions (gauntlet run/gameday); `gauntlet toxics apply` plays them with --venue <the venue's admin URL>.",
      });
    }
    const applied = await venue.list();
    if (applied.length > 0) {
      throw new GauntletError("GAUNTLET_VENUE_FAULT_API", `the venue at ${venue.url} carries ${applied.join(", ")} before the profile starts`, {
        hint: "A venue reset (every run starts with one) removes every venue fault.",
      });
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
    if (fault.venue) {
      touched.venueFault = fault.venue.name;
      await this.options.venue!.apply(fault.venue.name, fault.venue.fault);
    } else if (fault.marker) {
      touched.toxics.push(fault.marker.name);
      await api.addToxic(fault.proxy, fault.marker);
      touched.disabled = true;
      await api.setEnabled(fault.proxy, false);
    } else {
      touched.toxics.push(...fault.toxics.map((toxic) => toxic.name));
      await Promise.all(fault.toxics.map((toxic) => api.addToxic(fault.proxy, toxic)));
    }
    const at = Date.now();
    const atS = this.nowS();
    const tookMs = Math.round(performance.now() - began);
    for (const fields of this.describe(fault, "apply")) events.emit("fault.apply", { ...fields, plannedS: fault.startS, atS, tookMs });
    this.log.applied({
      id: this.recordId(fault),
      profile: this.profile.name,
      proxy: fault.proxy,
      fault: fault.fault,
      description: describeFault(fault),
      toxics: fault.venue ? [fault.venue.name] : [...touched.toxics],
      plannedStartMs: this.startMs + fault.startS * 1000,
      plannedEndMs: this.startMs + fault.endS * 1000,
      appliedAt: at,
    });
  }

  private async remove(fault: PlannedFault, reason: FaultRemoval): Promise<void> {
    const touched = this.touched.get(fault.id);
    if (!touched) return;
    const { api, events } = this.options;
    const began = performance.now();
    const beganAt = Date.now();
    if (touched.venueFault) {
      await this.options.venue!.remove(touched.venueFault);
      touched.venueFault = undefined;
    }
    // Re-enable first, then remove the marker: the marker outlives the cut (see fault-plan.ts). A
    // cut that starts as this one ends is already applied: the proxy stays down for it.
    const cutGoesOn = [...this.touched.values()].some((other) => other !== touched && other.fault.proxy === fault.proxy && other.disabled);
    if (touched.disabled) {
      if (!cutGoesOn) await api.setEnabled(fault.proxy, true);
      touched.disabled = false;
    }
    await Promise.all(touched.toxics.map((name) => api.removeToxic(fault.proxy, name)));
    this.touched.delete(fault.id);
    const at = Date.now();
    const atS = this.nowS();
    const tookMs = Math.round(performance.now() - began);
    for (const fields of this.describe(fault, "remove")) events.emit("fault.remove", { ...fields, plannedS: fault.endS, atS, tookMs, reason });
    this.log.removed(this.recordId(fault), at, reason, beganAt);
  }

  /** Remove whatever is still applied, in rounds; returns what could not be removed. */
  private async removeEverything(reason: FaultRemoval): Promise<string[]> {
    for (let round = 1; round <= CLEANUP_ROUNDS && this.touched.size > 0; round++) {
      if (round > 1) await sleep(1000 * (round - 1));
      const results = await Promise.allSettled([...this.touched.values()].map((touched) => this.remove(touched.fault, reason)));
      for (const result of results) {
        if (result.status === "rejected") log.warn(`removing a fault (round ${round} of ${CLEANUP_ROUNDS}): ${(result.reason as Error).message}`);
      }
    }
    const left = [...this.touched.values()].flatMap((touched) => [
      ...(touched.venueFault ? [`venue fault ${touched.venueFault}`] : []),
      ...(touched.disabled ? [`the cut of ${touched.fault.proxy}`] : []),
      ...touched.toxics.map((name) => `${touched.fault.proxy}/${name}`),
    ]);
    if (left.length > 0) this.options.events.emit("fault.remove.failed", { profile: this.profile.name, left });
    return left;
  }

  /** One event body per real Toxiproxy change: a `direction: both` toxic is two. */
  private describe(fault: PlannedFault, action: "apply" | "remove"): Array<Record<string, unknown>> {
    const base = { profile: this.profile.name, id: fault.id, step: fault.step, proxy: fault.proxy, fault: fault.fault };
    if (fault.venue) return [{ ...base, type: "venue", name: fault.venue.name, attributes: fault.venue.fault.attributes }];
    if (fault.marker) return [{ ...base, type: "cut", enabled: action === "remove", marker: fault.marker.name }];
    return fault.toxics.map((toxic) => ({ ...base, toxic: toxic.name, type: toxic.type, stream: toxic.stream, toxicity: toxic.toxicity, attributes: toxic.attributes }));
  }
}
