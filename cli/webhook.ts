// The optional webhook: when a run or a certification ends, one Slack-compatible message
// ({"text", "blocks"}, which Slack, Mattermost and most chat bridges accept) with the verdict, the
// Go/No-Go, the failed gates, the run id and where the report is. Off unless configured
// (gauntlet.yaml `webhook.url` or --webhook). Like a target, the host must be loopback unless it is
// in allowHosts. A webhook reports; it never judges: a failed post is a warning, and the verdict
// and the exit code stay what they were. The URL is a credential (Slack's token is its path), so
// no log line shows more than its origin.
import type { Certification } from "../core/certify/certification-schema.ts";
import { GauntletError } from "../core/errors.ts";
import { log, redact } from "../core/log.ts";
import { requireAllowedHost } from "../core/orchestrator/target-safety.ts";
import type { Results } from "../core/results/results-schema.ts";

export interface WebhookMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

const TIMEOUT_MS = 10_000;

/** What a log line may say about a webhook URL: its origin, never its path, query or user info. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const more = parsed.pathname !== "/" || parsed.search !== "" || parsed.hash !== "";
    return `${parsed.protocol}//${parsed.host}${more ? "/…" : ""}`;
  } catch {
    return "(not a URL)";
  }
}

/** Checked before the run starts, so a refused webhook never surfaces after a 100-run certification. */
export function checkWebhookUrl(url: string, allowHosts: readonly string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GauntletError("GAUNTLET_USAGE", "--webhook must be an http(s) URL such as http://127.0.0.1:9100/hook (the value given is not a URL)");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new GauntletError("GAUNTLET_USAGE", `--webhook must be an http(s) URL (got a ${parsed.protocol} URL)`);
  }
  requireAllowedHost(`${parsed.protocol}//${parsed.host}`, allowHosts, "webhook");
}

/** Slack's mrkdwn treats &, < and > as markup. */
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The CI job that ran it, when GitHub Actions did (its own variables; nothing secret). */
function ciRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

function message(headline: string, lines: string[], context: string[], env: NodeJS.ProcessEnv): WebhookMessage {
  const ci = ciRunUrl(env);
  const contextLines = ci ? [...context, `CI run: ${ci}`] : context;
  return {
    text: [headline, ...lines, ...contextLines].join("\n"),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: escape([`*${headline}*`, ...lines].join("\n")) } },
      { type: "context", elements: contextLines.map((line) => ({ type: "mrkdwn", text: escape(line) })) },
    ],
  };
}

export function runMessage(results: Results, runDir: string, env: NodeJS.ProcessEnv = process.env): WebhookMessage {
  const failed = results.gates.filter((gate) => gate.status === "fail").map((gate) => `${gate.id} (${gate.severity})`);
  const lines = [
    `Go/No-Go: ${results.goNoGo} · exit ${results.exitCode}`,
    failed.length > 0 ? `Failed gates: ${failed.join(", ")}` : "Failed gates: none",
  ];
  if (results.error) lines.push(`Could not judge: ${results.error.code} — ${results.error.message}`);
  return message(
    `Gauntlet ${results.scenario} (${results.profile}): ${results.verdict.toUpperCase()}`,
    lines.map(redact),
    [`Run ${results.runId} · target ${results.target.name}`, `Report: ${runDir}/report.html`],
    env,
  );
}

export function certificationMessage(c: Certification, dir: string, env: NodeJS.ProcessEnv = process.env): WebhookMessage {
  // A certification's failed gates are the runs' failures, once each.
  const failed = [...new Set(c.runs.flatMap((run) => run.failed.map((gate) => `${run.scenario}/${gate.id} (${gate.severity})`)))];
  const lines = [
    `${c.streak} of ${c.requestedRuns} consecutive passes of ${c.suite.join(", ")} · ${c.breaches} hard-limit breaches · exit ${c.exitCode}`,
    failed.length > 0 ? `Failed gates: ${failed.join(", ")}` : "Failed gates: none",
  ];
  if (c.stoppedAt) lines.push(`Stopped at pass ${c.stoppedAt.iteration}, ${c.stoppedAt.scenario}: ${c.stoppedAt.why}`);
  if (c.conditions.length > 0) lines.push(`Conditions: ${c.conditions.join("; ")}`);
  return message(
    `Gauntlet certification (${c.profile}): ${c.verdict}`,
    lines.map(redact),
    [`Certification ${c.id} · target ${c.target.name}`, `Report: ${dir}/report.html`],
    env,
  );
}

/**
 * POST the message. Never throws and never rejects: a webhook that is down, slow, redirects or
 * answers an error is one warning line (its origin only). Returns whether it was delivered.
 */
export async function sendWebhook(url: string, body: WebhookMessage, timeoutMs = TIMEOUT_MS): Promise<boolean> {
  const where = safeUrl(url);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      // A redirect could lead to a host nobody allowed.
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) {
      log.warn(`webhook ${where} answered ${response.status}; the verdict and exit code are unchanged`);
      return false;
    }
    log.info(`webhook: sent to ${where}`);
    return true;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    // The reason comes from the network stack, which may quote the URL: keep only its origin.
    log.warn(`webhook ${where} failed (${String(why).split(url).join(where)}); the verdict and exit code are unchanged`);
    return false;
  }
}
