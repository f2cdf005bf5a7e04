// An SRE game day: the plan's fault profiles played one after another against the governor under
// steady load, with live progress (phase, active faults, P99, pause flag) and abort conditions.
// On abort the current profile is cut short — its faults are removed (the rollback) — and the
// load stops; either way the report says what happened and what Toxiproxy held afterwards.
import { z } from "zod";
import {
  definePlugin,
  formatNumber as n,
  gateSpec,
  isCutMarker,
  isGauntletToxic,
  judge,
  loadProfile,
  noData,
  profileSpan,
  resolveProfile,
  sleepUnlessAborted,
  ToxiproxyApi,
  VenueFaultApi,
  type ScenarioContext,
} from "../../core/index.ts";
import { steadyDrill, steadyLoadFields, type SteadyLoad } from "../shared/steady-drill.ts";
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

/** The phases in order, each watched for abort conditions every 500 ms; an abort rolls back and stops the load. */
async function playPhases(run: ScenarioContext<SteadyLoad>, plan: GamedayPlan, signal: AbortSignal): Promise<Outcome> {
  const outcome: Outcome = { completedPhases: 0 };
  for (const [index, phase] of plan.phases.entries()) {
    if (signal.aborted || outcome.aborted) break;
    const abort = new AbortController();
    signal.addEventListener("abort", () => abort.abort());
    let pausedSince: number | undefined;
    const watch = setInterval(() => {
      const paused = run.live.latest("pause-flag");
      pausedSince = paused ? (pausedSince ?? Date.now()) : undefined;
      const active = run.faults.log.active().map((f) => `${f.proxy} ${f.fault}`);
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
      await run.faults.play(phase.profile, abort.signal);
      await sleepUnlessAborted(phase.observeSeconds * 1000, abort.signal);
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
  return outcome;
}

export default definePlugin({
  name: "gameday",
  description: "Plays a game-day plan (gamedays/*.yaml): profiles in sequence, live abort and rollback.",
  dependsOn: ["sandbox", "integrity"],
  config: z.strictObject({ plan: GamedayPlanSchema.optional() }),
  setup(ctx, config) {
    const plan = config.plan;
    if (!plan) return; // registered only when `gauntlet gameday <plan>` hands one over
    const load = z.strictObject(steadyLoadFields()).parse({ rate: plan.load.rate, actions: plan.load.actions, durationSeconds: gamedayDuration(plan) });
    const completedSpec = gateSpec("gameday_completed", "Game day completed without an abort condition", "safety", "CRITICAL", "phases", "==", plan.phases.length);
    const rolledBackSpec = gateSpec("faults_rolled_back", "No fault left in Toxiproxy or the venue afterwards", "safety", "CRITICAL", "faults", "==", 0);
    ctx.registerScenario(
      steadyDrill({
        name: "gameday",
        description: `game day ${plan.name}`,
        config: load,
        gates: [{ id: "gameday_completed" }, { id: "faults_rolled_back" }],
        profiles: { plan: { durationSeconds: load.durationSeconds, schedule: [] } },
        alsoPlays: plan.phases.map((phase) => phase.profile),
        samplers: [{ name: "pause-flag", intervalMs: 100 }],
        alongside: (run, signal) => playPhases(run, plan, signal),
        async judge(evidence, { target }, outcome = { completedPhases: 0 }) {
          const completed = judge(
            completedSpec,
            outcome.completedPhases,
            outcome.aborted
              ? `aborted in phase ${outcome.aborted.phase} (${outcome.aborted.profile}): ${outcome.aborted.reason}; every fault was removed`
              : `${plan.phases.length} phases played: ${plan.phases.map((p) => p.profile).join(" → ")}`,
          );
          if (!target.toxiproxyUrl) return { gates: [completed, noData(rolledBackSpec, "no Toxiproxy API")] };
          // What is in Toxiproxy now, read back from its API: the proof of the rollback.
          const proxies = await new ToxiproxyApi(target.toxiproxyUrl).listProxies();
          const left = proxies.flatMap((proxy) => [
            ...proxy.toxics.filter((toxic) => isGauntletToxic(toxic.name) && !isCutMarker(toxic.name)).map((toxic) => `${proxy.name}/${toxic.name}`),
            ...(proxy.enabled ? [] : [`${proxy.name} disabled`]),
          ]);
          // And what the venue still applies of its protocol faults, from its own API.
          const venueLeft = target.venueAdminUrl ? await new VenueFaultApi(target.venueAdminUrl).list() : [];
          const rolledBack = judge(
            rolledBackSpec,
            left.length + venueLeft.length,
            `Toxiproxy at the end: ${proxies.length} proxies, ${proxies.filter((p) => p.enabled).length} enabled, ${proxies.reduce((s, p) => s + p.toxics.length, 0)} toxics${left.length ? `; left: ${left.join(", ")}` : ""}; ` +
              `venue protocol faults at the end: ${venueLeft.length ? venueLeft.join(", ") : target.venueAdminUrl ? "none" : "no venue"}; ${evidence.faults.records.length} faults were applied in all`,
          );
          return {
            gates: [completed, rolledBack],
            notes: [`Game day ${plan.name}: ${plan.description.trim()}`],
            facts: { outcome, toxiproxy: proxies.map((p) => ({ name: p.name, enabled: p.enabled, toxics: p.toxics.map((t) => t.name) })) },
          };
        },
      }),
    );
  },
});
