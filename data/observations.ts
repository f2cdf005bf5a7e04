// Observation buffers for the load scripts, built from a real L2 replay instead of random numbers:
// each observation is what a trading model would see at one book event (recent returns, spread,
// imbalance, depth, activity), plus the action a simple momentum model proposes there.
//
// The k6 side cannot read L2 files (no Node APIs), so the build step turns a sample into one
// compact JSON file that the script opens once into a SharedArray.
import type { L2Reader, Tick } from "./types.ts";
import { mid } from "./types.ts";

export const OBSERVATION_SIZE = 16;
const RETURNS = 8;

export interface ObservationSet {
  source: string;
  symbol: string;
  /** obs[i] has OBSERVATION_SIZE numbers; actions[i] is in 0..4. */
  obs: number[][];
  actions: number[];
}

function depth(levels: Tick["bids"], n: number): number {
  let total = 0;
  for (let i = 0; i < Math.min(n, levels.length); i++) total += levels[i]!.size;
  return total;
}

function imbalance(tick: Tick, n: number): number {
  const bid = depth(tick.bids, n);
  const ask = depth(tick.asks, n);
  return bid + ask > 0 ? (bid - ask) / (bid + ask) : 0;
}

const round = (value: number) => Math.round(value * 1e4) / 1e4;
const clip = (value: number, limit: number) => Math.max(-limit, Math.min(limit, value));

/** A momentum model: the sign and size of the last few returns pick the proposed action. */
export function proposeAction(returnsBps: readonly number[]): number {
  const momentum = returnsBps.slice(-4).reduce((sum, r) => sum + r, 0);
  if (momentum > 2) return 4;
  if (momentum > 0.25) return 3;
  if (momentum < -2) return 0;
  if (momentum < -0.25) return 1;
  return 2;
}

export async function buildObservations(reader: L2Reader, symbol: string, source: string): Promise<ObservationSet> {
  const returns: number[] = new Array(RETURNS).fill(0);
  const set: ObservationSet = { source, symbol, obs: [], actions: [] };
  let previous: Tick | undefined;
  for await (const tick of reader.ticks()) {
    const m = mid(tick);
    if (previous) {
      returns.push(clip(Math.log(m / mid(previous)) * 1e4, 50));
      returns.shift();
    }
    const gapMs = previous ? tick.ts - previous.ts : 0;
    set.obs.push(
      [
        ...returns,
        ((tick.ask - tick.bid) / m) * 1e4,
        imbalance(tick, 1),
        imbalance(tick, 3),
        imbalance(tick, 5),
        Math.log1p(depth(tick.bids, 10)) / 10,
        Math.log1p(depth(tick.asks, 10)) / 10,
        Math.log1p(tick.volume),
        Math.log1p(Math.max(0, gapMs)),
      ].map(round),
    );
    set.actions.push(proposeAction(returns));
    previous = tick;
  }
  return set;
}
