// A small fixed-weight policy network: observation → hidden (tanh) → 5 action probabilities.
// The weights are drawn once from a seeded generator, so every run of the sandbox does the same
// arithmetic per decision — a realistic, constant inference cost on the decision path, with no
// allocation per call.
import { seededRandom } from "../../data/seeded-random.ts";

export const ACTIONS = ["SELL_AGGRESSIVE", "SELL_CONSERVATIVE", "HOLD", "BUY_CONSERVATIVE", "BUY_AGGRESSIVE"] as const;

export class PolicyNetwork {
  private readonly w1: Float64Array;
  private readonly b1: Float64Array;
  private readonly w2: Float64Array;
  private readonly b2: Float64Array;
  private readonly hidden: Float64Array;
  private readonly out: Float64Array;

  constructor(
    readonly inputs: number,
    readonly hiddenSize: number,
    seed: number,
  ) {
    const random = seededRandom(seed);
    // Xavier-uniform initialisation keeps tanh away from saturation.
    const init = (fanIn: number, fanOut: number, n: number) => {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return Float64Array.from({ length: n }, () => (random() * 2 - 1) * limit);
    };
    this.w1 = init(inputs, hiddenSize, inputs * hiddenSize);
    this.b1 = new Float64Array(hiddenSize);
    this.w2 = init(hiddenSize, ACTIONS.length, hiddenSize * ACTIONS.length);
    this.b2 = new Float64Array(ACTIONS.length);
    this.hidden = new Float64Array(hiddenSize);
    this.out = new Float64Array(ACTIONS.length);
  }

  /** Action probabilities for one observation. The returned array is reused by the next call. */
  infer(obs: ArrayLike<number>): Float64Array {
    const { inputs, hiddenSize, w1, b1, w2, b2, hidden, out } = this;
    for (let h = 0; h < hiddenSize; h++) {
      let sum = b1[h]!;
      const row = h * inputs;
      for (let i = 0; i < inputs; i++) sum += w1[row + i]! * (obs[i] ?? 0);
      hidden[h] = Math.tanh(sum);
    }
    let max = -Infinity;
    for (let a = 0; a < out.length; a++) {
      let sum = b2[a]!;
      const row = a * hiddenSize;
      for (let h = 0; h < hiddenSize; h++) sum += w2[row + h]! * hidden[h]!;
      out[a] = sum;
      if (sum > max) max = sum;
    }
    let total = 0;
    for (let a = 0; a < out.length; a++) {
      out[a] = Math.exp(out[a]! - max);
      total += out[a]!;
    }
    for (let a = 0; a < out.length; a++) out[a] = out[a]! / total;
    return out;
  }
}
