// Order burst: 50 rapid position changes, several in flight at once (VUs share the iterations),
// alternating between building and cutting a position so that orders overlap at the venue.
//
//   k6 run dist/k6/order-burst.js        # against `gauntlet sandbox up`
import exec from "k6/execution";
import { SharedArray } from "k6/data";
import type { OrderBurstPlan } from "../plugins/order-burst/config.ts";
import { loadPlan } from "./lib/plan.ts";
import { DECISION_SYSTEM_TAGS, decisionTarget, sendDecision } from "./lib/decision.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<OrderBurstPlan>();

const observations = new SharedArray<string>("observations", () =>
  (JSON.parse(open("./observations.json")) as { obs: number[][] }).obs.map((obs) => JSON.stringify(obs)),
);

export const options = {
  scenarios: {
    "order-burst": { executor: "shared-iterations", iterations: plan.decisions, vus: plan.concurrency, maxDuration: "60s" },
  },
  systemTags: DECISION_SYSTEM_TAGS,
  thresholds: {
    "gauntlet_answer_check_failed{scenario:order-burst}": ["count==0"],
  },
};

const target = decisionTarget(plan.targetUrl, plan.symbol, plan.requestTimeoutMs);

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

// Buy hard twice, sell once, sell hard once, buy once: the position moves on every decision.
const PATTERN = [4, 4, 1, 0, 3];

export default function (): void {
  const i = exec.scenario.iterationInTest;
  sendDecision(target, PATTERN[i % PATTERN.length]!, observations[i % observations.length]!);
}
