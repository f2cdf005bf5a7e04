// A limit probe: a burst of proposals in one direction with many in flight at once (k6 VUs sharing
// the iterations), and — for the loss and drawdown probes — the model buying at a steady rate
// while the venue's replay declines under the position. setup() starts the replay so the decline
// lines up with the k6 phases.
//
//   k6 run dist/k6/limit-probe.js      # the notional probe, against `gauntlet sandbox up`
import http from "k6/http";
import exec from "k6/execution";
import { SharedArray } from "k6/data";
import type { LimitProbePlan } from "../plugins/limit-probes/plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { sendDecision } from "./lib/decision.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<LimitProbePlan>();

const observations = new SharedArray<string>("observations", () =>
  (JSON.parse(open("./observations.json")) as { obs: number[][] }).obs.map((obs) => JSON.stringify(obs)),
);

const BUY_HARD = 4;

export const options = {
  scenarios: {
    burst: { executor: "shared-iterations", exec: "burst", vus: plan.burst.concurrency, iterations: plan.burst.decisions, maxDuration: "30s" },
    ...(plan.decline
      ? {
          pressure: {
            executor: "constant-arrival-rate",
            exec: "pressure",
            startTime: `${plan.decline.startSeconds}s`,
            rate: plan.decline.rate,
            timeUnit: "1s",
            duration: `${plan.decline.seconds + plan.decline.afterSeconds}s`,
            preAllocatedVUs: 10,
            maxVUs: 50,
          },
        }
      : {}),
  },
  systemTags: ["scenario", "status", "expected_response", "check"],
  thresholds: { checks: ["rate>0.99"] },
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
  if (!plan.decline) return;
  const res = http.post(`${plan.venueAdminUrl}/admin/replay/start`, null, { timeout: "5s" });
  if (res.status !== 200) exec.test.abort(`could not start the venue's replay at ${plan.venueAdminUrl} (status ${res.status})`);
}

const symbolJson = JSON.stringify(plan.symbol);

export function burst(): void {
  const i = exec.scenario.iterationInTest;
  sendDecision(plan.targetUrl, `b${i}`, symbolJson, plan.burst.actions[i % plan.burst.actions.length]!, observations[i % observations.length]!, plan.requestTimeoutMs);
}

export function pressure(): void {
  const i = exec.scenario.iterationInTest;
  sendDecision(plan.targetUrl, `p${i}`, symbolJson, BUY_HARD, observations[i % observations.length]!, plan.requestTimeoutMs);
}
