// What happens once a run or a certification has written its reports, outside its folder: its
// summary.md appended to the GitHub Actions step summary ($GITHUB_STEP_SUMMARY), and the webhook
// when one is configured. Both report; neither judges — the verdict and the exit code are already
// set, and a failure here is a warning.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Certification } from "../core/certify/certification-schema.ts";
import { loadConfig, type GauntletConfig } from "../core/config/gauntlet-config.ts";
import { log } from "../core/log.ts";
import type { RunOutcome } from "../core/orchestrator/run-scenario.ts";
import { BUILTIN_PLUGINS } from "./builtin.ts";
import { certificationMessage, checkWebhookUrl, runMessage, sendWebhook } from "./webhook.ts";

/**
 * Append Markdown to the file GitHub Actions names in $GITHUB_STEP_SUMMARY (the job's summary page).
 * Appends, never overwrites: earlier steps' and commands' summaries stay. Returns the file, or
 * undefined when the variable is not set or the file cannot be written (a warning).
 */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return undefined;
  try {
    // A blank line before ours, unless the file is empty or already ends with one.
    const before = existsSync(file) ? readFileSync(file, "utf8") : "";
    const gap = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    appendFileSync(file, `${gap}${markdown.trimEnd()}\n`);
    return file;
  } catch (error) {
    log.warn(`could not append the summary to $GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}`);
    return undefined;
  }
}

export interface EndHookFlags {
  config?: string;
  webhook?: string;
  allowHost?: string[];
}

export interface EndHooks {
  afterRun(outcome: RunOutcome): Promise<void>;
  afterCertification(certification: Certification, dir: string): Promise<void>;
}

/**
 * Built before the run starts, so that a webhook on a host nobody allowed is refused up front
 * (exit 2, nothing run) rather than after the load. --webhook wins over gauntlet.yaml's webhook.url.
 */
export function endHooks(flags: EndHookFlags, config: GauntletConfig = loadConfig(flags.config, BUILTIN_PLUGINS), env: NodeJS.ProcessEnv = process.env): EndHooks {
  const webhook = flags.webhook ?? config.webhook?.url;
  if (webhook) checkWebhookUrl(webhook, [...config.allowHosts, ...(flags.allowHost ?? [])]);
  const summarize = (dir: string) => {
    const file = join(dir, "summary.md");
    if (env.GITHUB_STEP_SUMMARY && existsSync(file)) appendStepSummary(readFileSync(file, "utf8"), env);
  };
  return {
    async afterRun(outcome) {
      summarize(outcome.runDir);
      if (webhook) await sendWebhook(webhook, runMessage(outcome.results, outcome.runDir, env));
    },
    async afterCertification(certification, dir) {
      summarize(dir);
      if (webhook) await sendWebhook(webhook, certificationMessage(certification, dir, env));
    },
  };
}
