// The manifests for one distributed load on Kubernetes with k6-operator: a ConfigMap holding the
// bundled k6 script, its plan and the files it open()s; a PersistentVolumeClaim the runners write
// their outputs to (one folder per runner pod); the TestRun that starts N runners, each on its
// execution segment (k6-operator adds the segment and instance_id arguments itself); and a
// collector pod to copy the outputs back for `gauntlet merge`. Pure: it builds objects, the CLI
// writes them. Field names follow the TestRun CRD (k6.io/v1alpha1) as k6-operator publishes it.

import { GauntletError } from "../errors.ts";

/** Kubernetes refuses a ConfigMap whose data exceeds 1 MiB. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;
/** k6-operator mounts the script's ConfigMap here (every key a file). */
export const SCRIPT_MOUNT = "/test";
/** Each runner's own folder on the results volume (subPathExpr: its pod name). */
export const RESULTS_MOUNT = "/results";

export interface DistributedLoad {
  /** The TestRun's name, a DNS label: runners are <name>-1 … <name>-N. */
  name: string;
  namespace?: string;
  parallelism: number;
  /** The bundled script: its file name in the ConfigMap and its text. */
  script: { file: string; text: string };
  /** The plan the script reads (GAUNTLET_PLAN). */
  plan: unknown;
  /** Other files the script open()s, by name (observations.json). */
  files: Record<string, string>;
  image: string;
  resultsStorage: string;
  storageClassName?: string;
  /** Extra environment for k6 (GOGC, K6_CSV_TIME_FORMAT …). */
  env: Record<string, string>;
}

export interface K6OperatorManifests {
  configMap: object;
  resultsClaim: object;
  testRun: object;
  collector: object;
  configMapBytes: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const invalid = (message: string) => new GauntletError("GAUNTLET_USAGE", message);

export function k6OperatorManifests(load: DistributedLoad): K6OperatorManifests {
  // Runner jobs are named <name>-<i> and their services <name>-service-<i>: keep those labels ≤ 63.
  if (!DNS_LABEL.test(load.name) || load.name.length > 50) throw invalid(`name "${load.name}" must be a DNS label of at most 50 characters (lower-case letters, digits, '-')`);
  if (!Number.isInteger(load.parallelism) || load.parallelism < 1) throw invalid(`parallelism must be a whole number ≥ 1 (got ${load.parallelism})`);
  const metadata = (suffix: string) => ({ name: `${load.name}${suffix}`, ...(load.namespace ? { namespace: load.namespace } : {}), labels: { "app.kubernetes.io/managed-by": "gauntlet", "gauntlet/run": load.name } });
  const data: Record<string, string> = { [load.script.file]: load.script.text, "plan.json": `${JSON.stringify(load.plan, null, 2)}\n`, ...load.files };
  const configMapBytes = Object.entries(data).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  if (configMapBytes > CONFIGMAP_LIMIT_BYTES) {
    const sizes = Object.entries(data).map(([key, value]) => `${key} ${Buffer.byteLength(value)} B`).join(", ");
    throw invalid(`the script's ConfigMap would hold ${configMapBytes} bytes (${sizes}), over Kubernetes' 1 MiB; put the script on a volume (TestRun spec.script.volumeClaim) instead`);
  }
  const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: metadata("-script"), data };
  const resultsClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: metadata("-results"),
    spec: {
      // Every runner pod writes at once, possibly from different nodes.
      accessModes: ["ReadWriteMany"],
      resources: { requests: { storage: load.resultsStorage } },
      ...(load.storageClassName ? { storageClassName: load.storageClassName } : {}),
    },
  };
  const testRun = {
    apiVersion: "k6.io/v1alpha1",
    kind: "TestRun",
    metadata: metadata(""),
    spec: {
      parallelism: load.parallelism,
      script: { configMap: { name: `${load.name}-script`, file: load.script.file } },
      // Exact argv (no shell). The output paths are the same in every runner: each runner's
      // /results is its own folder on the claim (subPathExpr below). k6-operator's initializer
      // passes these to `k6 archive` too, minus --out; the summary export, a `k6 run` option
      // archive does not take, goes in the environment instead (K6_SUMMARY_EXPORT).
      args: ["--out", `csv=${RESULTS_MOUNT}/k6-output.csv`, "-e", `GAUNTLET_PLAN=${SCRIPT_MOUNT}/plan.json`],
      // Runners start paused and are resumed together by k6-operator's starter, so the N segments
      // begin within the same second.
      paused: "true",
      runner: {
        image: load.image,
        env: [
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "K6_SUMMARY_EXPORT", value: `${RESULTS_MOUNT}/k6-summary.json` },
          ...Object.entries(load.env).map(([name, value]) => ({ name, value })),
        ],
        volumes: [{ name: "results", persistentVolumeClaim: { claimName: `${load.name}-results` } }],
        volumeMounts: [{ name: "results", mountPath: RESULTS_MOUNT, subPathExpr: "$(POD_NAME)" }],
      },
    },
  };
  const collector = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: metadata("-collect"),
    spec: {
      restartPolicy: "Never",
      containers: [{ name: "collect", image: "busybox:1.36", command: ["sleep", "3600"], volumeMounts: [{ name: "results", mountPath: RESULTS_MOUNT, readOnly: true }] }],
      volumes: [{ name: "results", persistentVolumeClaim: { claimName: `${load.name}-results`, readOnly: true } }],
    },
  };
  return { configMap, resultsClaim, testRun, collector, configMapBytes };
}
