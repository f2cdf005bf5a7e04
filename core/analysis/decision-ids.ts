// The set of decision ids, kept as one bitset per prefix: "123" is (prefix "", 123), "w17" is
// ("w", 17). k6's scripts number decisions with exec.scenario.iterationInTest, so each prefix is
// a dense range and 600,000 decisions cost 75 KB — the integrity join stays in bounded memory
// however long the run. Ids of any other shape are counted, not stored.

const ID = /^([A-Za-z_]*)(\d+)$/;
const MAX_INDEX = 2 ** 31 - 1;

class Bitset {
  bits = new Uint8Array(1 << 12);
  max = -1;

  /** Returns false when the bit was already set (a duplicate). */
  set(n: number): boolean {
    if (n >= this.bits.length * 8) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (n >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (n & 7);
    const had = (this.bits[n >> 3]! & mask) !== 0;
    this.bits[n >> 3]! |= mask;
    if (n > this.max) this.max = n;
    return !had;
  }

  has(n: number): boolean {
    return n >= 0 && n <= this.max && (this.bits[n >> 3]! & (1 << (n & 7))) !== 0;
  }
}

export function parseDecisionId(id: string): { prefix: string; n: number } | undefined {
  const match = ID.exec(id);
  if (!match) return undefined;
  const n = Number(match[2]);
  return n <= MAX_INDEX ? { prefix: match[1]!, n } : undefined;
}

export class DecisionIdSet {
  private readonly sets = new Map<string, Bitset>();
  size = 0;
  duplicates = 0;
  /** Ids that are not prefix+number: counted only. */
  unshaped = 0;

  add(id: string): void {
    const parsed = parseDecisionId(id);
    if (!parsed) {
      this.unshaped++;
      return;
    }
    let set = this.sets.get(parsed.prefix);
    if (!set) this.sets.set(parsed.prefix, (set = new Bitset()));
    if (set.set(parsed.n)) this.size++;
    else this.duplicates++;
  }

  has(id: string): boolean {
    const parsed = parseDecisionId(id);
    return parsed !== undefined && (this.sets.get(parsed.prefix)?.has(parsed.n) ?? false);
  }

  /** Every id in this set, prefix by prefix, ascending. */
  *ids(): Generator<string> {
    for (const [prefix, set] of this.sets) {
      for (let n = 0; n <= set.max; n++) if (set.has(n)) yield `${prefix}${n}`;
    }
  }

  /** A plain copy another thread can receive. */
  toTransfer(): DecisionIdSetTransfer {
    return { sets: [...this.sets].map(([prefix, set]) => ({ prefix, bits: set.bits.subarray(0, (set.max >> 3) + 1), max: set.max })), unshaped: this.unshaped, duplicates: this.duplicates };
  }

  /** The union with another set (a byte range of the same file, read by another thread). */
  addAll(other: DecisionIdSetTransfer): void {
    this.unshaped += other.unshaped;
    this.duplicates += other.duplicates;
    for (const { prefix, bits, max } of other.sets) {
      let set = this.sets.get(prefix);
      if (!set) this.sets.set(prefix, (set = new Bitset()));
      for (let n = 0; n <= max; n++) {
        if ((bits[n >> 3]! & (1 << (n & 7))) === 0) continue;
        if (set.set(n)) this.size++;
        else this.duplicates++;
      }
    }
  }
}

export interface DecisionIdSetTransfer {
  sets: Array<{ prefix: string; bits: Uint8Array; max: number }>;
  unshaped: number;
  duplicates: number;
}
