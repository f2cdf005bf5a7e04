// Scenario 1 — flash crash: replay a real order book, bend it into a crash (10% in 30 s, spreads
// x3, displayed depth −80%), drive the governor through it at a fixed decision rate, and prove
// from the venue's own fills that it stayed inside its limits and came out flat.
//
// The bundled LOBSTER sample spans 49 s; longer runs loop it with continuity (each pass continues
// the previous one's time and mid — data/replay-loop.ts) and the report lists every seam.
import type { FlashCrashPlan } from "../../core/plan.ts";
import { definePlugin } from "../../core/plugins/registry.ts";
import type { LoopStats } from "../../data/replay-loop.ts";
import { FlashCrashConfigSchema, SOURCES, type FlashCrashConfig } from "./config.ts";
import { flashCrashJudgement, type CrashWindow } from "./gates.ts";

type Profile = keyof FlashCrashConfig["profiles"];

/** Say plainly what market the governor saw: which real file, at what speed, looped how often. */
function replayNote(source: string, speed: number, loops: LoopStats | undefined): string {
  const seams = loops?.seams ?? [];
  const looped = seams.length === 0
    ? "played once, not looped"
    : `looped ${seams.length} time(s) with continuity (each pass continues the previous one's time and mid; price shifts at the seams: ${seams.map((s) => s.priceShift.toFixed(4)).join(", ")})`;
  return `Market data: real L2 replay of ${source} at ${speed}x real time, ${looped}.`;
}

function crashNote(crash: Record<string, unknown>, buildSeconds: number, crashSeconds: number): string {
  const dropPct = (crash.dropPct as number | undefined) ?? 10;
  const path = (crash.path as string | undefined) ?? "linear";
  return `The crash is imposed on the real book (no public L2 file holds a real one): a ${dropPct}% fall along a ${path} path over ${crashSeconds} s starting ${buildSeconds} s into the replay, spreads x${(crash.spreadFactor as number | undefined) ?? 3}, displayed depth −${(crash.depthRemovedPct as number | undefined) ?? 80}%; level spacing, size profile and update rhythm stay the real book's.`;
}

export default definePlugin({
  name: "flash-crash",
  description: "A real L2 book bent into a flash crash; drawdown, crash-window latency, flat after, hard-limit breaches.",
  dependsOn: ["sandbox", "integrity"],
  config: FlashCrashConfigSchema,
  setup(ctx, config) {
    const phases = (profile: string) => config.profiles[profile as Profile];
    const source = config.source in SOURCES ? SOURCES[config.source as keyof typeof SOURCES] : config.source;
    ctx.registerScenario<FlashCrashConfig>({
      name: "flash-crash",
      description: "real L2 replay bent into a 10% crash in 30 s (spreads x3, depth -80%)",
      script: "flash-crash",
      k6Scenario: "crash",
      profiles: ["quick", "full", "severe"],
      defaultProfile: "quick",
      selftestProfile: "severe",
      sandboxOptions(profile) {
        const p = phases(profile);
        return {
          limits: config.limits,
          replay: {
            source,
            loop: true,
            speed: config.speed,
            autostart: false,
            // The crash starts when the build phase ends: the replay clock starts in k6's setup().
            crash: { ...config.crash, ...p.crash, startSeconds: p.buildSeconds, windowSeconds: p.crashSeconds },
          },
        };
      },
      prepare({ runId, target, profile }) {
        const p = phases(profile);
        const plan: FlashCrashPlan = {
          scenario: "flash-crash",
          runId,
          targetUrl: target.baseUrl,
          venueAdminUrl: target.venueAdminUrl ?? "",
          symbol: config.symbol,
          rate: config.rate,
          buildSeconds: p.buildSeconds / config.speed,
          crashSeconds: p.crashSeconds / config.speed,
          recoverySeconds: p.recoverySeconds / config.speed,
          preAllocatedVUs: 20,
          maxVUs: 200,
          requestTimeoutMs: 2000,
          thresholds: { p99Ms: config.thresholds.p99Ms },
        };
        return {
          plan: { ...plan, durationSeconds: plan.buildSeconds + plan.crashSeconds + plan.recoverySeconds },
          samplers: [{ name: "target-rss", intervalMs: 1000 }],
        };
      },
      async judge(evidence, { target, profile }) {
        const p = phases(profile);
        const health = target.venueAdminUrl
          ? ((await (await fetch(`${target.venueAdminUrl}/health`)).json()) as { startedAt?: number; loops?: unknown })
          : {};
        const window: CrashWindow | undefined = health.startedAt
          ? {
              replayStartedAt: health.startedAt,
              crashStart: health.startedAt + (p.buildSeconds * 1000) / config.speed,
              crashEnd: health.startedAt + ((p.buildSeconds + p.crashSeconds) * 1000) / config.speed,
            }
          : undefined;
        const judgement = await flashCrashJudgement(evidence, target, config, window);
        const crash = { ...config.crash, ...p.crash };
        return {
          ...judgement,
          notes: [replayNote(source, config.speed, health.loops as LoopStats | undefined), crashNote(crash, p.buildSeconds, p.crashSeconds)],
          facts: { ...judgement.facts, replay: { source, speed: config.speed, loops: health.loops, crash } },
        };
      },
      selftest: [
        { fault: "never-flattens", mustFail: ["flat_after_crash", "max_drawdown"] },
        { fault: "ignore-notional-cap", mustFail: ["limit_breaches"] },
        { fault: "stale-prices", mustFail: ["flat_after_crash"] },
      ],
    });
  },
});
