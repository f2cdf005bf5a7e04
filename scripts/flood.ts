// Decision flood: a fixed arrival rate of decisions (constant-arrival-rate, the open model — a
// slow target cannot slow the load down, so there is no coordinated omission), each carrying an
// observation built from a real L2 replay. Runs under Gauntlet or alone:
//
//   k6 run dist/k6/flood.js                       # against `gauntlet sandbox up`
//   k6 run -e TARGET=http://127.0.0.1:7300 -e RATE=2000 -e DURATION=30 dist/k6/flood.js
//
// Its thresholds mirror the gates k6 can judge by itself, so a plain `k6 run` exits 99 when the
// latency, error or dropped-iteration gates fail.
import http from "k6/http";
import exec from "k6/execution";
import { check } from "k6";
import { SharedArray } from "k6/data";
import { DEFAULT_FLOOD_PLAN, type FloodPlan } from "../core/plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<FloodPlan>(DEFAULT_FLOOD_PLAN);

interface Sample {
  obs: number[];
  action: number;
}

const samples = new SharedArray<Sample>("observations", () => {
  const set = JSON.parse(open("./observations.json")) as { obs: number[][]; actions: number[] };
  return set.obs.map((obs, i) => ({ obs, action: set.actions[i] ?? 2 }));
});

const t = plan.thresholds;

export const options = {
  scenarios: {
    decision_flood: {
      executor: "constant-arrival-rate",
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
    "http_req_duration{scenario:decision_flood}": [`p(99)<=${t.p99Ms}`, `p(95)<=${t.p95Ms}`, `avg<=${t.meanMs}`],
    "http_req_failed{scenario:decision_flood}": [`rate<${t.maxErrorRate}`],
    dropped_iterations: [`count<=${t.maxDroppedIterations}`],
  },
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

const url = `${plan.targetUrl}/v1/decisions`;
const params = { headers: { "content-type": "application/json" }, timeout: `${plan.requestTimeoutMs}ms` };

export default function (): void {
  const i = exec.scenario.iterationInTest;
  const sample = samples[i % samples.length]!;
  const id = String(i);
  exec.vu.metrics.metadata["decision_id"] = id;
  const res = http.post(
    url,
    JSON.stringify({ id, ts: Date.now(), symbol: plan.symbol, action: sample.action, obs: sample.obs }),
    params,
  );
  check(res, { "decision answered": (r) => r.status === 200 && r.json("id") === id });
}
