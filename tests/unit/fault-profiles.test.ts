// Fault profiles: every shipped profile validates and expands to the toxics a reader expects; each
// bad profile fails with GAUNTLET_PROFILE_INVALID naming the file, the line, the step (index and
// proxy) and the field.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isGauntletError } from "../../core/errors.ts";
import { describeFault, planChanges, planFaults, profileSpan } from "../../core/faults/fault-plan.ts";
import { loadProfile, profileFiles, resolveProfile, TOXICS_DIR } from "../../core/faults/profile-files.ts";
import { FaultProfileSchema, profileSchema, TOXIC_TYPES } from "../../core/faults/profile-schema.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const fixture = (name: string) => path.join(root, "tests/fixtures/toxics", name);
const shipped = (name: string) => loadProfile(path.join(TOXICS_DIR, `${name}.yaml`));

/** Asserts loading `file` fails with GAUNTLET_PROFILE_INVALID and a message containing every part. */
function fails(file: string, parts: string[]): string {
  try {
    loadProfile(file);
  } catch (error) {
    if (!isGauntletError(error)) throw error;
    assert.is(error.code, "GAUNTLET_PROFILE_INVALID", error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return error.message;
  }
  return assert.unreachable(`${file} was accepted`) as never;
}

test("the shipped profiles are there and every one validates", () => {
  const names = profileFiles().map((file) => path.basename(file, ".yaml"));
  assert.equal(names, [
    "broker-cut-probe",
    "broker-drop-10s",
    "broker-jitter-30ms",
    "broker-outage-10s",
    "broker-outage-smoke",
    "double-fault-smoke",
    "double-fault",
    "latency-spike-250ms",
    "postgres-outage-smoke",
    "postgres-outage",
    "redis-latency-smoke",
    "redis-latency",
    "venue-and-jitter",
    "venue-protocol-smoke",
    "venue-protocol",
  ]);
  for (const file of profileFiles()) {
    const profile = loadProfile(file);
    assert.is(profile.name, path.basename(file, ".yaml"), "a profile's name is its file's name");
    assert.ok(profile.description.length > 80, `${profile.name}: a description a reader understands`);
  }
});

test("broker-drop-10s: the broker cut for 10 s at 20 s and at 50 s", () => {
  const faults = planFaults(shipped("broker-drop-10s"));
  assert.equal(faults.map((f) => [f.proxy, f.fault, f.startS, f.endS]), [["broker", "cut", 20, 30], ["broker", "cut", 50, 60]]);
  assert.equal(faults.map((f) => f.marker?.name), ["gauntlet-broker-drop-10s-step0.1.cut", "gauntlet-broker-drop-10s-step0.2.cut"]);
  assert.equal(faults[0]!.marker!.toxicity, 0, "the cut marker is a no-op toxic");
  assert.equal(faults[0]!.toxics, []);
});

test("latency-spike-250ms: direction both becomes two real toxics per proxy, same attributes", () => {
  const faults = planFaults(shipped("latency-spike-250ms"));
  assert.equal(faults.map((f) => f.proxy), ["broker", "market_data"]);
  for (const fault of faults) {
    assert.equal([fault.startS, fault.endS], [10, 25]);
    assert.equal(fault.toxics.map((t) => [t.stream, t.type, t.toxicity, t.attributes]), [
      ["downstream", "latency", 1, { latency: 250, jitter: 0 }],
      ["upstream", "latency", 1, { latency: 250, jitter: 0 }],
    ]);
  }
  assert.equal(faults[0]!.toxics.map((t) => t.name), ["gauntlet-latency-spike-250ms-step0.downstream", "gauntlet-latency-spike-250ms-step0.upstream"]);
  assert.is(describeFault(faults[0]!), "latency toxic: latency 250 ms, jitter 0 ms · downstream+upstream · toxicity 1");
});

test("double-fault, jitter, redis and postgres profiles say what the requirements say", () => {
  const double = planFaults(shipped("double-fault"));
  assert.equal(double.map((f) => [f.proxy, f.fault, f.startS, f.endS]), [["broker", "cut", 10, 25], ["market_data", "latency", 10, 25]]);
  assert.equal(double[1]!.toxics[0]!.attributes, { latency: 250, jitter: 0 });
  const jitter = planFaults(shipped("broker-jitter-30ms"));
  assert.equal(jitter.map((f) => [f.proxy, f.endS - f.startS, f.toxics[0]!.attributes]), [["broker", 60, { latency: 30, jitter: 8 }]]);
  const redis = planFaults(shipped("redis-latency"));
  assert.equal(redis.map((f) => [f.proxy, f.endS - f.startS, f.toxics.length, f.toxics[0]!.attributes.latency]), [["redis", 20, 2, 50]]);
  const postgres = planFaults(shipped("postgres-outage"));
  assert.equal(postgres.map((f) => [f.proxy, f.fault, f.endS - f.startS]), [["postgres", "cut", 15]]);
  assert.is(profileSpan(shipped("broker-drop-10s")), 60);
});

test("a profile argument: a name in toxics/, a profile name, or a path; anything else lists the known", () => {
  assert.is(resolveProfile("double-fault"), path.join(TOXICS_DIR, "double-fault.yaml"));
  assert.is(resolveProfile(fixture("overlap.fails.yaml")), fixture("overlap.fails.yaml"));
  try {
    resolveProfile("moon-fault");
    assert.unreachable();
  } catch (error) {
    assert.ok(isGauntletError(error));
    assert.is(error.code, "GAUNTLET_USAGE");
    assert.match(error.message, /no fault profile "moon-fault".*known: broker-cut-probe, broker-drop-10s, broker-jitter-30ms/);
  }
});

test("unknown toxic type: file, line, step and proxy, field, and the known types", () => {
  const file = fixture("unknown-toxic-type.fails.yaml");
  fails(file, [`${file}:8: steps[0] (redis) toxic.type: unknown toxic type "packet_loss" — known: ${TOXIC_TYPES.join(", ")}`]);
  assert.equal(TOXIC_TYPES, ["latency", "bandwidth", "slow_close", "timeout", "reset_peer", "slicer", "limit_data"]);
});

test("zero and negative durations", () => {
  const zero = fixture("duration-zero.fails.yaml");
  fails(zero, [`${zero}:10: steps[1] (market_data) duration: duration must be > 0 seconds (got 0)`]);
  const negative = fixture("duration-negative.fails.yaml");
  fails(negative, [`${negative}:6: steps[0] (postgres) duration: duration must be > 0 seconds (got -5)`]);
});

test("overlapping steps on one proxy, found only once repeats are expanded", () => {
  const file = fixture("overlap.fails.yaml");
  const message = fails(file, [
    `${file}:16: steps[2] (broker) at: overlaps steps[0] (occurrence 2 of 2) on proxy broker: [30 s, 40 s) and [35 s, 45 s)`,
  ]);
  assert.not.match(message, /steps\[1\]/, "the same window on another proxy is fine");
});

test("a repeat shorter than its duration overlaps itself", () => {
  const parsed = FaultProfileSchema.safeParse({ name: "x", description: "d", steps: [{ proxy: "redis", at: 0, duration: 10, repeat: { times: 2, every: 5 }, cut: true }] });
  assert.not.ok(parsed.success);
  assert.equal(parsed.error!.issues.map((i) => [i.path.join("."), i.message]), [
    ["steps.0.repeat.every", "repeat.every 5 s is shorter than duration 10 s, so occurrences [0 s, 10 s) and [5 s, 15 s) overlap"],
  ]);
});

test("unknown proxy lists the known ones; a target can declare its own", () => {
  const file = fixture("unknown-proxy.fails.yaml");
  fails(file, [`${file}:8: steps[1] (kafka) proxy: unknown proxy "kafka" — known: broker, market_data, redis, postgres`]);
  const custom = loadProfile(file, ["broker", "kafka"]);
  assert.equal(custom.steps.map((s) => s.proxy), ["broker", "kafka"]);
  assert.not.ok(profileSchema(["kafka"]).safeParse({ name: "x", description: "d", steps: [{ proxy: "broker", at: 0, duration: 1, cut: true }] }).success);
});

test("toxicity out of range", () => {
  const file = fixture("toxicity-range.fails.yaml");
  fails(file, [`${file}:9: steps[0] (market_data) toxic.toxicity: toxicity must be from 0 to 1 — the share of connections hit (got 1.5)`]);
});

test("a step is a toxic or a cut, and direction: both excludes stream — every problem listed", () => {
  const file = fixture("toxic-and-cut.fails.yaml");
  fails(file, [
    `${file}:4: steps[0] (redis): give one of toxic, cut: true or venue, not toxic and cut: true`,
    `${file}:17: steps[1] (postgres) toxic.direction: direction: both already covers both streams; leave out stream`,
  ]);
});

test("Toxiproxy's defaults: stream downstream, toxicity 1, optional attributes 0; unknown attributes refused", () => {
  const profile = FaultProfileSchema.parse({
    name: "x",
    description: "d",
    steps: [{ proxy: "redis", at: 0, duration: 1, toxic: { type: "slicer", attributes: { average_size: 64 } } }],
  });
  const [toxic] = planFaults(profile)[0]!.toxics;
  assert.equal(toxic, { name: "gauntlet-x-step0", stream: "downstream", type: "slicer", toxicity: 1, attributes: { average_size: 64, size_variation: 0, delay: 0 } });
  const bad = FaultProfileSchema.safeParse({ name: "x", description: "d", steps: [{ proxy: "redis", at: 0, duration: 1, toxic: { type: "latency", attributes: { latency: 5, jiter: 1 } } }] });
  assert.equal(bad.error?.issues.map((i) => i.path.join(".")), ["steps.0.toxic.attributes"]);
});

test("changes are ordered by time, applications first at one instant (back-to-back faults are one outage)", () => {
  const profile = FaultProfileSchema.parse({
    name: "handover",
    description: "d",
    steps: [
      { proxy: "redis", at: 0, duration: 1, toxic: { type: "latency", name: "slow", attributes: { latency: 100 } } },
      { proxy: "redis", at: 1, duration: 1, cut: true },
    ],
  });
  assert.equal(planChanges(planFaults(profile)).map((c) => `${c.t} ${c.action} ${c.fault.fault}`), ["0 apply latency", "1 apply cut", "1 remove latency", "2 remove cut"]);
  assert.is(planFaults(profile)[0]!.toxics[0]!.name, "gauntlet-handover-slow", "a step's toxic name becomes the suffix");
});

test("venue protocol faults: a step with venue instead of a proxy, planned and described like a toxic", () => {
  const profile = FaultProfileSchema.parse({
    name: "lies",
    description: "d",
    steps: [
      { at: 0, duration: 2, venue: { type: "ack-delay" } },
      { at: 1, duration: 2, venue: { type: "crossed-book" } }, // the other connection: may overlap
      { proxy: "broker", at: 0, duration: 5, cut: true },
    ],
  });
  const [ack, crossed] = planFaults(profile);
  assert.equal([ack!.proxy, ack!.fault, ack!.venue!.name], ["venue", "ack-delay", "gauntlet-lies-step0"]);
  assert.equal(ack!.venue!.fault.attributes, { meanMs: 30, sdMs: 8 }, "the attributes' defaults");
  assert.is(describeFault(ack!), "venue fault ack-delay: meanMs 30, sdMs 8");
  assert.is(describeFault(crossed!), "venue fault crossed-book");
  assert.equal(shipped("venue-protocol-smoke").steps.length, 10);
  assert.ok(planFaults(shipped("venue-and-jitter")).some((fault) => fault.venue) && planFaults(shipped("venue-and-jitter")).some((fault) => fault.toxics.length > 0), "one timeline mixes both");
});

test("venue protocol faults: a proxy beside venue, an unknown fault, two on one connection — each named", () => {
  const parse = (steps: unknown[]) => FaultProfileSchema.safeParse({ name: "x", description: "d", steps }).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`) ?? [];
  assert.equal(parse([{ proxy: "broker", at: 0, duration: 1, venue: { type: "late-ack" } }]), ["steps.0.proxy: a venue fault acts in the venue, not on a proxy: leave out proxy"]);
  assert.match(parse([{ at: 0, duration: 1, venue: { type: "moon" } }]).join(), /unknown venue fault "moon" — known: duplicate-fill, out-of-order-fills/);
  assert.equal(parse([{ at: 0, duration: 1 }]), ["steps.0: a step needs a toxic, cut: true or a venue fault", "steps.0.proxy: a toxic needs a proxy — known: broker, market_data, redis, postgres"]);
  assert.equal(parse([{ at: 0, duration: 2, venue: { type: "late-ack" } }, { at: 1, duration: 2, venue: { type: "reject-storm" } }]), [
    "steps.1.at: overlaps steps[0] on the venue's order entry: [0 s, 2 s) and [1 s, 3 s) — one fault per venue connection at a time",
  ]);
});

test.run();
