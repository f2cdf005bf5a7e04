// The property search: fast-check generates decision sequences — batches of one proposed action
// sent together, so that many orders are in flight at once — and runs each against the governor
// from a fresh reset (the venue's and the governor's). The property: no fill the venue made breaches
// a hard limit (the one rule flash-crash and the limit probes judge by, risk-reducing fills
// allowed). On a failure fast-check shrinks the sequence to a minimal one that still breaches.
import fc from "fast-check";
import { resetTarget } from "../../core/index.ts";
import type { Limits } from "../../protocol/limits.ts";
import { breachesAtFills, type Breach } from "../shared/venue-analysis.ts";
import { readVenueJournal } from "../shared/venue-journal.ts";
import { INSTITUTIONAL_MIN_FEE } from "../shared/steady-drill.ts";

/** One batch: `size` decisions proposing `action` (0 sell hard … 4 buy hard), sent at once. */
export interface Batch {
  action: number;
  size: number;
}

export interface SearchTarget {
  baseUrl: string;
  venueAdminUrl: string;
  venueJournal: string;
}

export interface SearchSettings {
  seed: number;
  numRuns: number;
  timeLimitSeconds: number;
  maxBatches: number;
  maxBatchSize: number;
  requestTimeoutMs: number;
  settleMs: number;
  limits: Limits;
}

/** What one sequence did at the venue. */
export interface SequenceOutcome {
  fills: number;
  breaches: Breach[];
  /** The highest |position| × price a fill reached, % of the notional cap: how hard the sequence pressed. */
  notionalPressurePct: number;
}

export interface SearchResult {
  seed: number;
  /** Sequences run, shrinking included. */
  sequences: number;
  numRuns: number;
  numShrinks: number;
  interrupted: boolean;
  /** The minimal failing sequence, when one was found, and what it did. */
  counterexample?: { batches: Batch[]; outcome: SequenceOutcome };
  /** The hardest any sequence pressed the notional cap, %. */
  maxNotionalPressurePct: number;
  /** The fastest breach-free evidence: fills seen in all. */
  fills: number;
  error?: string;
}

const OBS = JSON.stringify(Array.from({ length: 16 }, () => 0));
const ACTION_NAMES = ["sell hard", "sell", "hold", "buy", "buy hard"];

/** `[3× buy hard] [1× sell]` — a sequence as a reader follows it. */
export function describeSequence(batches: readonly Batch[]): string {
  return batches.map((batch) => `[${batch.size}× ${ACTION_NAMES[batch.action]}]`).join(" ");
}

async function post(url: string, body: string, timeoutMs: number): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(timeoutMs) });
}

/** Both connections back and fresh data after a reset: what the run's own start waits for too. */
async function waitReady(baseUrl: string, signal: AbortSignal): Promise<void> {
  const until = Date.now() + 5000;
  while (Date.now() < until && !signal.aborted) {
    const health = (await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(1000) }).then((r) => r.json()).catch(() => undefined)) as
      | { brokerConnected?: boolean; marketDataAgeMs?: number | null }
      | undefined;
    if (health?.brokerConnected !== false && typeof health?.marketDataAgeMs === "number" && health.marketDataAgeMs < 500) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function runSequence(batches: readonly Batch[], target: SearchTarget, settings: SearchSettings, tag: string, signal: AbortSignal): Promise<SequenceOutcome> {
  const venueReset = await post(`${target.venueAdminUrl}/admin/reset`, JSON.stringify({ minFeeUsd: INSTITUTIONAL_MIN_FEE }), 30_000);
  if (!venueReset.ok) throw new Error(`the venue refused a reset: ${await venueReset.text()}`);
  await resetTarget(target.baseUrl, { limits: settings.limits });
  await waitReady(target.baseUrl, signal);
  let n = 0;
  for (const batch of batches) {
    if (signal.aborted) break;
    await Promise.all(
      Array.from({ length: batch.size }, () => {
        const id = `${tag}-${n++}`;
        return post(`${target.baseUrl}/v1/decisions`, `{"id":"${id}","ts":${Date.now()},"symbol":"AAPL","action":${batch.action},"obs":${OBS}}`, settings.requestTimeoutMs).then(
          (response) => response.arrayBuffer(),
          () => undefined, // a decision that timed out is the governor's problem, not the property's
        );
      }),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, settings.settleMs));
  const venue = await readVenueJournal(target.venueJournal);
  const fills = venue?.fills ?? [];
  let position = 0;
  let pressure = 0;
  for (const fill of fills) {
    position += fill.side === "buy" ? fill.qty : -fill.qty;
    pressure = Math.max(pressure, (Math.abs(position) * fill.price * 100) / settings.limits.maxPositionNotionalUsd);
  }
  return { fills: fills.length, breaches: breachesAtFills(fills, [], settings.limits).filter((breach) => !breach.reducesRisk), notionalPressurePct: pressure };
}

export async function searchForBreach(target: SearchTarget, settings: SearchSettings, signal: AbortSignal, onSequence: (done: number) => void): Promise<SearchResult> {
  const batch = fc.record({ action: fc.integer({ min: 0, max: 4 }), size: fc.integer({ min: 1, max: settings.maxBatchSize }) });
  const sequences = fc.array(batch, { minLength: 1, maxLength: settings.maxBatches });
  let run = 0;
  let maxPressure = 0;
  let fills = 0;
  const outcomes = new Map<string, SequenceOutcome>();
  const property = fc.asyncProperty(sequences, async (batches) => {
    if (signal.aborted) return true;
    const outcome = await runSequence(batches, target, settings, `q${++run}`, signal);
    onSequence(run);
    maxPressure = Math.max(maxPressure, outcome.notionalPressurePct);
    fills += outcome.fills;
    outcomes.set(JSON.stringify(batches), outcome);
    return outcome.breaches.length === 0;
  });
  const details = await fc.check(property, { seed: settings.seed, numRuns: settings.numRuns, interruptAfterTimeLimit: settings.timeLimitSeconds * 1000, markInterruptAsFailure: false });
  const result: SearchResult = {
    seed: settings.seed,
    sequences: run,
    numRuns: details.numRuns,
    numShrinks: details.numShrinks,
    interrupted: details.interrupted,
    maxNotionalPressurePct: maxPressure,
    fills,
  };
  if (details.failed) {
    const batches = details.counterexample?.[0];
    const outcome = batches && outcomes.get(JSON.stringify(batches));
    if (batches && outcome && outcome.breaches.length > 0) result.counterexample = { batches, outcome };
    else result.error = details.errorInstance instanceof Error ? details.errorInstance.message : "fast-check failed without a breaching sequence";
  }
  return result;
}
