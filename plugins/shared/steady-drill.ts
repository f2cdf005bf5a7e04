// The steady fault drill, written once: steady decisions at a fixed rate with a repeating pattern
// of proposed actions (scripts/steady.ts), while fault profiles are played on the run's clock —
// the skeleton of broker-failure, hard-kill, state-faults and game days. A drill adds its fault
// schedule, what it does alongside (an emergency-stop drill), its samplers and its gates.
import {
  sleepUnlessAborted,
  type Evidence,
  type GateCoverage,
  type GateResult,
  type Judgement,
  type SamplerRequest,
  type ScenarioContext,
  type ScenarioDefinition,
  type SelftestRow,
} from "../../core/index.ts";
import type { Limits } from "../../protocol/limits.ts";
import { withReplayNote } from "./market-data-notes.ts";
import { watchRecovery } from "./recovery-watch.ts";
import { steadyPlan, type SteadyLoad, type SteadyPlan } from "./steady-plan.ts";

export { steadyLoadFields, type SteadyLoad } from "./steady-plan.ts";

/**
 * Minutes of steady trading at the retail $0.35 minimum would burn the $100 loss budget on fees
 * alone, and the loss stop would then (rightly) halt trading; the drills use an institutional
 * schedule (1 bp, $0.01 minimum). order-burst keeps the retail minimum.
 */
export const INSTITUTIONAL_MIN_FEE = 0.01;

/** A fault profile and when it starts, seconds into the drive. */
export interface ScheduledProfile {
  profile: string;
  startS: number;
}

/** Play each profile at its start time, together; resolves when every one has removed its faults. */
export async function playSchedule(ctx: ScenarioContext<unknown>, schedule: readonly ScheduledProfile[], signal: AbortSignal): Promise<void> {
  await Promise.all(
    schedule.map(async ({ profile, startS }) => {
      await sleepUnlessAborted(startS * 1000, signal);
      if (!signal.aborted) await ctx.faults.play(profile, signal);
    }),
  );
}

/** One profile of a drill: how long the steady load lasts and which faults it plays when. */
export interface DrillProfile {
  durationSeconds: number;
  schedule: readonly ScheduledProfile[];
}

export interface SteadyDrill<C extends SteadyLoad, D> {
  name: string;
  description: string;
  config: C;
  /** Every gate judge() returns (doctor's coverage table). */
  gates: readonly GateCoverage[];
  /** The drill's profiles by name, the default first (quick and smoke; a game day has one, plan). */
  profiles: Readonly<Record<string, DrillProfile>>;
  /** Profiles `alongside` plays itself (a game day's phases): declared so they are validated before anything starts. */
  alsoPlays?: readonly string[];
  samplers?: readonly SamplerRequest[];
  /** The hard limits the drill certifies (default: the requirements'). */
  limits?: Limits;
  /** Measure recovery after each outage of this proxy (published live on gauntlet_recovery_time_seconds). */
  recoveryOf?: { proxy: string; freshDataMs: number };
  /** Work alongside the fault schedule (an emergency-stop drill); its result reaches judge(). */
  alongside?(ctx: ScenarioContext<C>, signal: AbortSignal): Promise<D>;
  judge(evidence: Evidence, ctx: ScenarioContext<C>, alongside: D | undefined): GateResult[] | Judgement | Promise<GateResult[] | Judgement>;
  selftest?: readonly SelftestRow[];
  /** Gates that measure milliseconds (ScenarioDefinition.timingGates). */
  timingGates?: readonly string[];
}

export function steadyDrill<C extends SteadyLoad, D = undefined>(drill: SteadyDrill<C, D>): ScenarioDefinition<C, SteadyPlan, D> {
  return {
    name: drill.name,
    description: drill.description,
    script: "steady",
    k6Scenario: "steady",
    gates: drill.gates,
    profiles: Object.keys(drill.profiles),
    defaultProfile: Object.keys(drill.profiles)[0]!,
    // The drill's own load settings (a game day builds them from its plan; the plugin config
    // it was registered under holds the plan, not a load), cut to the profile's length.
    plan: (input) => steadyPlan(drill.name, { ...input, config: { ...drill.config, durationSeconds: drill.profiles[input.profile]!.durationSeconds } }),
    expectedSeconds: (plan) => plan.durationSeconds,
    samplers: drill.samplers ?? [],
    faultProfiles: (profile) => [...new Set([...drill.profiles[profile]!.schedule.map((step) => step.profile), ...(drill.alsoPlays ?? [])])],
    market: () => ({ minFeeUsd: INSTITUTIONAL_MIN_FEE }),
    limits: drill.limits,
    async during(ctx, signal) {
      const [, , alongside] = await Promise.all([
        playSchedule(ctx, drill.profiles[ctx.profile]!.schedule, signal),
        drill.recoveryOf ? watchRecovery(ctx, drill.recoveryOf, signal) : undefined,
        drill.alongside?.(ctx, signal),
      ]);
      return alongside as D;
    },
    judge: async (evidence, ctx, alongside) => withReplayNote(await drill.judge(evidence, ctx, alongside), ctx.target.venueAdminUrl),
    selftest: drill.selftest,
    ...(drill.timingGates ? { timingGates: drill.timingGates } : {}),
  };
}
