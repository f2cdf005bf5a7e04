// docs/creating-plugins.md, done for real: a throwaway scenario written in a temp folder against
// the public surface only (core/index.ts for the plugin, scripts/lib and a type import for the
// script) — registered with one line, bundled, run against the sandbox and judged. If the doc's
// shape drifts from the code, this fails.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { builtinRegistry, REPORTERS } from "../../cli/builtin.ts";
import { standalonePlans } from "../../cli/standalone-plans.ts";
import type { Plugin } from "../../core/index.ts";
import { runScenario } from "../../core/orchestrator/run-scenario.ts";
import { REPO_ROOT } from "../../core/paths.ts";
import { buildK6Scripts } from "../../esbuild.config.ts";
import { tempDir } from "../support/cli.ts";

const repo = (path: string) => join(REPO_ROOT, path);

/** plugins/ping-burst/index.ts of the doc: a config schema, a plan, a gate from this run's samples. */
const PLUGIN = `
import { z } from "zod";
import { definePlugin, formatNumber as n, gateSpec, judge } from "${repo("core/index.ts")}";
import type { K6Plan, PlanInput } from "${repo("protocol/k6-plan.ts")}";

export const PingBurstConfigSchema = z.strictObject({
  decisions: z.number().int().positive().default(40),
  concurrency: z.number().int().positive().default(4),
  minAnsweredPct: z.number().min(0).max(100).default(100),
});
export type PingBurstConfig = z.infer<typeof PingBurstConfigSchema>;
export interface PingBurstPlan extends K6Plan { decisions: number; concurrency: number }

export default definePlugin({
  name: "ping-burst",
  description: "a throwaway scenario: a few holds, every one answered",
  dependsOn: ["sandbox"],
  config: PingBurstConfigSchema,
  setup(ctx, config) {
    const answered = gateSpec("answered", "Decisions answered with their id", "load", "HIGH", "%", ">=", config.minAnsweredPct);
    ctx.registerScenario<PingBurstConfig, PingBurstPlan>({
      name: "ping-burst",
      description: "a few holds, every one answered",
      script: "ping-burst",
      k6Scenario: "ping-burst",
      profiles: ["quick"],
      defaultProfile: "quick",
      plan: ({ runId, config, target }: PlanInput<PingBurstConfig>) => ({ scenario: "ping-burst", runId, targetUrl: target.baseUrl, decisions: config.decisions, concurrency: config.concurrency }),
      judge(evidence) {
        const d = evidence.k6.digest;
        const passed = d.requests - d.checksFailed;
        return [judge(answered, d.requests ? (passed / d.requests) * 100 : undefined, n(passed) + " of " + n(d.requests) + " answers carried their id")];
      },
    });
  },
});
`;

/** scripts/ping-burst.ts of the doc: the plan by type, the shared k6 helpers, one named k6 scenario. */
const SCRIPT = `
import type { PingBurstPlan } from "../plugins/ping-burst/index.ts";
import { DECISION_SYSTEM_TAGS, decisionTarget, sendDecision } from "${repo("scripts/lib/decision.ts")}";
import { loadPlan } from "${repo("scripts/lib/plan.ts")}";
import { requireShadowTarget } from "${repo("scripts/lib/shadow-guard.ts")}";

const plan = loadPlan<PingBurstPlan>();
const obs = JSON.stringify(Array.from({ length: 16 }, () => 0));

export const options = {
  scenarios: { "ping-burst": { executor: "shared-iterations", iterations: plan.decisions, vus: plan.concurrency, maxDuration: "30s" } },
  systemTags: DECISION_SYSTEM_TAGS,
  thresholds: { "gauntlet_answer_check_failed{scenario:ping-burst}": ["count==0"] },
};
const target = decisionTarget(plan.targetUrl, "AAPL", 2000);

export function setup(): void {
  requireShadowTarget(plan.targetUrl);
}

export default function (): void {
  sendDecision(target, 2, obs);
}
`;

test("a new scenario = one plugin folder + its script + one registry line: registered, bundled, run, judged", async () => {
  const dir = tempDir();
  mkdirSync(join(dir, "plugins", "ping-burst"), { recursive: true });
  mkdirSync(join(dir, "scripts"), { recursive: true });
  symlinkSync(repo("node_modules"), join(dir, "node_modules")); // the plugin's own dependencies (zod)
  writeFileSync(join(dir, "plugins", "ping-burst", "index.ts"), PLUGIN);
  writeFileSync(join(dir, "scripts", "ping-burst.ts"), SCRIPT);

  const pingBurst = (await import(pathToFileURL(join(dir, "plugins", "ping-burst", "index.ts")).href)).default as Plugin;
  const registry = builtinRegistry({ "ping-burst": { decisions: 30 } }, [pingBurst]); // the one registry line
  assert.ok(registry.scenarios.has("ping-burst"));

  const scriptsDir = join(dir, "k6");
  const bundled = await buildK6Scripts({ defaultPlans: standalonePlans(registry), scriptsDir: join(dir, "scripts"), outDir: scriptsDir });
  assert.equal(bundled, [join(scriptsDir, "ping-burst.js")]);

  process.env.GAUNTLET_RUNS_DIR = join(dir, "runs");
  const outcome = await runScenario({ registry, scenario: "ping-burst", target: "sandbox", metricsPort: 0, scriptsDir, reporters: REPORTERS });
  const gate = outcome.results.gates.find((g) => g.id === "answered");
  assert.ok(gate, JSON.stringify(outcome.results.error ?? outcome.results.gates));
  assert.is(gate!.status, "pass", gate!.detail);
  assert.is(gate!.detail, "30 of 30 answers carried their id");
  assert.is(outcome.exitCode, 0, JSON.stringify(outcome.results.error));
  assert.equal((outcome.results.plan as { decisions: number }).decisions, 30);
});

test.run();
