// Decision flood: a fixed arrival rate of decisions (constant-arrival-rate, the open model — a
// slow target cannot slow the load down, so there is no coordinated omission), each carrying an
// observation built from a real L2 replay. Runs under Gauntlet or alone:
//
//   k6 run dist/k6/flood.js                       # against `gauntlet sandbox up`
//   k6 run -e TARGET=http://127.0.0.1:7300 -e RATE=2000 -e DURATION=30 dist/k6/flood.js
//
// Its thresholds mirror the gates k6 can judge by itself, so a plain `k6 run` exits 99 when the
// latency, error or dropped-iteration gates fail.
import exec from "k6/execution";
import { SharedArray } from "k6/data";
import type { FloodPlan } from "../plugins/decision-flood/plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { sendDecision } from "./lib/decision.ts";
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
  // Few system tags: every sample carries them, and k6's output grows with each one. The decision
  // id travels as metadata (not a tag), so it never becomes a time series.
  systemTags: ["scenario", "status", "expected_response", "check"],
  summaryTrendStats: ["avg", "min", "med", "p(95)", "p(99)", "max", "count"],
  thresholds: {
    "http_req_duration{scenario:decision-flood}": [`p(99)<=${t.p99Ms}`, `p(95)<=${t.p95Ms}`, `avg<=${t.meanMs}`],
    "http_req_failed{scenario:decision-flood}": [`rate<${t.maxErrorRate}`],
    // dropped_iterations is a counter: the allowed share of the scheduled decisions, as a count.
    "dropped_iterations{scenario:decision-flood}": [`count<=${Math.floor(plan.rate * plan.durationSeconds * t.maxDroppedRatio)}`],
  },
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

const symbolJson = JSON.stringify(plan.symbol);

function send(id: string, i: number): void {
  const sample = samples[i % samples.length]!;
  sendDecision(plan.targetUrl, id, symbolJson, sample.action, sample.obs, plan.requestTimeoutMs);
}

/** The measured flood: decision ids are the iteration numbers 0, 1, 2, … */
export function decision(): void {
  const i = exec.scenario.iterationInTest;
  send(String(i), i);
}

/** Warm-up decisions carry a "w" prefix so they never collide with the measured ones. */
export function warmupDecision(): void {
  const i = exec.scenario.iterationInTest;
  send(`w${i}`, i);
}
