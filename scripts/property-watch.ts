// The k6 side of limit-property: while Gauntlet's property search (Node, fast-check) sends its
// generated decision sequences, this script watches the target's health once a second — so the
// run has k6's record of a live shadow target, and its usual exit codes. The scenario stops it when
// the search is done.
//
//   k6 run dist/k6/property-watch.js      # a health watch against `gauntlet sandbox up`
import http from "k6/http";
import { check } from "k6";
import type { PropertyWatchPlan } from "../plugins/limit-property/plan.ts";
import { loadPlan } from "./lib/plan.ts";
import { requireShadowTarget } from "./lib/shadow-guard.ts";

const plan = loadPlan<PropertyWatchPlan>();

export const options = {
  scenarios: {
    watch: { executor: "constant-arrival-rate", exec: "watch", rate: 1, timeUnit: "1s", duration: `${plan.maxSeconds}s`, preAllocatedVUs: 2, maxVUs: 4 },
  },
  systemTags: ["scenario", "status", "expected_response", "check"],
};

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

export function watch(): void {
  const res = http.get(`${plan.targetUrl}/v1/health`, { timeout: "2s", tags: { name: "health" } });
  check(res, { "target healthy": (r) => r.status === 200 });
}
