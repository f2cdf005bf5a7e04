// Why a certification stopped, as certification.json, summary.md and the CLI say it: the failed
// CRITICAL gates, the breaches, and — when a latency gate failed — how busy the machine was.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeStop } from "../../core/certify/certification.ts";
import type { CertificationRun } from "../../core/certify/certification-schema.ts";

const run = (over: Partial<CertificationRun>): CertificationRun => ({
  iteration: 10,
  scenario: "decision-flood",
  profile: "smoke",
  runId: "20261202-152554-decision-flood-0303",
  runDir: "/runs/20261202-152554-decision-flood-0303",
  verdict: "fail",
  goNoGo: "NO-GO",
  exitCode: 1,
  breaches: 0,
  failed: [{ id: "latency_p99", severity: "CRITICAL", category: "latency" }],
  notApplicable: [],
  ...over,
});

test("a failed latency gate says how busy the machine was during the run's load", () => {
  assert.is(
    describeStop(run({ host: { busyMeanPct: 57.9, stealPct: 2.2 } })),
    "CRITICAL gates failed: latency_p99 (the machine during its load: 57.9 % busy, 2.2 % taken by the hypervisor)",
  );
});

test("without a measured host, or for a gate that is not about latency, the gates alone", () => {
  assert.is(describeStop(run({})), "CRITICAL gates failed: latency_p99");
  assert.is(
    describeStop(run({ scenario: "hard-kill", failed: [{ id: "orders_while_paused", severity: "CRITICAL", category: "safety" }], host: { busyMeanPct: 30, stealPct: 1 } })),
    "CRITICAL gates failed: orders_while_paused",
  );
});

test("breaches and runs that could not be judged say so first", () => {
  assert.is(describeStop(run({ breaches: 2, failed: [{ id: "limit_breaches", severity: "CRITICAL", category: "safety" }] })), "2 hard-limit breach(es); CRITICAL gates failed: limit_breaches");
  assert.is(describeStop(run({ verdict: "could-not-judge", error: "GAUNTLET_K6_OUTPUT_INVALID" })), "could not be judged (GAUNTLET_K6_OUTPUT_INVALID)");
});

test.run();
