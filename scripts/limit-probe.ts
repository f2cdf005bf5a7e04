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
import { DECISION_SYSTEM_TAGS, decisionTarget, sendDecision } from "./lib/decision.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<LimitProbePlan>();

const observations = new SharedArray<string>("observations", () =>
  (JSON.parse(open("./observations.json")) as { obs: number[][] }).obs.map((obs) => JSON.stringify(obs)),
);

const BUY_HARD = 4;

const scheduledDecisions = plan.burst.decisions + (plan.decline ? plan.decline.rate * (plan.decline.seconds + plan.decline.afterSeconds) : 0);

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
  systemTags: DECISION_SYSTEM_TAGS,
  // At most 1 % of the decisions may fail the answer check (a sample exists only for those).
  thresholds: { gauntlet_answer_check_failed: [`count<=${Math.floor(scheduledDecisions * 0.01)}`] },
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
  if (!plan.decline) return;
  const res = http.post(`${plan.venueAdminUrl}/admin/replay/start`, null, { timeout: "5s" });
  if (res.status !== 200) exec.test.abort(`could not start the venue's replay at ${plan.venueAdminUrl} (status ${res.status})`);
}

const target = decisionTarget(plan.targetUrl, plan.symbol, plan.requestTimeoutMs);

export function burst(): void {
  const i = exec.scenario.iterationInTest;
  sendDecision(target, plan.burst.actions[i % plan.burst.actions.length]!, observations[i % observations.length]!);
}

export function pressure(): void {
  const i = exec.scenario.iterationInTest;
  sendDecision(target, BUY_HARD, observations[i % observations.length]!);
}
