// `gauntlet toxics …`: the named fault profiles in toxics/ — list, show, check, apply (or dry-run)
// against a Toxiproxy, and clear what a killed apply left behind. A profile argument is a name in
// toxics/ or a path to a YAML file.
import type { Command } from "commander";
import { mkdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { GauntletError, isGauntletError } from "../../errors.ts";
import { log } from "../../log.ts";
import { EventLog } from "../../orchestrator/event-log.ts";
import { REPO_ROOT, runsDir } from "../../paths.ts";
import { clearGauntletFaults } from "../../faults/clear-faults.ts";
import { describeFault, planChanges, planFaults, profileSpan } from "../../faults/fault-plan.ts";
import { FaultTimeline, type FaultChange } from "../../faults/fault-timeline.ts";
import { loadProfile, profileFiles, resolveProfile, TOXICS_DIR } from "../../faults/profile-files.ts";
import type { FaultProfile } from "../../faults/profile-schema.ts";
import { ToxiproxyApi } from "../../faults/toxiproxy-api.ts";

const out = (line = "") => process.stdout.write(`${line}\n`);
const secs = (s: number) => `${s.toFixed(1).padStart(6)} s`;
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function summary(profile: FaultProfile): string {
  return `${profile.steps.length} step(s), ${planFaults(profile).length} fault(s), span ${profileSpan(profile)} s`;
}

/** The expanded timeline: time → proxy → change, with the Toxiproxy names it will use. */
function timelineLines(profile: FaultProfile): string[] {
  const proxyWidth = Math.max(...profile.steps.map((step) => step.proxy.length));
  return planChanges(planFaults(profile)).map(({ t, action, fault }) => {
    const names = fault.marker ? [fault.marker.name] : fault.toxics.map((toxic) => toxic.name);
    const sign = action === "apply" ? "+" : "−";
    return `${secs(t)}  ${fault.proxy.padEnd(proxyWidth)}  ${sign} ${action === "apply" ? describeFault(fault) : fault.marker ? "end of cut: proxy re-enabled" : `end of ${fault.fault}: toxics removed`}  [${names.join(", ")}]`;
  });
}

function printTimeline(profile: FaultProfile): void {
  out(`${profile.name} — ${summary(profile)}`);
  out(`  ${oneLine(profile.description)}`);
  out();
  for (const line of timelineLines(profile)) out(line);
}

const display = (file: string) => (file.startsWith(REPO_ROOT) ? relative(process.cwd(), file) || file : file);

async function applyForeground(profile: FaultProfile, url: string): Promise<void> {
  const dir = join(runsDir(), "toxics", `${new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15)}-${profile.name}`);
  mkdirSync(dir, { recursive: true });
  const events = new EventLog(join(dir, "events.ndjson"));
  const abort = new AbortController();
  const onSignal = (signal: string) => {
    if (abort.signal.aborted) return log.warn("still removing faults — a moment…");
    log.warn(`${signal}: removing every fault this profile applied…`);
    events.emit("fault.interrupted", { signal });
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const startMs = Date.now();
  const timeline = new FaultTimeline(profile, {
    api: new ToxiproxyApi(url),
    events,
    startMs,
    signal: abort.signal,
    onChange: (change: FaultChange, active) => {
      const verb = change.action === "apply" ? "applied" : change.reason === "scheduled" ? "removed" : `removed (${change.reason})`;
      out(`${secs(change.atS)}  ${change.fault.proxy}  ${change.fault.fault} ${verb} · active: ${active.map((a) => `${a.proxy} ${a.fault}`).join(", ") || "none"}`);
    },
  });
  const span = profileSpan(profile);
  out(`applying ${profile.name} to ${url} — ${summary(profile)} · Ctrl-C removes everything`);
  out(`events: ${join(dir, "events.ndjson")} · if this process is killed: gauntlet toxics clear --toxiproxy ${url}`);
  const ticker = setInterval(() => {
    const active = timeline.active().map((a) => `${a.proxy} ${a.fault} until ${a.untilS} s`);
    out(`${secs((Date.now() - startMs) / 1000)}  … of ${span} s · active: ${active.join(", ") || "none"}`);
  }, 5000);
  try {
    const outcome = await timeline.play();
    if (outcome === "aborted") {
      throw new GauntletError("GAUNTLET_INTERRUPTED", `${profile.name} interrupted at ${((Date.now() - startMs) / 1000).toFixed(1)} s; every fault it applied was removed`, {
        hint: "Nothing of this profile remains in Toxiproxy; the events file lists each change.",
      });
    }
    out(`done: ${profile.name} played and every fault removed (${timeline.faults.length} fault(s), ${span} s)`);
  } finally {
    clearInterval(ticker);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

export function registerToxics(program: Command): void {
  const toxics = program.command("toxics").description("named fault profiles (toxics/): list, show, check, apply, clear");

  toxics
    .command("list")
    .description("the shipped profiles: name, steps, span and what each does")
    .action(() => {
      const rows = profileFiles().map((file) => {
        try {
          const profile = loadProfile(file);
          return [profile.name, String(profile.steps.length), `${profileSpan(profile)} s`, oneLine(profile.description)];
        } catch {
          return [basename(file), "-", "-", `INVALID — gauntlet toxics check ${display(file)}`];
        }
      });
      const header = ["name", "steps", "span", "description"];
      const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...rows.map((row) => row[i]!.length)));
      for (const row of [header, ...rows]) out(row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  "));
      if (rows.length === 0) out(`(no profiles in ${TOXICS_DIR})`);
    });

  toxics
    .command("show")
    .description("the expanded timeline of a profile: time → proxy → change")
    .argument("<profile>", "a name in toxics/ or a path")
    .action((arg: string) => printTimeline(loadProfile(resolveProfile(arg))));

  toxics
    .command("check")
    .description("validate profiles without applying them (exit 0, or 2 with every error)")
    .argument("<profiles...>", "names in toxics/ or paths")
    .action((args: string[]) => {
      let failed = 0;
      for (const arg of args) {
        try {
          const file = resolveProfile(arg);
          out(`ok  ${display(file)}: ${summary(loadProfile(file))}`);
        } catch (error) {
          if (!isGauntletError(error)) throw error;
          failed++;
          log.error(error.format());
        }
      }
      process.exitCode = failed > 0 ? 2 : 0;
    });

  toxics
    .command("apply")
    .description("play a profile against a Toxiproxy in the foreground; Ctrl-C removes every fault")
    .argument("<profile>", "a name in toxics/ or a path")
    .option("--toxiproxy <url>", "Toxiproxy API, e.g. http://127.0.0.1:8474 (required unless --dry-run)")
    .option("--dry-run", "print the timeline it would apply and touch nothing")
    .action(async (arg: string, flags: { toxiproxy?: string; dryRun?: boolean }) => {
      const profile = loadProfile(resolveProfile(arg));
      if (flags.dryRun) {
        out(`dry run: nothing is sent${flags.toxiproxy ? ` to ${flags.toxiproxy}` : ""}; this is what apply would do.`);
        printTimeline(profile);
        return;
      }
      if (!flags.toxiproxy) throw new GauntletError("GAUNTLET_USAGE", "toxics apply needs --toxiproxy <url> (or --dry-run to only print the timeline)");
      await applyForeground(profile, flags.toxiproxy);
    });

  toxics
    .command("clear")
    .description("remove Gauntlet's toxics (gauntlet-…) and re-enable the proxies Gauntlet cut; others' toxics stay")
    .requiredOption("--toxiproxy <url>", "Toxiproxy API, e.g. http://127.0.0.1:8474")
    .action(async (flags: { toxiproxy: string }) => {
      const cleared = await clearGauntletFaults(new ToxiproxyApi(flags.toxiproxy));
      for (const name of cleared.reenabled) out(`re-enabled ${name}`);
      for (const name of cleared.removed) out(`removed ${name}`);
      out(cleared.removed.length + cleared.reenabled.length === 0 ? `nothing to clear at ${flags.toxiproxy}` : `cleared ${flags.toxiproxy}`);
    });
}
