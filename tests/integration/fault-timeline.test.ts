// The fault timeline against a real toxiproxy-server with a real Redis behind it: faults land on
// schedule (a PING through the proxy is slower under the latency toxic and refused under the cut),
// every change is in the event log, and nothing remains in Toxiproxy afterwards — after a normal
// end, an abort and an error. clearGauntletFaults removes exactly Gauntlet's leftovers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { clearGauntletFaults } from "../../core/faults/clear-faults.ts";
import { FaultLog } from "../../core/faults/fault-log.ts";
import { FaultTimeline } from "../../core/faults/fault-timeline.ts";
import { FaultProfileSchema } from "../../core/faults/profile-schema.ts";
import { ToxiproxyApi, type ProxyState } from "../../core/faults/toxiproxy-api.ts";
import { EventLog, type RunEvent } from "../../core/events/event-log.ts";
import { LiveMetrics } from "../../core/events/live-metrics.ts";
import { freePort } from "../../core/process/ports.ts";
import { startRedis, type RedisInstance } from "../../core/services/redis-server.ts";
import { startToxiproxy, type ToxiproxyInstance } from "../../core/services/toxiproxy-server.ts";
import { requireTool } from "../../core/tools/tools.ts";
import { tempDir } from "../support/cli.ts";

let redis: RedisInstance;
let toxiproxy: ToxiproxyInstance;
let api: ToxiproxyApi;
const ports: Record<string, number> = {};
const dir = tempDir();

test.before(async () => {
  const binary = (await requireTool("toxiproxy")).path;
  [redis, toxiproxy] = await Promise.all([startRedis(join(dir, "redis"), await freePort()), startToxiproxy(binary, join(dir, "toxi"), await freePort())]);
  api = new ToxiproxyApi(toxiproxy.apiUrl);
  for (const name of ["redis", "broker", "postgres"]) ports[name] = await freePort();
});

test.after(async () => {
  for (const service of [toxiproxy, redis]) await service?.process.stop();
});

/** Every test starts from three clean proxies, all in front of the same Redis. */
async function freshProxies(): Promise<void> {
  await api.reset();
  await api.populate(Object.entries(ports).map(([name, port]) => ({ name, listen: `127.0.0.1:${port}`, upstream: `127.0.0.1:${redis.port}` })));
}

async function timedPing(port: number): Promise<number> {
  const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  client.on("error", () => undefined); // a refused connection is an expected outcome here, reported by connect()
  try {
    await client.connect();
    const started = performance.now();
    await client.ping();
    return performance.now() - started;
  } finally {
    client.disconnect();
  }
}

async function assertClean(): Promise<ProxyState[]> {
  const proxies = await api.listProxies();
  for (const proxy of proxies) {
    assert.equal(proxy.toxics, [], `${proxy.name} still has toxics`);
    assert.ok(proxy.enabled, `${proxy.name} is still disabled`);
  }
  return proxies;
}

function readEvents(path: string): RunEvent[] {
  return readFileSync(path, "utf8").trim().split("\n").map((line) => JSON.parse(line) as RunEvent);
}

const profile = (steps: unknown[]) => FaultProfileSchema.parse({ name: "it", description: "integration test", steps });

test("a latency step then a cut land on schedule, are logged, counted, and leave nothing behind", async () => {
  await freshProxies();
  const events = new EventLog(join(dir, "schedule.ndjson"));
  const metrics = new LiveMetrics();
  const faults = new FaultLog(metrics);
  const changes: string[] = [];
  faults.listen((record, change) => changes.push(`${change} ${record.fault}`));
  const startMs = Date.now() + 300;
  const timeline = new FaultTimeline(
    profile([
      { proxy: "redis", at: 0.5, duration: 1, toxic: { type: "latency", attributes: { latency: 200 } } },
      { proxy: "redis", at: 1.5, duration: 1, cut: true },
    ]),
    { api, events, faults, startMs },
  );
  const playing = timeline.play();
  const at = (s: number) => sleep(Math.max(0, startMs + s * 1000 - Date.now()));

  await at(0.1);
  const before = await timedPing(ports.redis!);
  await at(0.9);
  assert.equal(faults.active().map((a) => `${a.proxy} ${a.fault}`), ["redis latency"]);
  assert.equal((await metrics.activeFaults.get()).values.map((v) => [v.labels, v.value]), [[{ proxy: "redis", fault: "latency" }, 1]]);
  const slowed = await timedPing(ports.redis!);
  await at(2.0);
  const during = await api.listProxies();
  const refused = await timedPing(ports.redis!).then(() => false, () => true);
  assert.is(await playing, "completed");
  const after = await timedPing(ports.redis!);

  assert.ok(before < 50, `before the profile: ${before.toFixed(1)} ms`);
  // Toxiproxy counts the 200 ms from the chunk's own timestamp, not from our send: 187.6 ms was
  // seen on a busy machine. Far above the < 50 ms without it is what shows the toxic is on.
  assert.ok(slowed >= 150, `under the latency toxic: ${slowed.toFixed(1)} ms`);
  assert.ok(refused, "the cut refuses connections");
  const cutRedis = during.find((p) => p.name === "redis")!;
  assert.is(cutRedis.enabled, false);
  assert.equal(cutRedis.toxics.map((t) => [t.name, t.toxicity]), [["gauntlet-it-step1.cut", 0]], "a cut carries its no-op marker");
  assert.ok(after < 50, `after the profile: ${after.toFixed(1)} ms`);
  await assertClean();
  assert.equal(faults.active(), []);
  assert.equal((await metrics.activeFaults.get()).values.map((v) => [v.labels.fault, v.value]), [["latency", 0], ["cut", 0]]);
  // Back to back: the cut is applied before the latency comes off, so the link is never up between them.
  assert.equal(changes, ["apply latency", "apply cut", "remove latency", "remove cut"]);
  // One record per fault, on the wall clock, each applied and removed within a quarter second of its plan.
  assert.equal(faults.records.map((r) => [r.id, r.proxy, r.fault, r.removal]), [["it/step0.1", "redis", "latency", "scheduled"], ["it/step1.1", "redis", "cut", "scheduled"]]);
  for (const record of faults.records) {
    assert.ok(Math.abs(record.appliedAt - record.plannedStartMs) < 250 && Math.abs(record.removedAt! - record.plannedEndMs) < 250, JSON.stringify(record));
    // When the removal was asked for, before it was done: a gate judging the fault's window ends there.
    assert.ok(record.removalBeganAt! > record.appliedAt && record.removalBeganAt! <= record.removedAt!, JSON.stringify(record));
  }

  const logged = readEvents(events.path).filter((e) => e.kind.startsWith("fault."));
  assert.equal(logged.map((e) => `${e.kind} ${String(e.type)}`), [
    "fault.profile.start undefined",
    "fault.apply latency",
    "fault.apply cut",
    "fault.remove latency",
    "fault.remove cut",
    "fault.profile.end undefined",
  ]);
  const [latency, cut] = faults.records;
  assert.ok(cut!.appliedAt <= latency!.removalBeganAt!, `cut applied at ${cut!.appliedAt}, latency's removal began at ${latency!.removalBeganAt}`);
  const apply = logged[1]!;
  assert.equal([apply.proxy, apply.toxic, apply.stream, apply.attributes, apply.plannedS], ["redis", "gauntlet-it-step0", "downstream", { latency: 200, jitter: 0 }, 0.5]);
  for (const event of logged.filter((e) => e.kind === "fault.apply" || e.kind === "fault.remove")) {
    assert.ok(Math.abs((event.atS as number) - (event.plannedS as number)) < 0.25, `${event.kind} ${String(event.type)} at ${String(event.atS)} s, planned ${String(event.plannedS)} s`);
  }
  assert.is(logged[4]!.enabled, true);
});

test("two cuts back to back keep the proxy down between them, and it comes back after the second", async () => {
  await freshProxies();
  const faults = new FaultLog();
  const startMs = Date.now() + 300;
  const timeline = new FaultTimeline(
    profile([
      { proxy: "broker", at: 0.2, duration: 0.5, cut: true },
      { proxy: "broker", at: 0.7, duration: 0.5, cut: true },
    ]),
    { api, events: new EventLog(join(dir, "two-cuts.ndjson")), faults, startMs },
  );
  const playing = timeline.play();
  await sleep(Math.max(0, startMs + 900 - Date.now()));
  const between = (await api.listProxies()).find((p) => p.name === "broker")!;
  assert.is(between.enabled, false, "the first cut's end must not re-enable the proxy under the second");
  assert.is(await playing, "completed");
  const [first, second] = faults.records;
  assert.ok(second!.appliedAt <= first!.removalBeganAt!, JSON.stringify(faults.records));
  const after = await assertClean();
  assert.ok(after.every((p) => p.enabled));
});

test("abort mid-profile removes everything at once", async () => {
  await freshProxies();
  const events = new EventLog(join(dir, "abort.ndjson"));
  const abort = new AbortController();
  const timeline = new FaultTimeline(
    profile([
      { proxy: "redis", at: 0, duration: 30, toxic: { type: "latency", direction: "both", attributes: { latency: 100 } } },
      { proxy: "broker", at: 0, duration: 30, cut: true },
      { proxy: "postgres", at: 20, duration: 5, cut: true },
    ]),
    { api, events, signal: abort.signal },
  );
  const started = Date.now();
  const playing = timeline.play();
  await sleep(700);
  const during = await api.listProxies();
  assert.equal(during.find((p) => p.name === "redis")!.toxics.map((t) => t.stream).sort(), ["downstream", "upstream"]);
  assert.is(during.find((p) => p.name === "broker")!.enabled, false);
  abort.abort();
  assert.is(await playing, "aborted");
  assert.ok(Date.now() - started < 3000, "an abort does not wait for the schedule");
  await assertClean();
  assert.equal(timeline.log.active(), []);
  const removes = readEvents(events.path).filter((e) => e.kind === "fault.remove");
  assert.equal(removes.map((e) => `${String(e.proxy)} ${String(e.reason)}`).sort(), ["broker abort", "redis abort", "redis abort"]);
  assert.ok(readEvents(events.path).some((e) => e.kind === "fault.profile.end" && e.outcome === "aborted"));
});

test("an error mid-profile (the proxy vanished) removes what was applied and reports the error", async () => {
  await freshProxies();
  const events = new EventLog(join(dir, "error.ndjson"));
  const timeline = new FaultTimeline(
    profile([
      { proxy: "redis", at: 0, duration: 10, toxic: { type: "latency", attributes: { latency: 100 } } },
      { proxy: "postgres", at: 0.6, duration: 5, cut: true },
    ]),
    { api, events },
  );
  const playing = timeline.play().then(() => undefined, (error: unknown) => error);
  await sleep(300);
  assert.is((await api.listProxies()).find((p) => p.name === "redis")!.toxics.length, 1);
  await fetch(`${toxiproxy.apiUrl}/proxies/postgres`, { method: "DELETE" });
  const error = (await playing) as { code?: string; message: string };
  assert.is(error?.code, "GAUNTLET_TOXIPROXY_API");
  assert.match(error.message, /postgres.*404/);
  await assertClean();
  const logged = readEvents(events.path);
  assert.ok(logged.some((e) => e.kind === "fault.remove" && e.proxy === "redis" && e.reason === "error"));
  assert.ok(logged.some((e) => e.kind === "fault.profile.end" && e.outcome === "error"));
});

test("a profile refuses to start on a proxy with Gauntlet leftovers, and touches nothing", async () => {
  await freshProxies();
  await api.addToxic("redis", { name: "gauntlet-old-step0", type: "latency", stream: "downstream", toxicity: 1, attributes: { latency: 10 } });
  const timeline = new FaultTimeline(profile([{ proxy: "broker", at: 0, duration: 1, cut: true }, { proxy: "redis", at: 0, duration: 1, cut: true }]), {
    api,
    events: new EventLog(join(dir, "leftover.ndjson")),
  });
  const error = (await timeline.play().catch((e: unknown) => e)) as { code?: string; message: string; hint: string };
  assert.is(error.code, "GAUNTLET_TOXIPROXY_API");
  assert.match(error.message, /proxy "redis" is carrying gauntlet-old-step0 before the profile starts/);
  assert.match(error.hint, /gauntlet toxics clear --toxiproxy/);
  assert.ok((await api.listProxies()).every((p) => p.enabled), "the broker was not cut");
});

test("clearGauntletFaults removes Gauntlet's leftovers and re-enables what it cut — and nothing else", async () => {
  await freshProxies();
  const toxic = (name: string, toxicity = 1) => ({ name, type: "latency", stream: "downstream" as const, toxicity, attributes: { latency: 10 } });
  // What a SIGKILLed Gauntlet leaves: a toxic, and a cut (marker + disabled proxy).
  await api.addToxic("redis", toxic("gauntlet-drill-step0"));
  await api.addToxic("broker", toxic("gauntlet-drill-step1.cut", 0));
  await api.setEnabled("broker", false);
  // What someone else set up: their own toxic, and a proxy they disabled.
  await api.addToxic("redis", toxic("someone-elses"));
  await api.setEnabled("postgres", false);

  const cleared = await clearGauntletFaults(api);
  assert.equal(cleared.removed.sort(), ["broker/gauntlet-drill-step1.cut", "redis/gauntlet-drill-step0"]);
  assert.equal(cleared.reenabled, ["broker"]);
  const proxies = Object.fromEntries((await api.listProxies()).map((p) => [p.name, p]));
  assert.equal(proxies.redis!.toxics.map((t) => t.name), ["someone-elses"]);
  assert.equal(proxies.broker!.toxics, []);
  assert.ok(proxies.broker!.enabled);
  assert.not.ok(proxies.postgres!.enabled, "a proxy Gauntlet did not cut stays as its owner left it");
  assert.equal(await clearGauntletFaults(api), { removed: [], reenabled: [] }, "a second clear finds nothing");
});

test.run();
