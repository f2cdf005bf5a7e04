// `gauntlet k8s render <scenario> --parallelism N --target URL`: the k6-operator manifests for one
// load split across N runner pods (the TestRun, the ConfigMap with the bundled script and its plan,
// a results claim and a collector pod), written as one multi-document YAML. No cluster is touched:
// `kubectl apply -f` is the user's step (docs/kubernetes.md), `gauntlet merge` judges what comes back.
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { stringify } from "yaml";
import { loadConfig } from "../../core/config/gauntlet-config.ts";
import { k6OperatorManifests } from "../../core/distributed/k6-operator.ts";
import { requireSplittable } from "../../core/distributed/splittable.ts";
import { GauntletError } from "../../core/errors.ts";
import { isLoopbackHost, requireAllowedHost } from "../../core/orchestrator/target-safety.ts";
import { k6ScriptPath } from "../../core/paths.ts";
import { PINS } from "../../core/tools/pins.ts";
import { BUILTIN_PLUGINS, builtinRegistry } from "../builtin.ts";
import { collect, integer, repeat } from "../options.ts";
import { applySettings } from "../run-options.ts";

interface RenderFlags {
  parallelism: number;
  target: string;
  profile?: string;
  allowHost?: string[];
  config?: string;
  set?: string[];
  name?: string;
  namespace?: string;
  image: string;
  storage: string;
  storageClass?: string;
  out?: string;
}

export function registerK8s(program: Command): void {
  const k8s = program.command("k8s").description("run a load on Kubernetes with k6-operator: render its manifests");
  k8s
    .command("render")
    .description("the k6-operator TestRun (N runners on k6's execution segments), the ConfigMap with the bundled script and plan, a results claim and a collector pod")
    .argument("<scenario>", "a scenario whose load can be split (decision-flood)")
    .requiredOption("-n, --parallelism <n>", "runner pods (k6 instances), each on its execution segment", integer("--parallelism", 1, 1000))
    .requiredOption("-t, --target <url>", "the governor's address as the runner pods reach it (a shadow instance)")
    .option("-p, --profile <profile>", "the scenario's profile (its default when left out)")
    .option("--allow-host <host>", "allow the target's non-loopback host (required: a pod's loopback is the pod itself)", collect)
    .option("-c, --config <file>", "gauntlet.yaml with allowed hosts and plugin settings")
    .option("--set <plugin.field=value>", "one plugin setting, e.g. --set decision-flood.rate=20000 (repeatable)", repeat)
    .option("--name <name>", "the TestRun's name (a DNS label); default gauntlet-<scenario>")
    .option("--namespace <ns>", "the namespace of every manifest")
    .option("--image <image>", "the runner image", `grafana/k6:${PINS.k6.version}`)
    .option("--storage <size>", "the results claim's size", "1Gi")
    .option("--storage-class <class>", "a storage class with ReadWriteMany for the results claim")
    .option("-o, --out <file>", "write the YAML here (default: stdout)")
    .action((scenarioName: string, flags: RenderFlags) => {
      const { parallelism } = flags;
      const config = loadConfig(flags.config, BUILTIN_PLUGINS);
      const registry = builtinRegistry(applySettings(config.plugins, flags.set ?? []));
      const { scenario, config: scenarioConfig } = registry.scenario(scenarioName);
      requireSplittable(registry, scenarioName);
      requireAllowedHost(flags.target, [...config.allowHosts, ...(flags.allowHost ?? [])]);
      if (isLoopbackHost(new URL(flags.target).hostname)) {
        throw new GauntletError("GAUNTLET_USAGE", `--target ${flags.target} is loopback, which inside a runner pod is the pod itself; give the address the pods reach the governor at (a Service), with --allow-host`);
      }
      const profile = flags.profile ?? scenario.defaultProfile;
      if (!scenario.profiles.includes(profile)) throw new GauntletError("GAUNTLET_USAGE", `${scenarioName} has no profile "${profile}"; its profiles: ${scenario.profiles.join(", ")}`);
      const name = flags.name ?? `gauntlet-${scenarioName}`;
      const plan = scenario.plan({ runId: name, profile, config: scenarioConfig, target: { baseUrl: flags.target.replace(/\/$/, "") } });
      const scriptPath = k6ScriptPath(scenario.script);
      const read = (path: string) => {
        try {
          return readFileSync(path, "utf8");
        } catch {
          throw new GauntletError("GAUNTLET_USAGE", `${path} is missing`, { hint: "Run `npm run build` (or `gauntlet setup`) to bundle the k6 scripts." });
        }
      };
      const manifests = k6OperatorManifests({
        name,
        namespace: flags.namespace,
        parallelism,
        script: { file: `${scenario.script}.js`, text: read(scriptPath) },
        plan,
        files: { "observations.json": read(scriptPath.replace(/[^/]+\.js$/, "observations.json")) },
        image: flags.image,
        resultsStorage: flags.storage,
        storageClassName: flags.storageClass,
        // As Gauntlet runs k6 locally (core/orchestrator/k6-runner.ts): microsecond timestamps, a lazier GC, no phoning home.
        env: { K6_CSV_TIME_FORMAT: "unix_micro", GOGC: "400", K6_NO_USAGE_REPORT: "true" },
      });
      const header =
        `# Gauntlet ${scenarioName} (${profile}) on k6-operator: ${parallelism} runner(s), each on its execution segment.\n` +
        `# kubectl apply -f this file; when the TestRun's stage is "finished", copy each runner's folder off the\n` +
        `# collector pod (kubectl cp ${name}-collect:/results ./${name}) and judge them together:\n` +
        `#   gauntlet merge ./${name}/*/ --scenario ${scenarioName}\n` +
        `# ConfigMap ${name}-script: ${manifests.configMapBytes} bytes of Kubernetes' 1 MiB.\n`;
      const yaml = header + [manifests.configMap, manifests.resultsClaim, manifests.testRun, manifests.collector].map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
      if (flags.out) {
        writeFileSync(flags.out, yaml);
        process.stderr.write(`wrote ${flags.out}: ConfigMap, PersistentVolumeClaim, TestRun (parallelism ${parallelism}), collector Pod\n`);
      } else process.stdout.write(yaml);
    });
}
