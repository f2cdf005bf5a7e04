// `gauntlet run <scenario>`: one scenario against the sandbox (default) or a user's governor.
import type { Command } from "commander";
import { log } from "../../core/log.ts";
import type { RunOutcome } from "../../core/orchestrator/run-scenario.ts";
import { textTable } from "../../reports/gate-table.ts";
import { collect, decimal, integer, repeat } from "../options.ts";
import { endHooks } from "../run-end.ts";
import { baselineFromFlags, runFromFlags, type RunFlags } from "../run-options.ts";
import { ensureSetup } from "../setup.ts";

export function printOutcome(outcome: RunOutcome): void {
  const { results } = outcome;
  const out = process.stdout;
  out.write("\n");
  for (const note of results.notes) out.write(`note: ${note}\n`);
  if (results.notes.length > 0) out.write("\n");
  if (results.gates.length > 0) out.write(`${textTable(results.gates)}\n\n`);
  const uncovered = results.gates.filter((gate) => gate.status === "not-applicable");
  if (uncovered.length > 0) {
    out.write(`not covered on this target (not applicable — never counted as a pass):\n${uncovered.map((gate) => `  ${gate.id}: ${gate.detail.replace(/^not applicable: /, "")}`).join("\n")}\n\n`);
  }
  if (results.error) {
    out.write(`could not judge: ${results.error.code} — ${results.error.message}\n`);
    if (results.error.hint) out.write(`  Hint: ${results.error.hint}\n`);
  }
  out.write(`${results.scenario} (${results.profile}): ${results.verdict.toUpperCase()} · Go/No-Go ${results.goNoGo} · exit ${results.exitCode}\n`);
  out.write(`report: ${outcome.runDir}/report.html · results.json · junit.xml · summary.md · events.ndjson\n`);
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run one scenario and judge every gate (exit 0 pass, 1 a gate failed, 2 could not judge)")
    .argument("<scenario>", "scenario name, e.g. decision-flood (see `gauntlet scenarios`)")
    .option("-p, --profile <profile>", "one of the scenario's profiles, e.g. quick, smoke, full (each scenario's own: `gauntlet scenarios`)")
    .option("-t, --target <url>", "drive a governor you run (a shadow instance, connected to the venue ports it is told); default: the bundled sandbox")
    .option("--target-cmd <command>", "launch your governor with this command (the venue's addresses in its environment) and drive it")
    .option("--allow-host <host>", "allow a non-loopback target host (repeatable)", collect)
    .option("--instances <n>", "split the load across n local k6 processes (execution segments, started together) and judge them as one run (decision-flood)", integer("--instances", 1, 64))
    .option("--seeded-fault <name>", "switch on a seeded bug in the sandbox governor (repeatable; see `gauntlet scenarios`)", collect)
    .option("--metrics-port <port>", "live Prometheus metrics port (0 = off)", integer("--metrics-port", 0, 65535))
    .option("-c, --config <file>", "gauntlet.yaml with target, allowed hosts and plugin settings")
    .option("--set <plugin.field=value>", "one plugin setting, e.g. --set flash-crash.source=binance (repeatable)", repeat)
    .option("--baseline <run>", "compare P50/P95/P99 with an earlier run of this scenario (folder, run id, latest, latest~N): gate baseline_regression")
    .option("--baseline-tolerance <pct>", "how much worse (%) a percentile may get than the baseline's (default 10)", decimal("--baseline-tolerance", 0, 100_000))
    .option("--webhook <url>", "POST a Slack-compatible message when the run ends (loopback unless --allow-host names its host; overrides webhook.url)")
    .action(async (scenario: string, flags: RunFlags & { webhook?: string }) => {
      const baseline = baselineFromFlags(scenario, flags);
      await ensureSetup();
      const hooks = endHooks(flags);
      const outcome = await runFromFlags(scenario, flags, {}, baseline);
      printOutcome(outcome);
      log.debug(`exit ${outcome.exitCode}`);
      process.exitCode = outcome.exitCode;
      await hooks.afterRun(outcome);
    });
}
