// Decision flood: a fixed arrival rate of decisions (constant-arrival-rate, the open model — a
// slow target cannot slow the load down, so there is no coordinated omission), each carrying an
// observation built from a real L2 replay. Runs under Gauntlet or alone:
//
//   k6 run dist/k6/flood.js                       # against `gauntlet sandbox up`
//   k6 run -e TARGET=http://127.0.0.1:7300 -e RATE=2000 -e DURATION=30 dist/k6/flood.js
//
// Its thresholds mirror the gates k6 can judge by itself, so a plain `k6 run` exits 99 when the
// latency, error or dropped-iteration gates fail.
import { SharedArray } from "k6/data";
import type { FloodPlan } from "../plugins/decision-flood/plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { DECISION_SYSTEM_TAGS, decisionTarget, sendDecision } from "./lib/decision.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<FloodPlan>();

// Observations are kept pre-serialized: the hot loop only concatenates strings (k6's CPU is shared
// with the target on a small machine).
const samples = new SharedArray<{ obs: string; action: number }>("observations", () => {
  const set = JSON.parse(open("./observations.json")) as { obs: number[][]; actions: number[] };
  return set.obs.map((obs, i) => ({ obs: JSON.stringify(obs), action: set.actions[i] ?? 2 }));
});

const t = plan.thresholds;

const warmup = plan.warmupSeconds > 0
  ? {
      warmup: {
        executor: "ramping-arrival-rate",
        exec: "warmupDecision",
        startRate: Math.max(1, Math.round(plan.rate / 10)),
        timeUnit: "1s",
        stages: [{ target: plan.rate, duration: `${plan.warmupSeconds}s` }],
        preAllocatedVUs: plan.preAllocatedVUs,
        maxVUs: plan.maxVUs,
      },
    }
  : {};

export const options = {
  scenarios: {
    ...warmup,
    "decision-flood": {
      executor: "constant-arrival-rate",
      exec: "decision",
      startTime: `${plan.warmupSeconds}s`,
      rate: plan.rate,
      timeUnit: "1s",
      duration: `${plan.durationSeconds}s`,
      preAllocatedVUs: plan.preAllocatedVUs,
      maxVUs: plan.maxVUs,
    },
  },
  // Few system tags: every sample carries them, and k6's output grows with each one. `vu` and
  // `iter` are metadata (never time series): together they are the decision id.
  systemTags: DECISION_SYSTEM_TAGS,
  summaryTrendStats: ["avg", "min", "med", "p(95)", "p(99)", "max", "count"],
  thresholds: {
    "http_req_duration{scenario:decision-flood}": [`p(99)<=${t.p99Ms}`, `p(95)<=${t.p95Ms}`, `avg<=${t.meanMs}`],
    "http_req_failed{scenario:decision-flood}": [`rate<${t.maxErrorRate}`],
    // dropped_iterations is a counter: the allowed share of the scheduled decisions, as a count.
    "dropped_iterations{scenario:decision-flood}": [`count<=${Math.floor(plan.rate * plan.durationSeconds * t.maxDroppedRatio)}`],
    // Every answer names its decision: a sample exists only for one that did not.
    "gauntlet_answer_check_failed{scenario:decision-flood}": ["count==0"],
  },
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

const target = decisionTarget(plan.targetUrl, plan.symbol, plan.requestTimeoutMs);

/**
 * One decision of the flood. Each VU walks the observations from its own iteration count (__ITER,
 * free, where the test-wide count is a call into k6 on every iteration): the mix of actions is the
 * replay's, in each VU's order.
 */
export function decision(): void {
  const sample = samples[__ITER % samples.length]!;
  sendDecision(target, sample.action, sample.obs);
}

/** The warm-up sends the same decisions; its k6 scenario (a tag on every sample) sets it apart. */
export const warmupDecision = decision;
