// `gauntlet toxics …`: the named fault profiles in toxics/ — list, show, check, apply (or dry-run)
// against a Toxiproxy, and clear what a killed apply left behind. A profile argument is a name in
// toxics/ or a path to a YAML file.
import type { Command } from "commander";
import { mkdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { GauntletError, isGauntletError } from "../../core/errors.ts";
import { log } from "../../core/log.ts";
import { EventLog } from "../../core/events/event-log.ts";
import { REPO_ROOT, runsDir } from "../../core/paths.ts";
import { clearGauntletFaults } from "../../core/faults/clear-faults.ts";
import { describeFault, planChanges, planFaults, profileSpan } from "../../core/faults/fault-plan.ts";
import { FaultLog } from "../../core/faults/fault-log.ts";
import { FaultTimeline } from "../../core/faults/fault-timeline.ts";
import { loadProfile, profileFiles, resolveProfile, TOXICS_DIR } from "../../core/faults/profile-files.ts";
import type { FaultProfile } from "../../core/faults/profile-schema.ts";
import { ToxiproxyApi } from "../../core/faults/toxiproxy-api.ts";
import { VenueFaultApi } from "../../core/faults/venue-fault-api.ts";
import { FAULT_PROXIES } from "../../core/faults/profile-schema.ts";
import { collect } from "../options.ts";

const out = (line = "") => process.stdout.write(`${line}\n`);

/** Toxiproxy's own default admin address (toxiproxy-server and toxiproxy-cli use it too). */
const DEFAULT_TOXIPROXY = "http://127.0.0.1:8474";

function toxiproxyUrl(flags: { toxiproxy?: string }): string {
  return flags.toxiproxy ?? process.env.TOXIPROXY_URL ?? DEFAULT_TOXIPROXY;
}

/** A clear error, naming the URL and how it was chosen, before anything is sent. */
async function requireToxiproxy(url: string): Promise<void> {
  try {
    await new ToxiproxyApi(url).version();
  } catch (error) {
    throw new GauntletError("GAUNTLET_TOXIPROXY_API", `no Toxiproxy answers at ${url} (${(error as Error).message})`, {
      hint: "Pass --toxiproxy <url> or set TOXIPROXY_URL; `gauntlet sandbox up` prints the sandbox's.",
    });
  }
}

interface ProxyFlags {
  proxy?: string[];
}

/** The proxy names a profile may use: the sandbox's, and those of the user's own target. */
function proxyNames(flags: ProxyFlags): [string, ...string[]] {
  return [...new Set([...FAULT_PROXIES, ...(flags.proxy ?? [])])] as [string, ...string[]];
}
const secs = (s: number) => `${s.toFixed(1).padStart(6)} s`;
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function summary(profile: FaultProfile): string {
  return `${profile.steps.length} step(s), ${planFaults(profile).length} fault(s), span ${profileSpan(profile)} s`;
}

/** The expanded timeline: time → proxy → change, with the Toxiproxy names it will use. */
function timelineLines(profile: FaultProfile): string[] {
  const proxyWidth = Math.max(...planFaults(profile).map((fault) => fault.proxy.length));
  return planChanges(planFaults(profile)).map(({ t, action, fault }) => {
    const names = fault.venue ? [fault.venue.name] : fault.marker ? [fault.marker.name] : fault.toxics.map((toxic) => toxic.name);
    const sign = action === "apply" ? "+" : "−";
    return `${secs(t)}  ${fault.proxy.padEnd(proxyWidth)}  ${sign} ${action === "apply" ? describeFault(fault) : fault.venue ? `end of venue fault ${fault.fault}` : fault.marker ? "end of cut: proxy re-enabled" : `end of ${fault.fault}: toxics removed`}  [${names.join(", ")}]`;
  });
}

function printTimeline(profile: FaultProfile): void {
  out(`${profile.name} — ${summary(profile)}`);
  out(`  ${oneLine(profile.description)}`);
  out();
  for (const line of timelineLines(profile)) out(line);
}

const display = (file: string) => (file.startsWith(REPO_ROOT) ? relative(process.cwd(), file) || file : file);

async function applyForeground(profile: FaultProfile, url: string, venueUrl: string | undefined): Promise<void> {
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
  const faults = new FaultLog();
  faults.listen((record, change, log) => {
    const at = change === "apply" ? record.appliedAt : record.removedAt!;
    const verb = change === "apply" ? "applied" : record.removal === "scheduled" ? "removed" : `removed (${record.removal})`;
    out(`${secs((at - startMs) / 1000)}  ${record.proxy}  ${record.fault} ${verb} · active: ${log.active().map((a) => `${a.proxy} ${a.fault}`).join(", ") || "none"}`);
  });
  const venue = venueUrl ? { venue: new VenueFaultApi(venueUrl) } : {};
  const timeline = new FaultTimeline(profile, { api: new ToxiproxyApi(url), ...venue, events, faults, startMs, signal: abort.signal });
  const span = profileSpan(profile);
  out(`applying ${profile.name} to ${url} — ${summary(profile)} · Ctrl-C removes everything`);
  out(`events: ${join(dir, "events.ndjson")} · if this process is killed: gauntlet toxics clear --toxiproxy ${url}`);
  const ticker = setInterval(() => {
    const active = faults.active().map((a) => `${a.proxy} ${a.fault} until ${(a.plannedEndMs - startMs) / 1000} s`);
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
    .option("--proxy <name>", "a proxy name of your own target, besides the sandbox's (repeatable)", collect)
    .action((arg: string, flags: ProxyFlags) => printTimeline(loadProfile(resolveProfile(arg), proxyNames(flags))));

  toxics
    .command("check")
    .description("validate profiles without applying them (exit 0, or 2 with every error)")
    .argument("<profiles...>", "names in toxics/ or paths")
    .option("--proxy <name>", "a proxy name of your own target, besides the sandbox's (repeatable)", collect)
    .action((args: string[], flags: ProxyFlags) => {
      let failed = 0;
      for (const arg of args) {
        try {
          const file = resolveProfile(arg);
          out(`ok  ${display(file)}: ${summary(loadProfile(file, proxyNames(flags)))}`);
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
    .option("--toxiproxy <url>", `Toxiproxy API (default: $TOXIPROXY_URL, else ${DEFAULT_TOXIPROXY})`)
    .option("--proxy <name>", "a proxy name of your own target, besides the sandbox's (repeatable)", collect)
    .option("--venue <url>", "the venue's admin API, for a profile with venue protocol faults (`gauntlet sandbox up` prints it)")
    .option("--dry-run", "print the timeline it would apply and touch nothing")
    .action(async (arg: string, flags: { toxiproxy?: string; venue?: string; dryRun?: boolean } & ProxyFlags) => {
      const profile = loadProfile(resolveProfile(arg), proxyNames(flags));
      if (flags.dryRun) {
        out(`dry run: nothing is sent${flags.toxiproxy ? ` to ${flags.toxiproxy}` : ""}; this is what apply would do.`);
        printTimeline(profile);
        return;
      }
      const url = toxiproxyUrl(flags);
      await requireToxiproxy(url);
      await applyForeground(profile, url, flags.venue);
    });

  toxics
    .command("clear")
    .description("remove Gauntlet's toxics (gauntlet-…) and re-enable the proxies Gauntlet cut; others' toxics stay")
    .option("--toxiproxy <url>", `Toxiproxy API (default: $TOXIPROXY_URL, else ${DEFAULT_TOXIPROXY})`)
    .action(async (flags: { toxiproxy?: string }) => {
      const url = toxiproxyUrl(flags);
      await requireToxiproxy(url);
      const cleared = await clearGauntletFaults(new ToxiproxyApi(url));
      for (const name of cleared.reenabled) out(`re-enabled ${name}`);
      for (const name of cleared.removed) out(`removed ${name}`);
      out(cleared.removed.length + cleared.reenabled.length === 0 ? `nothing to clear at ${url}` : `cleared ${url}`);
    });
}
