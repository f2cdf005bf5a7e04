// An SRE game day: the plan's fault profiles played one after another against the governor under
// steady load, with live progress (phase, active faults, P99, pause flag) and abort conditions.
// On abort the current profile is cut short — its faults are removed (the rollback) — and the
// load stops; either way the report says what happened and what Toxiproxy held afterwards.
import { z } from "zod";
import { isGauntletToxic, isCutMarker } from "../../core/faults/fault-plan.ts";
import { ToxiproxyApi } from "../../core/faults/toxiproxy-api.ts";
import { formatNumber as n, judge, noData } from "../../core/gates/gate.ts";
import type { SteadyPlan } from "../../core/plan.ts";
import type { ScenarioContext } from "../../core/plugins/contracts.ts";
import { definePlugin } from "../../core/plugins/registry.ts";
import { loadProfile, resolveProfile } from "../../core/faults/profile-files.ts";
import { profileSpan } from "../../core/faults/fault-plan.ts";
import { INSTITUTIONAL_MIN_FEE } from "../broker-failure/index.ts";
import { playProfile, type AppliedFault } from "../shared/fault-play.ts";
import { GamedayPlanSchema, type GamedayPlan } from "./plan-schema.ts";

interface Outcome {
  completedPhases: number;
  aborted?: { phase: number; profile: string; reason: string; abortedAt: number };
}

/** The first abort condition that holds now, or undefined. */
function abortReason(ctx: ScenarioContext<unknown>, plan: GamedayPlan, pausedSince: number | undefined): string | undefined {
  const p99 = ctx.live.p99Ms(10);
  if (p99 > plan.abort.p99Ms) return `decision latency P99 over the last 10 s is ${n(p99)} ms (> ${plan.abort.p99Ms} ms)`;
  const errors = ctx.live.errorRate();
  if (ctx.live.requests() > 100 && errors > plan.abort.errorRate) return `${n(errors * 100)}% of decisions failed (> ${n(plan.abort.errorRate * 100)}%)`;
  if (pausedSince !== undefined && Date.now() - pausedSince > plan.abort.pausedSeconds * 1000) {
    return `the critical pause has been up for ${n((Date.now() - pausedSince) / 1000)} s (> ${plan.abort.pausedSeconds} s)`;
  }
  return undefined;
}

export function gamedayDuration(plan: GamedayPlan): number {
  return plan.phases.reduce((sum, phase) => sum + profileSpan(loadProfile(resolveProfile(phase.profile))) + phase.observeSeconds, 0) + 5;
}

export default definePlugin({
  name: "gameday",
  description: "Plays a game-day plan (gamedays/*.yaml): profiles in sequence, live abort and rollback.",
  dependsOn: ["sandbox", "integrity"],
  config: z.strictObject({ plan: GamedayPlanSchema.optional() }),
  setup(ctx, config) {
    const plan = config.plan;
    if (!plan) return; // registered only when `gauntlet gameday <plan>` hands one over
    let applied: AppliedFault[] = [];
    let outcome: Outcome = { completedPhases: 0 };
    ctx.registerScenario({
      name: "gameday",
      description: `game day ${plan.name}`,
      script: "steady",
      k6Scenario: "steady",
      profiles: ["plan"],
      defaultProfile: "plan",
      sandboxOptions: () => ({ venue: { minFeeUsd: INSTITUTIONAL_MIN_FEE } }),
      prepare({ runId, target }) {
        applied = [];
        outcome = { completedPhases: 0 };
        const steady: SteadyPlan = {
          scenario: `gameday-${plan.name}`, runId, targetUrl: target.baseUrl, symbol: "AAPL", rate: plan.load.rate,
          durationSeconds: gamedayDuration(plan), actions: plan.load.actions, preAllocatedVUs: 20, maxVUs: 200, requestTimeoutMs: 2000,
        };
        return { plan: { ...steady }, samplers: [{ name: "pause-flag", intervalMs: 100 }] };
      },
      async during(run, signal) {
        for (const [index, phase] of plan.phases.entries()) {
          if (signal.aborted || outcome.aborted) break;
          const abort = new AbortController();
          signal.addEventListener("abort", () => abort.abort());
          let pausedSince: number | undefined;
          const watch = setInterval(() => {
            const paused = run.live.latest("pause-flag");
            pausedSince = paused ? (pausedSince ?? Date.now()) : undefined;
            const active = applied.filter((f) => f.removedAt === undefined).map((f) => `${f.proxy} ${f.fault}`);
            run.live.setStatus(`phase ${index + 1}/${plan.phases.length} ${phase.profile} · faults: ${active.join(", ") || "none"}`);
            const reason = abortReason(run, plan, pausedSince);
            if (reason && !outcome.aborted) {
              outcome.aborted = { phase: index + 1, profile: phase.profile, reason, abortedAt: Date.now() };
              run.events.emit("gameday.abort", outcome.aborted);
              abort.abort(); // the timeline removes every fault it applied: the rollback
            }
          }, 500);
          try {
            run.events.emit("gameday.phase", { phase: index + 1, profile: phase.profile });
            await playProfile(run, phase.profile, abort.signal, applied);
            if (!abort.signal.aborted) {
              await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, phase.observeSeconds * 1000);
                abort.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()));
              });
            }
          } finally {
            clearInterval(watch);
          }
          // (set by the watch interval above; the compiler cannot see it change)
          const aborted = outcome.aborted as Outcome["aborted"];
          if (aborted) {
            run.live.stopLoad(`game day aborted in phase ${index + 1} (${phase.profile}): ${aborted.reason}`);
            break;
          }
          outcome.completedPhases = index + 1;
        }
        run.live.setStatus(outcome.aborted ? "aborted and rolled back" : "all phases done");
      },
      async judge(_evidence, { target }) {
        const completed = judge(
          { id: "gameday_completed", title: "Game day completed without an abort condition", category: "safety", severity: "CRITICAL", unit: "phases", comparator: "==", threshold: plan.phases.length },
          outcome.completedPhases,
          outcome.aborted
            ? `aborted in phase ${outcome.aborted.phase} (${outcome.aborted.profile}): ${outcome.aborted.reason}; every fault was removed`
            : `${plan.phases.length} phases played: ${plan.phases.map((p) => p.profile).join(" → ")}`,
        );
        if (!target.toxiproxyUrl) return { gates: [completed, noData({ id: "faults_rolled_back", title: "No fault left in Toxiproxy", category: "safety", severity: "CRITICAL", unit: "faults", comparator: "==", threshold: 0 }, "no Toxiproxy API")] };
        // What is in Toxiproxy now, read back from its API: the proof of the rollback.
        const proxies = await new ToxiproxyApi(target.toxiproxyUrl).listProxies();
        const left = proxies.flatMap((proxy) => [
          ...proxy.toxics.filter((toxic) => isGauntletToxic(toxic.name) && !isCutMarker(toxic.name)).map((toxic) => `${proxy.name}/${toxic.name}`),
          ...(proxy.enabled ? [] : [`${proxy.name} disabled`]),
        ]);
        const rolledBack = judge(
          { id: "faults_rolled_back", title: "No fault left in Toxiproxy afterwards", category: "safety", severity: "CRITICAL", unit: "faults", comparator: "==", threshold: 0 },
          left.length,
          `Toxiproxy at the end: ${proxies.length} proxies, ${proxies.filter((p) => p.enabled).length} enabled, ${proxies.reduce((s, p) => s + p.toxics.length, 0)} toxics${left.length ? `; left: ${left.join(", ")}` : ""}; ${applied.length} faults were applied in all`,
        );
        return {
          gates: [completed, rolledBack],
          notes: [`Game day ${plan.name}: ${plan.description.trim()}`],
          facts: { outcome, applied, toxiproxy: proxies.map((p) => ({ name: p.name, enabled: p.enabled, toxics: p.toxics.map((t) => t.name) })) },
        };
      },
    });
  },
});
