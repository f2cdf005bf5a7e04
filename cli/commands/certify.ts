// `gauntlet certify`: the core suite N times in a row against one target (100 by default), one
// line of progress per run, then the verdict a risk committee signs — CERTIFIED only with N
// consecutive passes and zero hard-limit breaches — written to runs/<certification>/ as
// certification.json, report.html, junit.xml and summary.md.
import type { Command } from "commander";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { certify } from "../../core/certify/certification.ts";
import { CertificationSchema, type Certification } from "../../core/certify/certification-schema.ts";
import { loadConfig } from "../../core/config/gauntlet-config.ts";
import { GauntletError } from "../../core/errors.ts";
import { certificationEntry, recordHistory } from "../../core/history/history-file.ts";
import { formatNumber as n } from "../../core/gates/gate.ts";
import { runsDir } from "../../core/paths.ts";
import { readLatestSelftest } from "../../core/selftest/selftest.ts";
import { certificationJunit, certificationMarkdown, writeCertificationReport } from "../../reports/certification.ts";
import { BUILTIN_PLUGINS, builtinRegistry, REPORTERS } from "../builtin.ts";
import { collect, integer, repeat } from "../options.ts";
import { endHooks } from "../run-end.ts";
import { applySettings, chooseTarget } from "../run-options.ts";
import { ensureSetup } from "../setup.ts";

interface CertifyFlags {
  runs: number;
  profile: string;
  target?: string;
  targetCmd?: string;
  config?: string;
  allowHost?: string[];
  set?: string[];
  keepGoing?: boolean;
  lanes: number;
  metricsPort?: number;
  seededFault?: string[];
  webhook?: string;
}

export function writeCertification(dir: string, certification: Certification): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "certification.json"), `${JSON.stringify(CertificationSchema.parse(certification), null, 2)}\n`);
  writeFileSync(join(dir, "junit.xml"), certificationJunit(certification));
  writeFileSync(join(dir, "summary.md"), certificationMarkdown(certification));
  writeCertificationReport(join(dir, "report.html"), certification);
  recordHistory(certificationEntry(certification, dir));
}

export function registerCertify(program: Command): void {
  program
    .command("certify")
    .description("run the core suite N times in a row (integrity after each) and decide by the Go/No-Go matrix: CERTIFIED, with conditions, or not")
    .option("-n, --runs <n>", "consecutive passes of the whole suite required", integer("--runs", 1, 100_000), 100)
    .option("-p, --profile <profile>", "smoke (CI: short cuts and windows), quick, or full", "quick")
    .option("-t, --target <url>", "certify a governor you run (connected to the venue ports it is told)")
    .option("--target-cmd <command>", "launch your governor with this command for every run")
    .option("-c, --config <file>", "gauntlet.yaml: the target, its capabilities, allowed hosts, plugin settings")
    .option("--allow-host <host>", "allow a non-loopback target host (repeatable)", collect)
    .option("--set <plugin.field=value>", "one plugin setting (repeatable)", repeat)
    .option("--keep-going", "do not stop at the first run that is not a pass")
    .option(
      "--lanes <n>",
      "run up to n light scenarios of a pass side by side, each on its own services and governor (the flood still runs alone); for the sandbox or --target-cmd",
      integer("--lanes", 1, 4),
      1,
    )
    .option("--seeded-fault <name>", "certify the sandbox with a seeded bug on (to see a certification fail; repeatable)", collect)
    .option("--metrics-port <port>", "live Prometheus metrics port (0 = off)", integer("--metrics-port", 0, 65535))
    .option("--webhook <url>", "POST a Slack-compatible message when the certification ends (loopback unless --allow-host names its host; overrides webhook.url)")
    .action(async (flags: CertifyFlags) => {
      if (!["smoke", "quick", "full"].includes(flags.profile)) throw new GauntletError("GAUNTLET_USAGE", `--profile must be smoke, quick or full (got "${flags.profile}")`);
      await ensureSetup();
      const config = loadConfig(flags.config, BUILTIN_PLUGINS);
      const registry = builtinRegistry(applySettings(config.plugins, flags.set ?? []));
      const { target, targetOptions } = chooseTarget(config.target, flags);
      const hooks = endHooks(flags, config);
      const started = Date.now();
      const { certification } = await certify({
        registry,
        target,
        targetOptions,
        allowHosts: [...config.allowHosts, ...(flags.allowHost ?? [])],
        runs: flags.runs,
        profile: flags.profile,
        keepGoing: Boolean(flags.keepGoing),
        lanes: flags.lanes,
        seededFaults: flags.seededFault ?? [],
        metricsPort: flags.metricsPort ?? config.metricsPort,
        reporters: REPORTERS,
        onRun(run, index, total) {
          const mark = run.verdict === "pass" ? "pass" : run.verdict === "not-applicable" ? "n/a " : run.verdict === "fail" ? "FAIL" : "N/J ";
          const failed = run.failed.map((gate) => `${gate.id} (${gate.severity})`).join(", ");
          process.stdout.write(
            `[${String(index).padStart(String(total).length)}/${total}] ${mark}  pass ${run.iteration} ${run.scenario.padEnd(15)} ${run.goNoGo.padEnd(18)} ${Math.round((Date.now() - started) / 1000)} s${failed ? `  failed: ${failed}` : ""}${run.error ? `  ${run.error}` : ""}\n`,
          );
        },
      });
      certification.selftest = readLatestSelftest(certification.gauntlet.commit);
      const dir = join(runsDir(), certification.id);
      writeCertification(dir, certification);
      const minutes = (Date.now() - started) / 60_000;
      process.stdout.write(
        `\n${certification.verdict} — ${certification.streak} of ${certification.requestedRuns} consecutive passes of ${certification.suite.join(", ")} (${flags.profile}), ${n(certification.breaches)} hard-limit breaches, ${n(minutes)} min\n` +
          `${certification.stoppedAt ? `stopped at pass ${certification.stoppedAt.iteration}, ${certification.stoppedAt.scenario}: ${certification.stoppedAt.why} (run ${certification.stoppedAt.runId})\n` : ""}` +
          `${certification.conditions.length ? `conditions: ${certification.conditions.join("; ")}\n` : ""}` +
          `${certification.notCovered.length ? `not covered on this target: ${certification.notCovered.join(", ")}\n` : ""}` +
          `self-test of this build: ${certification.selftest ? `${certification.selftest.asExpected} of ${certification.selftest.rows} rows as expected (${certification.selftest.at})` : "not run (gauntlet selftest --profile smoke)"}\n` +
          `report: ${dir}/report.html · certification.json · junit.xml · summary.md\n`,
      );
      process.exitCode = certification.exitCode;
      await hooks.afterCertification(certification, dir);
    });
}
