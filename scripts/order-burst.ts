// Order burst: 50 rapid position changes, several in flight at once (VUs share the iterations),
// alternating between building and cutting a position so that orders overlap at the venue.
//
//   k6 run dist/k6/order-burst.js        # against `gauntlet sandbox up`
import http from "k6/http";
import exec from "k6/execution";
import { check } from "k6";
import { SharedArray } from "k6/data";
import { DEFAULT_ORDER_BURST_PLAN, type OrderBurstPlan } from "../core/plan.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan: OrderBurstPlan = __ENV.GAUNTLET_PLAN ? (JSON.parse(open(__ENV.GAUNTLET_PLAN)) as OrderBurstPlan) : { ...DEFAULT_ORDER_BURST_PLAN };
if (__ENV.TARGET) plan.targetUrl = __ENV.TARGET;

const observations = new SharedArray<string>("observations", () =>
  (JSON.parse(open("./observations.json")) as { obs: number[][] }).obs.map((obs) => JSON.stringify(obs)),
);

export const options = {
  scenarios: {
    order_burst: { executor: "shared-iterations", iterations: plan.decisions, vus: plan.concurrency, maxDuration: "60s" },
  },
  systemTags: ["scenario", "status", "expected_response", "check"],
  thresholds: {
    "checks{scenario:order_burst}": ["rate==1"],
  },
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

// Buy hard twice, sell once, sell hard once, buy once: the position moves on every decision.
const PATTERN = [4, 4, 1, 0, 3];

export default function (): void {
  const i = exec.scenario.iterationInTest;
  const id = String(i);
  exec.vu.metrics.metadata["decision_id"] = id;
  const res = http.post(
    `${plan.targetUrl}/v1/decisions`,
    `{"id":"${id}","ts":${Date.now()},"symbol":${JSON.stringify(plan.symbol)},"action":${PATTERN[i % PATTERN.length]},"obs":${observations[i % observations.length]}}`,
    { headers: { "content-type": "application/json" }, timeout: `${plan.requestTimeoutMs}ms` },
  );
  check(res, { "decision answered": (r) => r.status === 200 && typeof r.body === "string" && r.body.includes(`"id":"${id}"`) });
}
