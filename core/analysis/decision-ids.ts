// The set of decision ids, kept as one bitset per prefix: an id is a prefix and the number it ends
// in — "17.345" is ("17.", 345), "2-17.345" is ("2-17.", 345), "w17" is ("w", 17). Gauntlet's
// scripts number each VU's decisions by its iterations (`<vu>.<iter>`, scripts/lib/decision.ts),
// so each prefix is one VU's dense range and 600,000 decisions cost about 75 KB: the integrity
// join stays in bounded memory however long the run. Ids that do not end in a number (or end in
// one with a leading zero, which would not spell back the same) are counted, not stored.

const MAX_INDEX = 2 ** 31 - 1;

class Bitset {
  // Small to start: a fleet has a prefix per VU, and each grows by doubling.
  bits = new Uint8Array(64);
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

export interface ParsedDecisionId {
  prefix: string;
  n: number;
}

export function parseDecisionId(id: string): ParsedDecisionId | undefined {
  let start = id.length;
  while (start > 0 && id.charCodeAt(start - 1) >= 48 && id.charCodeAt(start - 1) <= 57) start--;
  const digits = id.length - start;
  if (digits === 0 || digits > 10 || (digits > 1 && id.charCodeAt(start) === 48)) return undefined;
  const n = Number(id.slice(start));
  return n <= MAX_INDEX ? { prefix: id.slice(0, start), n } : undefined;
}

export class DecisionIdSet {
  private readonly sets = new Map<string, Bitset>();
  size = 0;
  duplicates = 0;
  /** Ids that are not prefix+number: counted only. */
  unshaped = 0;

  add(id: string): void {
    this.addParsed(parseDecisionId(id));
  }

  /** add() for an id already parsed (undefined: not of the stored shape), so two sets parse it once. */
  addParsed(parsed: ParsedDecisionId | undefined): void {
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
