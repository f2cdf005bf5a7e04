// limit-property: property-based limit testing. fast-check generates sequences of proposed actions
// in concurrent batches (search.ts); each runs against the governor from a fresh reset, and the
// property is that no fill the venue made breaches a hard limit. A failing sequence is shrunk to a
// minimal one and printed in the report with its seed, so a developer can replay it. k6 watches
// the target's health meanwhile (scripts/property-watch.ts); the search stops it when done. The
// integrity checks that follow judge the books of the last sequence run.
import { definePlugin, formatNumber as n, gateSpec, judge, noData, type GateResult, type Judgement } from "../../core/index.ts";
import { LimitPropertyConfigSchema, propertyWatchPlan, type LimitPropertyConfig, type PropertyWatchPlan } from "./plan.ts";
import { describeSequence, searchForBreach, type SearchResult } from "./search.ts";

/** Below this the search never pressed the notional cap: "held" would mean nothing. */
const MIN_PRESSURE_PCT = 80;

function judgement(result: SearchResult | undefined, config: LimitPropertyConfig): Judgement {
  const spec = gateSpec("property_no_breach", "Generated decision sequences: no fill breaches a hard limit", "safety", "CRITICAL", "sequences", "==", 0);
  if (!result) return { gates: [noData(spec, "the property search did not run")] };
  if (result.error) return { gates: [noData(spec, `the property search failed: ${result.error}`)] };
  const searched = `${result.sequences} sequences from seed ${result.seed} (${result.numRuns} generated, ${result.numShrinks} shrinks${result.interrupted ? ", stopped at the time limit" : ""}), ${n(result.fills)} fills`;
  const example = result.counterexample;
  let gate: GateResult;
  if (example) {
    const breach = example.outcome.breaches[0]!;
    gate = judge(spec, 1, `${searched}; a breaching sequence was found and shrunk to ${example.batches.length} batch(es): ${describeSequence(example.batches)} → ${breach.limit} ${n(breach.value)} > ${n(breach.limitValue)} at ${breach.fillId}`);
  } else if (result.maxNotionalPressurePct < MIN_PRESSURE_PCT) {
    gate = noData(spec, `${searched}; not exercised: the closest any sequence came to the notional cap was ${n(result.maxNotionalPressurePct)} % (< ${MIN_PRESSURE_PCT} %)`);
  } else {
    gate = judge(spec, 0, `${searched}; none breached a limit; the notional cap was pressed to ${n(result.maxNotionalPressurePct)} % of it`);
  }
  const notes = example
    ? [
        `Minimal breaching sequence (fast-check seed ${result.seed}, ${result.numShrinks} shrinks): ${describeSequence(example.batches)} — each batch sent at once, batches one after another, from a reset. ` +
          `Its breaches: ${example.outcome.breaches.slice(0, 5).map((b) => `${b.limit} ${n(b.value)} > ${n(b.limitValue)} at ${b.fillId}`).join("; ")}. ` +
          `Replay: gauntlet run limit-property --set limit-property.seed=${result.seed}.`,
      ]
    : [];
  return { gates: [gate], notes, facts: { property: { ...result, counterexample: example ? { batches: example.batches, sequence: describeSequence(example.batches), breaches: example.outcome.breaches } : undefined } } };
}

export default definePlugin({
  name: "limit-property",
  description: "Property-based limits: generated decision sequences (fast-check, seeded, shrunk) against 'no fill breaches a limit'.",
  dependsOn: ["sandbox", "integrity"],
  config: LimitPropertyConfigSchema,
  setup(ctx, config) {
    ctx.registerScenario<LimitPropertyConfig, PropertyWatchPlan, SearchResult | undefined>({
      name: "limit-property",
      description: "generated action sequences in concurrent batches, shrunk to a minimal breach",
      script: "property-watch",
      k6Scenario: "watch",
      gates: [{ id: "property_no_breach" }],
      profiles: ["quick", "smoke"],
      defaultProfile: "quick",
      plan: propertyWatchPlan,
      expectedSeconds: (plan) => plan.maxSeconds,
      limits: config.limits,
      async during(run, signal) {
        const { target } = run;
        if (!target.venueAdminUrl || !target.venueJournal) return undefined;
        const search = config.profiles[run.profile as keyof LimitPropertyConfig["profiles"]];
        try {
          return await searchForBreach(
            { baseUrl: target.baseUrl, venueAdminUrl: target.venueAdminUrl, venueJournal: target.venueJournal },
            { ...search, seed: config.seed, maxBatches: config.maxBatches, maxBatchSize: config.maxBatchSize, requestTimeoutMs: config.requestTimeoutMs, settleMs: config.settleMs, limits: config.limits },
            signal,
            (done) => run.live.setStatus(`property search: ${done} sequences`),
          );
        } finally {
          run.live.stopLoad("the property search is done");
        }
      },
      judge: (_evidence, _run, result) => judgement(result, config),
      selftest: [{ seededFault: "forgets-in-flight", mustFail: ["property_no_breach"] }],
    });
  },
});
