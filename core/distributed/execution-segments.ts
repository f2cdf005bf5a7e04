// k6's own way to split one load across N instances: each runs `--execution-segment a:b` of the
// same `--execution-segment-sequence`, so the N together send exactly what one would (arrival-rate
// executors split their rate, iteration counts split without overlap). The same fractions as
// k6-operator gives its runners (instance i of N runs (i-1)/N:i/N), so a local --instances N run
// and a cluster run of parallelism N drive the same segments.

export interface ExecutionSegment {
  /** 1-based, as k6-operator numbers its runners (and tags their samples instance_id). */
  instance: number;
  segment: string;
  sequence: string;
}

function fraction(numerator: number, denominator: number): string {
  if (numerator === 0) return "0";
  if (numerator === denominator) return "1";
  return `${numerator}/${denominator}`;
}

export function executionSegments(instances: number): ExecutionSegment[] {
  if (!Number.isInteger(instances) || instances < 1) throw new RangeError(`instances must be a whole number ≥ 1 (got ${instances})`);
  const sequence = Array.from({ length: instances + 1 }, (_, i) => fraction(i, instances)).join(",");
  return Array.from({ length: instances }, (_, i) => ({ instance: i + 1, segment: `${fraction(i, instances)}:${fraction(i + 1, instances)}`, sequence }));
}

/** The k6 arguments that make one process instance `segment.instance` of the whole. */
export function segmentArgs(segment: ExecutionSegment): string[] {
  return [`--execution-segment=${segment.segment}`, `--execution-segment-sequence=${segment.sequence}`, "--tag", `instance_id=${segment.instance}`];
}
