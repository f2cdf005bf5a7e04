// `gauntlet doctor`: the pre-flight guards alone, each with what to fix. With a target (--target
// <url> for one you run, --target-cmd for one Gauntlet launches), every route of the contract is
// probed on the real venue and a coverage table says, per scenario, which gates its runs will judge
// and which do not apply — and what to add to cover them.
import type { Command } from "commander";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../core/config/gauntlet-config.ts";
import { isGauntletError } from "../../core/errors.ts";
import { EventLog } from "../../core/events/event-log.ts";
import { coverage, type CoverageRow } from "../../core/orchestrator/coverage.ts";
import { preflightChecks } from "../../core/orchestrator/preflight.ts";
import { probeTarget, type Probe } from "../../core/orchestrator/target-probe.ts";
import { runsDir } from "../../core/paths.ts";
import { requireTool } from "../../core/tools/tools.ts";
import { BUILTIN_PLUGINS, builtinRegistry } from "../builtin.ts";
import { collect, integer } from "../options.ts";
import { ensureSetup } from "../setup.ts";
import { chooseTarget } from "../run-options.ts";

interface DoctorFlags {
  metricsPort: number;
  target?: string;
  targetCmd?: string;
  allowHost?: string[];
  config?: string;
}

const out = (line = "") => process.stdout.write(`${line}\n`);

function printRows(rows: Array<{ ok: boolean; optional?: boolean; name: string; detail: string; fix?: string }>): void {
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows) {
    const mark = row.ok ? "ok  " : row.optional ? "warn" : "FAIL";
    out(`${mark}  ${row.name.padEnd(width)}  ${row.detail}${row.ok || !row.fix ? "" : `\n      fix: ${row.fix}`}`);
  }
}

/** Per scenario: the gates judged, and each one not applicable with why and what to add. */
export function coverageTable(rows: readonly CoverageRow[]): string[] {
  const lines: string[] = [];
  for (const scenario of [...new Set(rows.map((row) => row.scenario))]) {
    const own = rows.filter((row) => row.scenario === scenario);
    const judged = own.filter((row) => row.judged).map((row) => row.gate);
    lines.push(`${scenario}: ${judged.length} of ${own.length} gates judged${judged.length ? ` (${judged.join(", ")})` : ""}`);
    for (const row of own.filter((r) => !r.judged)) lines.push(`    N/A ${row.gate} — ${row.why}; to cover it: ${row.add}`);
  }
  return lines;
}

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check tools, services, data, ports, limits; with a target, probe every route of the contract and print its coverage")
    .option("--metrics-port <port>", "the live metrics port a run will use", integer("--metrics-port", 1, 65535), 8000)
    .option("-t, --target <url>", "probe a governor you run (it must connect to the venue ports printed)")
    .option("--target-cmd <command>", "launch a governor with this command and probe it")
    .option("-c, --config <file>", "gauntlet.yaml: the target's capabilities, proxies and allowed hosts")
    .option("--allow-host <host>", "allow a non-loopback target host", collect)
    .action(async (flags: DoctorFlags) => {
      const checks = await preflightChecks({ metricsPort: flags.metricsPort });
      out("tools and machine:");
      printRows(checks);
      let failed = checks.filter((c) => !c.ok && !c.optional).length;
      const config = loadConfig(flags.config, BUILTIN_PLUGINS);
      if (flags.target || flags.targetCmd || config.target !== "sandbox") {
        await ensureSetup();
        const { target, targetOptions } = chooseTarget(config.target, flags);
        const dir = join(runsDir(), `doctor-${Date.now()}`);
        mkdirSync(dir, { recursive: true });
        const registry = builtinRegistry(config.plugins);
        let probes: Probe[];
        let report;
        try {
          report = await probeTarget({
            registry,
            target,
            targetOptions,
            allowHosts: [...config.allowHosts, ...(flags.allowHost ?? [])],
            toxiproxyBinary: (await requireTool("toxiproxy")).path,
            dir,
            events: new EventLog(join(dir, "events.ndjson")),
          });
          probes = report.probes;
        } catch (error) {
          if (!isGauntletError(error)) throw error;
          probes = [{ name: `target ${flags.target ?? flags.targetCmd ?? "from config"}`, ok: false, detail: `${error.code} — ${error.message}`, fix: error.hint }];
        }
        out();
        out(`target contract (${target}):`);
        printRows(probes);
        failed += probes.filter((p) => !p.ok).length;
        if (report) {
          out();
          out(`coverage on this target (capabilities: ${Object.keys(report.capabilities).join(", ") || "none — the minimum contract"}; proxies: ${report.proxies.join(", ")}):`);
          for (const line of coverageTable(coverage(registry, report.capabilities, report.proxies))) out(line);
        }
      }
      out(failed ? `\n${failed} check(s) failed.` : "\nall checks passed.");
      process.exitCode = failed ? 2 : 0;
    });
}
