// Steady decisions: a fixed arrival rate with a repeating pattern of proposed actions that keeps
// orders flowing both ways — the load under which broker outages, latency spikes and state-path
// faults are played (broker-failure, hard-kill, state-faults, game days).
//
//   k6 run -e RATE=50 -e DURATION=60 dist/k6/steady.js        # against `gauntlet sandbox up`
import exec from "k6/execution";
import { SharedArray } from "k6/data";
import type { SteadyPlan } from "../plugins/shared/steady-plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { DECISION_SYSTEM_TAGS, decisionTarget, sendDecision } from "./lib/decision.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<SteadyPlan>();

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
  systemTags: DECISION_SYSTEM_TAGS,
  summaryTrendStats: ["avg", "med", "p(95)", "p(99)", "max", "count"],
};

const target = decisionTarget(plan.targetUrl, plan.symbol, plan.requestTimeoutMs);

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

export default function (): void {
  const i = exec.scenario.iterationInTest;
  sendDecision(target, plan.actions[i % plan.actions.length]!, observations[i % observations.length]!);
}
