// Scenario 1 — flash crash: replay a real order book, bend it into a crash (10% in 30 s, spreads
// x3, displayed depth −80%), drive the governor through it at a fixed decision rate, and prove
// from the venue's own fills that it stayed inside its limits and came out flat.
//
// The bundled LOBSTER sample spans 49 s; longer runs loop it with continuity (each pass continues
// the previous one's time and mid — data/replay-loop.ts). The report says exactly what was played,
// as the venue tells it: file, reader, instrument and units, span, passes, the crash as applied.
import { definePlugin } from "../../core/index.ts";
import { checkL2Source } from "../../data/readers/index.ts";
import { crashSettings } from "../../data/crash-shaper.ts";
import { resolve } from "node:path";
import { NAMED_SOURCES } from "../../data/bundled-samples.ts";
import { crashNote, observationsNote, observationsProvenance, readReplayProvenance, replayNote } from "../shared/market-data-notes.ts";
import { FlashCrashConfigSchema, flashCrashPlan, type FlashCrashConfig, type FlashCrashPlan, type FlashCrashProfile } from "./plan.ts";
import { flashCrashJudgement, type CrashWindow } from "./gates.ts";

/** The file the venue replays: a bundled sample by name (repo-relative), or the user's path made absolute. */
function replaySource(config: FlashCrashConfig): string {
  return config.source in NAMED_SOURCES ? NAMED_SOURCES[config.source as keyof typeof NAMED_SOURCES] : resolve(config.source);
}

export default definePlugin({
  name: "flash-crash",
  description: "A real L2 book bent into a flash crash; drawdown, crash-window latency, flat after, hard-limit breaches.",
  dependsOn: ["sandbox", "integrity"],
  config: FlashCrashConfigSchema,
  setup(ctx, config) {
    const phases = (profile: string) => config.profiles[profile as FlashCrashProfile];
    const source = replaySource(config);
    // A wrong format or reader option is a config error now, not a venue that fails to start later.
    const { reader } = checkL2Source({ file: source, format: config.format, options: config.readerOptions });
    ctx.registerScenario<FlashCrashConfig, FlashCrashPlan, Awaited<ReturnType<typeof readReplayProvenance>>>({
      name: "flash-crash",
      description: "real L2 replay bent into a 10% crash in 30 s (spreads x3, depth -80%)",
      script: "flash-crash",
      k6Scenario: "crash",
      gates: [{ id: "max_drawdown" }, { id: "latency_p99_crash" }, { id: "flat_after_crash" }, { id: "limit_breaches" }],
      profiles: ["quick", "full", "severe", "smoke", "thin"],
      defaultProfile: "quick",
      selftestProfile: "severe",
      timingGates: ["latency_p99_crash"],
      plan: flashCrashPlan,
      expectedSeconds: (plan) => plan.buildSeconds + plan.crashSeconds + plan.recoverySeconds,
      samplers: [{ name: "target-rss", intervalMs: 1000 }],
      limits: config.limits,
      market(profile) {
        const p = phases(profile);
        return {
          replay: {
            source,
            format: config.format,
            readerOptions: config.readerOptions,
            loop: true,
            speed: config.speed,
            autostart: false,
            // The crash starts when the build phase ends: the replay clock starts in k6's setup().
            crash: { ...config.crash, ...p.crash, startSeconds: p.buildSeconds, windowSeconds: p.crashSeconds },
            sizeScale: p.sizeScale,
          },
        };
      },
      // What the venue played, read the moment the load ends (the replay runs on until the next reset).
      async during({ target }, signal) {
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
        return readReplayProvenance(target.venueAdminUrl);
      },
      async judge(evidence, { target, profile }, atLoadEnd) {
        const p = phases(profile);
        const { provenance, health, missing } = atLoadEnd ?? (await readReplayProvenance(target.venueAdminUrl));
        const startedAt = typeof health.startedAt === "number" ? health.startedAt : undefined;
        const window: CrashWindow | undefined = startedAt
          ? {
              replayStartedAt: startedAt,
              crashStart: startedAt + (p.buildSeconds * 1000) / config.speed,
              crashEnd: startedAt + ((p.buildSeconds + p.crashSeconds) * 1000) / config.speed,
            }
          : undefined;
        // Positions and depth are in the book's units: shares of AAPL, BTC of BTCUSDT, contracts of ESH4.
        const units = provenance?.units ?? reader.units(undefined);
        const judgement = await flashCrashJudgement(evidence, target, config, window, units);
        // What the venue was asked for, defaults filled in, when it cannot say what it applied.
        const asked = crashSettings({ ...config.crash, ...p.crash, startSeconds: p.buildSeconds, windowSeconds: p.crashSeconds });
        const notes = provenance
          ? [replayNote(provenance), ...(provenance.crash ? [crashNote(provenance.crash)] : [])]
          : [`Market data: real L2 replay of ${source} at ${config.speed}x real time, bent into a crash (${JSON.stringify(asked)}); ${missing ?? "the venue did not say what it played"}, so the span and passes played are unknown.`];
        if (p.sizeScale < 1) notes.push(`A thin book: every displayed size of the replay × ${p.sizeScale}, prices and rhythm untouched.`);
        const observations = observationsProvenance(provenance);
        notes.push(observationsNote(observations, provenance, config.symbol));
        notes.push(...(judgement.notes ?? []));
        return {
          ...judgement,
          notes,
          facts: { ...judgement.facts, replay: provenance ?? { source, speed: config.speed, crash: asked, missing }, observations },
        };
      },
      selftest: [
        { seededFault: "never-flattens", mustFail: ["flat_after_crash", "max_drawdown"] },
        { seededFault: "ignore-notional-cap", mustFail: ["limit_breaches"] },
        { seededFault: "stale-prices", mustFail: ["flat_after_crash"] },
        // The thin book: the correct governor books partial fills exactly; one that books the
        // order's size instead of the fill's is off by the cancelled rest.
        { seededFault: "none", mustFail: [], profile: "thin" },
        { seededFault: "books-order-size", mustFail: ["integrity_position"], profile: "thin" },
      ],
    });
  },
});
