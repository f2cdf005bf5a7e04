// The venue protocol faults applied now (protocol/venue-faults.ts), and what each one does to a
// message on its way out. The order desk and the market-data publisher ask this object how to send;
// the admin API (venue/main.ts) applies and removes faults by name. Nothing here touches the
// journal: the venue's ground truth stays true while the messages lie.
import { VenueFaultSchema, type VenueFault, type VenueFaultType } from "../protocol/venue-faults.ts";
import type { TickMessage } from "../protocol/venue-protocol.ts";

type Of<T extends VenueFaultType> = Extract<VenueFault, { type: T }>;

export class ProtocolFaults {
  private readonly applied = new Map<string, VenueFault & { appliedAt: number }>();
  /** Called when a fault is applied (unknown-order-fill acts once, at once) or removed (a held fill is released). */
  onChange: (fault: VenueFault, change: "apply" | "remove") => void = () => undefined;

  constructor(private readonly random: () => number) {}

  /** Validates with the protocol's schema; the error names the field. */
  apply(name: string, body: unknown): VenueFault {
    const parsed = VenueFaultSchema.safeParse(body);
    if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".") || "(fault)"}: ${i.message}`).join("; "));
    const fault = parsed.data;
    this.remove(name);
    this.applied.set(name, { ...fault, appliedAt: Date.now() });
    this.onChange(fault, "apply");
    return fault;
  }

  /** True when the fault was applied. Removing one that is gone is not an error (cleanup repeats). */
  remove(name: string): boolean {
    const fault = this.applied.get(name);
    if (!fault) return false;
    this.applied.delete(name);
    this.onChange(fault, "remove");
    return true;
  }

  clear(): void {
    for (const name of [...this.applied.keys()]) this.remove(name);
  }

  list(): Array<{ name: string; type: VenueFaultType; attributes: object; appliedAt: number }> {
    return [...this.applied].map(([name, fault]) => ({ name, type: fault.type, attributes: fault.attributes, appliedAt: fault.appliedAt }));
  }

  active<T extends VenueFaultType>(type: T): (Of<T> & { appliedAt: number }) | undefined {
    for (const fault of this.applied.values()) if (fault.type === type) return fault as Of<T> & { appliedAt: number };
    return undefined;
  }

  /** ack-delay: N(mean, sd) ms by Box–Muller on the venue's seeded random, never below 0; 0 without the fault. */
  ackDelayMs(): number {
    const fault = this.active("ack-delay");
    if (!fault) return 0;
    const u = Math.max(this.random(), Number.EPSILON);
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
    return Math.max(0, fault.attributes.meanMs + fault.attributes.sdMs * normal);
  }

  /**
   * What a market-data subscriber gets for one tick: nothing (md-seq-gap drops it, its seq used
   * up), the frozen tick (stale-ticks), a crossed copy (crossed-book), or the tick twice
   * (duplicate-ticks).
   */
  shapeTick(tick: TickMessage): TickMessage[] {
    const gap = this.active("md-seq-gap");
    if (gap && this.random() * 100 < gap.attributes.dropPct) return [];
    let sent = tick;
    const stale = this.active("stale-ticks");
    if (stale) {
      this.frozen ??= { ...tick };
      sent = { ...this.frozen, seq: tick.seq };
    } else {
      this.frozen = undefined;
    }
    if (this.active("crossed-book")) {
      const spread = Math.max(sent.ask - sent.bid, 0.01);
      sent = { ...sent, bid: sent.ask + spread, ask: sent.bid };
    }
    return this.active("duplicate-ticks") ? [sent, sent] : [sent];
  }

  /** stale-ticks: the tick of the moment the fault began. */
  private frozen: TickMessage | undefined;
}
