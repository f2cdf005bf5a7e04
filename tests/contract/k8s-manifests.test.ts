// `gauntlet k8s render`: the k6-operator manifests, checked against the TestRun CRD's schema (the
// field names and types of k6.io/v1alpha1 TestRun.spec as k6-operator's CRD declares them, for every
// field Gauntlet writes: no cluster runs here, so the schema is the contract). Strict objects: a
// field the CRD does not have, or a value of the wrong type, fails.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { CONFIGMAP_LIMIT_BYTES, k6OperatorManifests } from "../../core/distributed/k6-operator.ts";
import { executionSegments, segmentArgs } from "../../core/distributed/execution-segments.ts";
import { REPO_ROOT } from "../../core/paths.ts";

// TestRun.spec (k6.io/v1alpha1), the subset Gauntlet writes, typed as the CRD types it:
// parallelism int32 (required), script (required) with configMap {name (required), file},
// args []string, paused string, runner {image string, env []EnvVar, volumes []Volume,
// volumeMounts []VolumeMount}. EnvVar: name (required), value, valueFrom.fieldRef.fieldPath
// (required). VolumeMount: name, mountPath (required), readOnly, subPathExpr.
const int32 = z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);
const EnvVar = z.strictObject({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z.strictObject({ fieldRef: z.strictObject({ fieldPath: z.string(), apiVersion: z.string().optional() }) }).optional(),
});
const Volume = z.strictObject({ name: z.string(), persistentVolumeClaim: z.strictObject({ claimName: z.string(), readOnly: z.boolean().optional() }) });
const VolumeMount = z.strictObject({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional(), subPathExpr: z.string().optional() });
const TestRunSchema = z.strictObject({
  apiVersion: z.literal("k6.io/v1alpha1"),
  kind: z.literal("TestRun"),
  metadata: z.strictObject({ name: z.string(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()) }),
  spec: z.strictObject({
    parallelism: int32,
    script: z.strictObject({ configMap: z.strictObject({ name: z.string(), file: z.string().optional() }) }),
    args: z.array(z.string()).optional(),
    paused: z.string().optional(),
    cleanup: z.literal("post").optional(),
    runner: z.strictObject({ image: z.string(), env: z.array(EnvVar), volumes: z.array(Volume), volumeMounts: z.array(VolumeMount) }).optional(),
  }),
});

function render(args: string[]) {
  const result = spawnSync(join(REPO_ROOT, "bin", "gauntlet"), ["k8s", "render", ...args], { encoding: "utf8" });
  return { ...result, docs: result.status === 0 ? parseAllDocuments(result.stdout).map((doc) => doc.toJS()) : [] };
}

test("execution segments: instance i of N runs (i-1)/N:i/N of one sequence, as k6-operator splits its runners", () => {
  assert.equal(executionSegments(1), [{ instance: 1, segment: "0:1", sequence: "0,1" }]);
  const four = executionSegments(4);
  assert.equal(four.map((s) => s.segment), ["0:1/4", "1/4:2/4", "2/4:3/4", "3/4:1"]);
  assert.ok(four.every((s) => s.sequence === "0,1/4,2/4,3/4,1"));
  assert.equal(segmentArgs(four[1]!), ["--execution-segment=1/4:2/4", "--execution-segment-sequence=0,1/4,2/4,3/4,1", "--tag", "instance_id=2"]);
  assert.throws(() => executionSegments(0), /≥ 1/);
});

test("k8s render decision-flood --parallelism 4: a ConfigMap, a results claim, a TestRun valid against the CRD, a collector", () => {
  const { status, stderr, docs } = render(["decision-flood", "--parallelism", "4", "--target", "http://governor.shadow.svc:7300", "--allow-host", "governor.shadow.svc", "--profile", "quick"]);
  assert.is(status, 0, stderr);
  assert.equal(docs.map((doc) => doc.kind), ["ConfigMap", "PersistentVolumeClaim", "TestRun", "Pod"]);
  const [configMap, claim, testRun, collector] = docs;
  const parsed = TestRunSchema.safeParse(testRun);
  assert.ok(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues));
  assert.is(testRun.spec.parallelism, 4);
  assert.is(testRun.spec.script.configMap.name, configMap.metadata.name);
  // The script, its plan and what it open()s, in one ConfigMap under the 1 MiB limit.
  assert.equal(Object.keys(configMap.data).sort(), ["flood.js", "observations.json", "plan.json"]);
  const size = Object.entries(configMap.data as Record<string, string>).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  assert.ok(size < CONFIGMAP_LIMIT_BYTES, `${size}`);
  const plan = JSON.parse(configMap.data["plan.json"]);
  assert.is(plan.targetUrl, "http://governor.shadow.svc:7300");
  assert.is(plan.rate, 1000, "the whole rate: k6 splits it by segment");
  assert.is(plan.durationSeconds, 60);
  assert.equal(testRun.spec.args, ["--out", "csv=/results/k6-output.csv", "-e", "GAUNTLET_PLAN=/test/plan.json"]);
  // k6-operator hands the args (minus --out) to `k6 archive`, which takes no --summary-export.
  assert.ok(testRun.spec.runner.env.some((env: { name: string; value?: string }) => env.name === "K6_SUMMARY_EXPORT" && env.value === "/results/k6-summary.json"));
  // Each runner writes into its own folder of the claim, named after its pod.
  assert.is(testRun.spec.runner.volumes[0].persistentVolumeClaim.claimName, claim.metadata.name);
  assert.is(testRun.spec.runner.volumeMounts[0].subPathExpr, "$(POD_NAME)");
  assert.equal(testRun.spec.runner.env[0], { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
  assert.equal(claim.spec.accessModes, ["ReadWriteMany"]);
  assert.is(collector.spec.volumes[0].persistentVolumeClaim.claimName, claim.metadata.name);
});

test("k8s render refuses what a cluster cannot run: a loopback target, a host not allowed, a drill, a bad name", () => {
  const loopback = render(["decision-flood", "-n", "2", "--target", "http://127.0.0.1:7300"]);
  assert.is(loopback.status, 2);
  assert.match(loopback.stdout + loopback.stderr, /loopback, which inside a runner pod is the pod itself/);
  const notAllowed = render(["decision-flood", "-n", "2", "--target", "http://governor.shadow.svc:7300"]);
  assert.is(notAllowed.status, 2);
  assert.match(notAllowed.stdout + notAllowed.stderr, /--allow-host governor\.shadow\.svc/);
  const drill = render(["broker-failure", "-n", "2", "--target", "http://g.svc:7300", "--allow-host", "g.svc"]);
  assert.is(drill.status, 2);
  assert.match(drill.stdout + drill.stderr, /broker-failure cannot be split across k6 instances.*loads that can: decision-flood/);
  assert.throws(() => k6OperatorManifests({ name: "Bad_Name", parallelism: 2, script: { file: "a.js", text: "" }, plan: {}, files: {}, image: "k6", resultsStorage: "1Gi", env: {} }), /DNS label/);
  assert.throws(() => k6OperatorManifests({ name: "big", parallelism: 2, script: { file: "a.js", text: "x".repeat(CONFIGMAP_LIMIT_BYTES) }, plan: {}, files: {}, image: "k6", resultsStorage: "1Gi", env: {} }), /over Kubernetes' 1 MiB/);
});

test.run();
