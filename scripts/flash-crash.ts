// Flash crash: the policy's decisions at a fixed arrival rate through three phases on the venue's
// replay clock — build a long position, the crash window, after the crash. setup() starts the
// venue's replay, so the phases (k6 scenarios with start times) line up with the market.
//
//   k6 run dist/k6/flash-crash.js      # against `gauntlet sandbox up --scenario flash-crash`
//
// The proposals are a model's, not the governor's: it keeps buying into the fall (a model that
// "buys the dip"); protecting the book is the governor's job.
import http from "k6/http";
import exec from "k6/execution";
import { SharedArray } from "k6/data";
import type { FlashCrashPlan } from "../plugins/flash-crash/plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { DECISION_SYSTEM_TAGS, decisionTarget, sendDecision } from "./lib/decision.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<FlashCrashPlan>();

const observations = new SharedArray<string>("observations", () =>
  (JSON.parse(open("./observations.json")) as { obs: number[][] }).obs.map((obs) => JSON.stringify(obs)),
);

const phase = (exec: string, startSeconds: number, seconds: number) => ({
  executor: "constant-arrival-rate",
  exec,
  startTime: `${startSeconds}s`,
  rate: plan.rate,
  timeUnit: "1s",
  duration: `${seconds}s`,
  preAllocatedVUs: plan.preAllocatedVUs,
  maxVUs: plan.maxVUs,
});

export const options = {
  scenarios: {
    build: phase("build", 0, plan.buildSeconds),
    crash: phase("crash", plan.buildSeconds, plan.crashSeconds),
    recovery: phase("recovery", plan.buildSeconds + plan.crashSeconds, plan.recoverySeconds),
  },
  systemTags: DECISION_SYSTEM_TAGS,
  summaryTrendStats: ["avg", "med", "p(95)", "p(99)", "max", "count"],
  thresholds: {
    "http_req_duration{scenario:crash}": [`p(99)<=${plan.thresholds.p99Ms}`],
    // At most 1 % of the answers may fail the answer check (a sample exists only for those).
    gauntlet_answer_check_failed: [`count<=${Math.floor(plan.rate * (plan.buildSeconds + plan.crashSeconds + plan.recoverySeconds) * 0.01)}`],
  },
};

export function setup(): { startedAt: number } {
  requireShadowTarget(plan.targetUrl);
  const res = http.post(`${plan.venueAdminUrl}/admin/replay/start`, null, { timeout: "5s" });
  if (res.status !== 200) exec.test.abort(`could not start the venue's replay at ${plan.venueAdminUrl} (status ${res.status})`);
  return res.json() as { startedAt: number };
}

const target = decisionTarget(plan.targetUrl, plan.symbol, plan.requestTimeoutMs);

/** The phase's actions in turn, by the phase's own count of decisions. */
function send(actions: readonly number[]): void {
  const i = exec.scenario.iterationInTest;
  sendDecision(target, actions[i % actions.length]!, observations[i % observations.length]!);
}

/** Mostly buys: the book goes long before the crash. */
export function build(): void {
  send([4, 3, 4, 2, 3]);
}

/** The model buys the dip. */
export function crash(): void {
  send([4, 4, 3, 2, 4]);
}

/** After the fall: a mix that would rebuild a position if the governor let it. */
export function recovery(): void {
  send([3, 2, 4, 2, 1]);
}
