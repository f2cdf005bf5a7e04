// After a run or a certification: its summary.md appended to $GITHUB_STEP_SUMMARY (never
// overwriting), and the optional webhook — posted to a real HTTP receiver on loopback, refused on
// a host nobody allowed, and never able to change a verdict or an exit code, nor to leak its token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { endHooks, appendStepSummary } from "../../cli/run-end.ts";
import { certificationMessage, checkWebhookUrl, runMessage, safeUrl, sendWebhook, type WebhookMessage } from "../../cli/webhook.ts";
import { CertificationSchema, type Certification } from "../../core/certify/certification-schema.ts";
import { GauntletConfigSchema } from "../../core/config/gauntlet-config.ts";
import { isGauntletError } from "../../core/errors.ts";
import { judge, type GateSpec } from "../../core/gates/gate.ts";
import type { RunOutcome } from "../../core/orchestrator/run-scenario.ts";
import { ResultsSchema, type Results } from "../../core/results/results-schema.ts";
import { certificationMarkdown } from "../../reports/certification.ts";
import { markdownSummary } from "../../reports/markdown-summary.ts";
import { tempDir } from "../support/cli.ts";

const scratch = tempDir("gauntlet-run-end-");
let folders = 0;
const folder = () => {
  const dir = join(scratch, String(++folders));
  mkdirSync(dir);
  return dir;
};

const spec: GateSpec = { id: "latency_p99", title: "Decision latency P99", category: "latency", severity: "CRITICAL", unit: "ms", comparator: "<=", threshold: 15 };

function results(): Results {
  return ResultsSchema.parse({
    schemaVersion: 2,
    gauntlet: { version: "0.1.0", commit: "704cdf0", dirty: false },
    runId: "20261125-130229-decision-flood",
    scenario: "decision-flood",
    profile: "quick",
    target: { name: "sandbox", baseUrl: "http://127.0.0.1:7300" },
    seededFaults: [],
    faultTimeline: [],
    startedAt: "2026-11-25T13:02:29.000Z",
    endedAt: "2026-11-25T13:03:41.000Z",
    verdict: "fail",
    goNoGo: "NO-GO",
    exitCode: 1,
    gates: [judge(spec, 21.5, "k6 http_req_duration"), judge({ ...spec, id: "latency_p95", severity: "HIGH", threshold: 10 }, 4, "k6")],
    windows: [],
    series: [],
    tools: { k6: "1.4.2" },
    plan: undefined,
  });
}

/** A run as `gauntlet run` leaves it: its folder with summary.md written by the real reporter. */
function outcome(): RunOutcome {
  const runDir = folder();
  const r = results();
  writeFileSync(join(runDir, "summary.md"), markdownSummary(r));
  return { results: r, runDir, exitCode: r.exitCode };
}

function certification(): Certification {
  return CertificationSchema.parse({
    schemaVersion: 1,
    id: "20261125-140000-certify",
    gauntlet: { version: "0.1.0", commit: "704cdf0", dirty: false },
    target: { name: "sandbox", options: {}, seededFaults: [] },
    profile: "smoke",
    requestedRuns: 1,
    suite: ["decision-flood", "broker-failure"],
    startedAt: "2026-11-25T14:00:00.000Z",
    endedAt: "2026-11-25T14:05:00.000Z",
    verdict: "CERTIFIED WITH CONDITIONS",
    exitCode: 0,
    streak: 1,
    breaches: 0,
    conditions: ["recovery: proceed with monitoring"],
    advisories: [],
    notCovered: [],
    runs: [
      { iteration: 1, scenario: "decision-flood", profile: "smoke", runId: "r1", runDir: "runs/r1", verdict: "pass", goNoGo: "GO", exitCode: 0, breaches: 0, failed: [], notApplicable: [] },
      { iteration: 1, scenario: "broker-failure", profile: "smoke", runId: "r2", runDir: "runs/r2", verdict: "fail", goNoGo: "GO WITH CONDITIONS", exitCode: 1, breaches: 0, failed: [{ id: "recovery_max", severity: "HIGH", category: "recovery" }], notApplicable: [] },
    ],
    gates: [],
  });
}

/** A loopback receiver: records what it is sent and answers as told. */
async function receiver(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end("ok")): Promise<{ url: string; server: Server; received: Array<{ method: string; path: string; type: string; body: WebhookMessage }> }> {
  const received: Array<{ method: string; path: string; type: string; body: WebhookMessage }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ method: req.method ?? "", path: req.url ?? "", type: req.headers["content-type"] ?? "", body: JSON.parse(body || "null") as WebhookMessage });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, received };
}

const close = (server: Server) => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
};

/** What `fn` writes to stderr (the logger's warnings), with the real stream untouched afterwards. */
async function stderrOf(fn: () => Promise<unknown>): Promise<string> {
  const write = process.stderr.write.bind(process.stderr);
  let text = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    process.stderr.write = write;
  }
  return text;
}

const config = (extra: Record<string, unknown> = {}) => GauntletConfigSchema.parse(extra);

test("no GITHUB_STEP_SUMMARY: nothing is written anywhere", () => {
  assert.is(appendStepSummary("# x\n", {}), undefined);
  assert.is(appendStepSummary("# x\n", { GITHUB_STEP_SUMMARY: "" }), undefined);
});

test("GITHUB_STEP_SUMMARY: appended after what earlier steps wrote, never overwriting, one blank line between", () => {
  const file = join(folder(), "step_summary.md");
  writeFileSync(file, "## Build\nok");
  assert.is(appendStepSummary("# Gauntlet — first\n\n", { GITHUB_STEP_SUMMARY: file }), file);
  appendStepSummary("# Gauntlet — second\n", { GITHUB_STEP_SUMMARY: file });
  assert.is(readFileSync(file, "utf8"), "## Build\nok\n\n# Gauntlet — first\n\n# Gauntlet — second\n");
  const fresh = join(folder(), "absent.md");
  appendStepSummary("# only\n", { GITHUB_STEP_SUMMARY: fresh });
  assert.is(readFileSync(fresh, "utf8"), "# only\n", "a missing file is created");
});

test("a step summary that cannot be written is a warning, not a failure", async () => {
  const dir = folder();
  const warnings = await stderrOf(async () => assert.is(appendStepSummary("# x", { GITHUB_STEP_SUMMARY: dir }), undefined));
  assert.match(warnings, /could not append the summary to \$GITHUB_STEP_SUMMARY/);
});

test("after a run: the run's summary.md is appended to the step summary", async () => {
  const file = join(folder(), "step_summary.md");
  writeFileSync(file, "earlier\n");
  const run = outcome();
  await endHooks({}, config(), { GITHUB_STEP_SUMMARY: file }).afterRun(run);
  const text = readFileSync(file, "utf8");
  assert.ok(text.startsWith("earlier\n\n# Gauntlet — decision-flood (quick)"), text.slice(0, 80));
  assert.ok(text.includes("**Verdict: FAIL** · Go/No-Go: **NO-GO** · exit code 1"));
  assert.ok(text.includes(readFileSync(join(run.runDir, "summary.md"), "utf8").trimEnd()), "the whole summary.md");
});

test("after a certification: the certification's summary.md is appended", async () => {
  const file = join(folder(), "step_summary.md");
  const dir = folder();
  writeFileSync(join(dir, "summary.md"), certificationMarkdown(certification()));
  await endHooks({}, config(), { GITHUB_STEP_SUMMARY: file }).afterCertification(certification(), dir);
  assert.ok(readFileSync(file, "utf8").startsWith("# Gauntlet certification — CERTIFIED WITH CONDITIONS"));
});

test("the run message: verdict, Go/No-Go, failed gates, run id and report, as Slack's text and blocks", () => {
  const message = runMessage(results(), "/ci/runs/20261125-130229-decision-flood", { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/governor", GITHUB_RUN_ID: "42" });
  for (const part of ["decision-flood (quick): FAIL", "Go/No-Go: NO-GO", "exit 1", "Failed gates: latency_p99 (CRITICAL)", "Run 20261125-130229-decision-flood", "Report: /ci/runs/20261125-130229-decision-flood/report.html", "CI run: https://github.com/acme/governor/actions/runs/42"]) {
    assert.ok(message.text.includes(part), `"${part}" not in ${message.text}`);
  }
  assert.not.ok(message.text.includes("latency_p95"), "only failed gates");
  assert.is(message.blocks[0]!.type, "section");
  assert.is(message.blocks[1]!.type, "context");
  const escaped = runMessage({ ...results(), error: { code: "GAUNTLET_X", message: "a <b> & c" } }, "/r", {});
  assert.ok(JSON.stringify(escaped.blocks).includes("a &lt;b&gt; &amp; c"), "mrkdwn escapes &, <, >");
});

test("the certification message names the verdict, the streak and each failed gate once", () => {
  const message = certificationMessage(certification(), "/ci/runs/20261125-140000-certify", {});
  for (const part of ["certification (smoke): CERTIFIED WITH CONDITIONS", "1 of 1 consecutive passes", "Failed gates: broker-failure/recovery_max (HIGH)", "Conditions: recovery: proceed with monitoring", "Certification 20261125-140000-certify", "/ci/runs/20261125-140000-certify/report.html"]) {
    assert.ok(message.text.includes(part), `"${part}" not in ${message.text}`);
  }
});

test("the webhook reaches a loopback receiver as one JSON POST", async () => {
  const { url, server, received } = await receiver();
  try {
    const file = join(folder(), "step_summary.md");
    const exitBefore = process.exitCode;
    const hooks = endHooks({ webhook: `${url}/hook` }, config(), { GITHUB_STEP_SUMMARY: file });
    await hooks.afterRun(outcome());
    assert.is(received.length, 1);
    assert.is(received[0]!.method, "POST");
    assert.is(received[0]!.path, "/hook");
    assert.is(received[0]!.type, "application/json");
    assert.ok(received[0]!.body.text.includes("Gauntlet decision-flood (quick): FAIL"));
    assert.ok(Array.isArray(received[0]!.body.blocks));
    assert.ok(existsSync(file), "and the step summary too");
    assert.is(process.exitCode, exitBefore);
  } finally {
    await close(server);
  }
});

test("gauntlet.yaml's webhook.url is used when no --webhook is given; --webhook wins", async () => {
  const a = await receiver();
  const b = await receiver();
  try {
    await endHooks({}, config({ webhook: { url: `${a.url}/from-config` } }), {}).afterCertification(certification(), folder());
    await endHooks({ webhook: `${b.url}/from-flag` }, config({ webhook: { url: `${a.url}/from-config` } }), {}).afterCertification(certification(), folder());
    assert.equal(a.received.map((r) => r.path), ["/from-config"]);
    assert.equal(b.received.map((r) => r.path), ["/from-flag"]);
  } finally {
    await close(a.server);
    await close(b.server);
  }
});

test("a failing webhook is a warning with the URL's origin only: error status, refused, redirect, timeout", async () => {
  const secret = "/services/T0001/B0002/XXXXSECRETXXXX?token=hunter2";
  const failing = await receiver((_req, res) => {
    res.writeHead(500);
    res.end();
  });
  const redirecting = await receiver((_req, res) => {
    res.writeHead(302, { location: "http://example.com/elsewhere" });
    res.end();
  });
  const silent = await receiver(() => undefined);
  const gone = await receiver();
  await close(gone.server);
  try {
    const message = runMessage(results(), "/r", {});
    const exitBefore = process.exitCode;
    const outcomes: boolean[] = [];
    const warnings = await stderrOf(async () => {
      outcomes.push(await sendWebhook(failing.url + secret, message));
      outcomes.push(await sendWebhook(gone.url + secret, message));
      outcomes.push(await sendWebhook(redirecting.url + secret, message));
      outcomes.push(await sendWebhook(silent.url + secret, message, 300));
    });
    assert.equal(outcomes, [false, false, false, false]);
    assert.is(process.exitCode, exitBefore, "the exit code is untouched");
    assert.ok(warnings.includes(`webhook ${failing.url}/… answered 500; the verdict and exit code are unchanged`), warnings);
    assert.ok(warnings.includes(`webhook ${gone.url}/… failed (ECONNREFUSED)`), warnings);
    assert.ok(warnings.includes(`webhook ${redirecting.url}/… failed`), warnings);
    assert.ok(warnings.includes(`webhook ${silent.url}/… failed (no answer within 0.3 s)`), warnings);
    assert.not.ok(/SECRET|hunter2|T0001/.test(warnings), `a token leaked: ${warnings}`);
    assert.is(redirecting.received.length, 1, "the redirect was not followed");
  } finally {
    for (const { server } of [failing, redirecting, silent]) await close(server);
  }
});

test("a webhook on a host nobody allowed is refused before anything runs; allowHosts lets it through", () => {
  const slack = "https://hooks.slack.com/services/T0001/B0002/XXXXSECRETXXXX";
  const refused = (fn: () => unknown, code: string): string => {
    try {
      fn();
    } catch (error) {
      if (!isGauntletError(error)) throw error;
      assert.is(error.code, code, error.message);
      assert.not.ok(error.message.includes("SECRET"), error.message);
      return error.message;
    }
    return assert.unreachable("accepted") as never;
  };
  assert.match(refused(() => checkWebhookUrl(slack, []), "GAUNTLET_TARGET_NOT_LOOPBACK"), /webhook host "hooks.slack.com" is not loopback/);
  checkWebhookUrl(slack, ["hooks.slack.com"]);
  checkWebhookUrl("http://127.0.0.1:9/hook", []);
  checkWebhookUrl("http://localhost:9/hook", []);
  refused(() => checkWebhookUrl("ftp://127.0.0.1/hook", []), "GAUNTLET_USAGE");
  refused(() => checkWebhookUrl("hooks.slack.com/services/XXXXSECRETXXXX", []), "GAUNTLET_USAGE");
  // endHooks checks when it is built, from the flags or the config, with both lists of allowed hosts.
  refused(() => endHooks({}, config({ webhook: { url: slack } }), {}), "GAUNTLET_TARGET_NOT_LOOPBACK");
  endHooks({}, config({ webhook: { url: slack }, allowHosts: ["hooks.slack.com"] }), {});
  endHooks({ webhook: slack, allowHost: ["hooks.slack.com"] }, config(), {});
});

test("gauntlet.yaml: webhook is optional, needs an http(s) url, takes nothing else", () => {
  assert.is(config().webhook, undefined, "off by default");
  assert.equal(config({ webhook: { url: "http://127.0.0.1:9100/hook" } }).webhook, { url: "http://127.0.0.1:9100/hook" });
  for (const bad of [{ url: "ftp://127.0.0.1/x" }, { url: "not a url" }, {}, { url: "http://127.0.0.1/x", secret: "x" }]) {
    assert.not.ok(GauntletConfigSchema.safeParse({ webhook: bad }).success, JSON.stringify(bad));
  }
});

test("log lines show a webhook URL's origin only", () => {
  assert.is(safeUrl("https://hooks.slack.com/services/T0001/B0002/XXXX"), "https://hooks.slack.com/…");
  assert.is(safeUrl("http://user:pw@127.0.0.1:9100/?token=abc"), "http://127.0.0.1:9100/…");
  assert.is(safeUrl("http://127.0.0.1:9100/"), "http://127.0.0.1:9100");
  assert.is(safeUrl("garbage"), "(not a URL)");
});

test.run();
