// gauntlet — the command line. Verbs are plain words; a user mistake prints a code, a message and
// a hint (exit 2), never a stack trace.
import { Command, CommanderError } from "commander";
import { asGauntletError, ERRORS, errorTableMarkdown, GauntletError } from "../core/errors.ts";
import { log, setLogLevel } from "../core/log.ts";
import { registerRun } from "./commands/run.ts";
import { registerSetup } from "./commands/setup.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerSelftest } from "./commands/selftest.ts";
import { registerCertify } from "./commands/certify.ts";
import { registerSandbox } from "./commands/sandbox.ts";
import { registerAnalyze } from "./commands/analyze.ts";
import { registerGameday } from "./commands/gameday.ts";
import { registerToxics } from "./commands/toxics.ts";
import { registerCompare } from "./commands/compare.ts";
import { registerK8s } from "./commands/k8s.ts";
import { registerMerge } from "./commands/merge.ts";
import { describeBuild } from "../core/provenance.ts";
import { findTool } from "../core/tools/tools.ts";
import { builtinRegistry } from "./builtin.ts";

/** `gauntlet --version`: what certifies — Gauntlet's build and the tools it drives, as found now. */
async function versions(): Promise<string> {
  const tool = async (name: "k6" | "toxiproxy") => {
    const found = await findTool(name).catch(() => undefined);
    return found ? `v${found.version} (${found.path})` : "not found (`gauntlet setup` builds it)";
  };
  return [`gauntlet ${describeBuild()}`, `k6 ${await tool("k6")}`, `toxiproxy-server ${await tool("toxiproxy")}`, `node v${process.versions.node}`].join("\n");
}

const program = new Command("gauntlet")
  .description("Certify a trading risk governor under load and failure (real k6, Toxiproxy, Redis, PostgreSQL).")
  .option("-V, --version", "Gauntlet's version and commit, and the versions of k6, Toxiproxy and node")
  .option("-v, --verbose", "debug logging")
  .hook("preAction", (command) => {
    if (command.opts().verbose) setLogLevel("debug");
  })
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`GAUNTLET_USAGE — ${text.replace(/^error: /, "")}`) });

registerSetup(program);
registerDoctor(program);
registerRun(program);
registerSelftest(program);
registerCertify(program);
registerSandbox(program);
registerAnalyze(program);
registerGameday(program);
registerToxics(program);
registerCompare(program);
registerK8s(program);
registerMerge(program);

program
  .command("scenarios")
  .description("list the scenarios and their profiles")
  .action(() => {
    for (const { scenario } of builtinRegistry().scenarios.values()) {
      process.stdout.write(`${scenario.name.padEnd(16)} ${scenario.description} (profiles: ${scenario.profiles.join(", ")})\n`);
    }
  });

program
  .command("errors")
  .description("the error table: every code, its exit code and hint")
  .option("--markdown", "print as Markdown (docs/errors.md)")
  .action((flags: { markdown?: boolean }) => {
    if (flags.markdown) {
      process.stdout.write(errorTableMarkdown());
      return;
    }
    for (const [code, spec] of Object.entries(ERRORS)) {
      process.stdout.write(`${code.padEnd(32)} exit ${spec.exit}  ${spec.title}\n${" ".repeat(41)}${spec.hint}\n`);
    }
  });

try {
  if (["--version", "-V"].includes(process.argv[2] ?? "")) process.stdout.write(`${await versions()}\n`);
  else await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (asGauntletError(error)) {
    const known = asGauntletError(error)!;
    log.error(known.format());
    process.exitCode = known.exitCode;
  } else {
    log.error(new GauntletError("GAUNTLET_INTERNAL", (error as Error).stack ?? String(error)).format());
    process.exitCode = 2;
  }
}
