// Steady decisions: a fixed arrival rate with a repeating pattern of proposed actions that keeps
// orders flowing both ways — the load under which broker outages, latency spikes and state-path
// faults are played (broker-failure, hard-kill, state-faults, game days).
//
//   k6 run -e RATE=50 -e DURATION=60 dist/k6/steady.js        # against `gauntlet sandbox up`
import http from "k6/http";
import exec from "k6/execution";
import { check } from "k6";
import { SharedArray } from "k6/data";
import { DEFAULT_STEADY_PLAN, type SteadyPlan } from "../core/plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<SteadyPlan>(DEFAULT_STEADY_PLAN);

const observations = new SharedArray<string>("observations", () =>
  (JSON.parse(open("./observations.json")) as { obs: number[][] }).obs.map((obs) => JSON.stringify(obs)),
);

export const options = {
  scenarios: {
    steady: {
      executor: "constant-arrival-rate",
      rate: plan.rate,
      timeUnit: "1s",
      duration: `${plan.durationSeconds}s`,
      preAllocatedVUs: plan.preAllocatedVUs,
      maxVUs: plan.maxVUs,
    },
  },
  systemTags: ["scenario", "status", "expected_response", "check"],
  summaryTrendStats: ["avg", "med", "p(95)", "p(99)", "max", "count"],
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

export default function (): void {
  const i = exec.scenario.iterationInTest;
  const id = String(i);
  exec.vu.metrics.metadata["decision_id"] = id;
  const res = http.post(
    `${plan.targetUrl}/v1/decisions`,
    `{"id":"${id}","ts":${Date.now()},"symbol":${JSON.stringify(plan.symbol)},"action":${plan.actions[i % plan.actions.length]},"obs":${observations[i % observations.length]}}`,
    { headers: { "content-type": "application/json" }, timeout: `${plan.requestTimeoutMs}ms` },
  );
  check(res, { "decision answered": (r) => r.status === 200 && typeof r.body === "string" && r.body.includes(`"id":"${id}"`) });
}
