// The HTML reports in a real browser (Debian's Chromium, headless, driven by playwright-core),
// rendered from real runs kept as fixtures (tests/fixtures/reports: no load is driven). Each page
// opens from disk with no network and raises no error; the verdict, the rule line that decided
// it, the plan and the provenance are on it; every chart is drawn, its x ticks read as seconds
// (never a 1970 date), thresholds and fault/warm-up/crash shading are drawn where they apply, and
// legends carry names, not "--". Each page is kept with a screenshot beside it, for a person.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { CertificationSchema } from "../../core/certify/certification-schema.ts";
import { ResultsSchema, type Results } from "../../core/results/results-schema.ts";
import { findChromium } from "../../core/tools/system-packages.ts";
import { renderCertificationReport } from "../../reports/certification.ts";
import { renderHtmlReport, writeHtmlReport } from "../../reports/html-report.ts";

const FIXTURES = join(import.meta.dirname, "../fixtures/reports");
/** Kept after a green run (unlike temp dirs): the pages and screenshots are there to be looked at. */
const ARTIFACTS = process.env.GAUNTLET_TEST_ARTIFACTS ?? join(tmpdir(), "gauntlet-report-browser");
const SECONDS_TICK = /^\d+(\.\d+)? s$/;

let browser: Browser | undefined;
async function openPage(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const executablePath = findChromium();
  assert.ok(executablePath, "Chromium is installed by `gauntlet setup --with-browser`");
  browser ??= await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("body[data-rendered=true]", { timeout: 10_000 });
  return { page, errors, requests };
}

async function finish(page: Page, dir: string, errors: string[], requests: string[]): Promise<void> {
  assert.equal(errors, [], "no script or console error in the page");
  assert.ok(requests.every((url) => url.startsWith("file:")), `the report is self-contained: ${requests.join(", ")}`);
  const shot = join(dir, "report.png");
  await page.screenshot({ path: shot, fullPage: true });
  console.log(`  screenshot: ${shot}`);
  await page.close();
}

function fixtureRun(name: string): { dir: string; results: Results } {
  const dir = join(ARTIFACTS, name);
  mkdirSync(dir, { recursive: true });
  const results = ResultsSchema.parse(JSON.parse(readFileSync(join(FIXTURES, name, "results.json"), "utf8")));
  if (existsSync(join(FIXTURES, name, "events.ndjson"))) copyFileSync(join(FIXTURES, name, "events.ndjson"), join(dir, "events.ndjson"));
  writeHtmlReport(join(dir, "report.html"), results);
  return { dir, results };
}

interface ChartFacts {
  id: string;
  drawn: boolean;
  canvases: number;
  inked: number;
  ticks: string[];
  bands: number;
  thresholdLines: number;
  legend: string;
}

function readCharts(page: Page): Promise<ChartFacts[]> {
  return page.$$eval("#charts .chart", (boxes) =>
    boxes.map((box) => {
      const canvas = box.querySelector("canvas");
      let inked = 0;
      if (canvas) {
        const pixels = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) inked++;
      }
      return {
        id: box.getAttribute("data-chart") ?? "",
        drawn: box.getAttribute("data-drawn") === "true",
        canvases: box.querySelectorAll("canvas").length,
        inked,
        ticks: JSON.parse(box.getAttribute("data-x-ticks") ?? "[]") as string[],
        bands: Number(box.getAttribute("data-bands") ?? 0),
        thresholdLines: Number(box.getAttribute("data-threshold-lines") ?? 0),
        legend: box.querySelector(".u-legend")?.textContent ?? "",
      };
    }),
  );
}

/** What every run report must show, whatever the scenario. */
async function commonChecks(page: Page, results: Results): Promise<ChartFacts[]> {
  assert.is((await page.textContent("#verdict .big"))?.trim(), results.goNoGo);
  assert.match((await page.textContent("#rule li[data-applies=true]")) ?? "", results.goNoGo, "the rule line that decided is marked");
  const rows = await page.$$eval("table.gates tbody tr[data-gate]", (trs) => trs.map((tr) => [tr.getAttribute("data-gate"), tr.getAttribute("data-status"), tr.className]));
  assert.is(rows.length, results.gates.length);
  for (const gate of results.gates) {
    const row = rows.find((r) => r[0] === gate.id);
    assert.ok(row, `row for ${gate.id}`);
    assert.is(row![1], gate.status);
    assert.is(row![2], gate.status === "pass" ? "green" : gate.severity === "CRITICAL" && gate.status === "fail" ? "red" : "amber");
  }
  const provenance = (await page.textContent("#provenance")) ?? "";
  assert.ok(provenance.includes(results.gauntlet.commit), "the full commit is shown");
  for (const [tool, version] of Object.entries(results.tools)) assert.ok(provenance.includes(version), `${tool} ${version} is shown`);
  const plan = (await page.textContent("#plan")) ?? "";
  if (typeof results.plan?.rate === "number") assert.match(plan, /rate[\d,.\s]+decisions \/ s/, "the plan's rate is shown");
  if (typeof results.plan?.warmupSeconds === "number") assert.match(plan, `warmupSeconds${results.plan.warmupSeconds} s`);

  const charts = await readCharts(page);
  assert.ok(charts.length >= 3, `charts: ${charts.map((c) => c.id).join(", ")}`);
  for (const chart of charts) {
    assert.ok(chart.drawn && chart.canvases > 0 && chart.inked > 1000, `${chart.id} is drawn (${chart.inked} inked pixels)`);
    assert.ok(chart.ticks.length >= 2, `${chart.id} has x ticks`);
    for (const tick of chart.ticks) assert.match(tick, SECONDS_TICK, `${chart.id}: x tick "${tick}" reads as seconds`);
    assert.not.match(chart.legend, /--/, `${chart.id}: the legend names its series`);
  }
  const lineCharts = charts.filter((c) => c.id !== "timeline");
  for (const chart of lineCharts) assert.equal(chart.ticks, lineCharts[0]!.ticks, `${chart.id} shares the x range of ${lineCharts[0]!.id}`);
  return charts;
}

const chart = (charts: ChartFacts[], id: string) => {
  const found = charts.find((c) => c.id === id);
  assert.ok(found, `chart ${id} (of ${charts.map((c) => c.id).join(", ")})`);
  return found!;
};

test("decision-flood: latency thresholds drawn, the warm-up shaded, measurement marked", async () => {
  const { dir, results } = fixtureRun("decision-flood");
  const { page, errors, requests } = await openPage(join(dir, "report.html"));
  const charts = await commonChecks(page, results);
  assert.ok(chart(charts, "latency").thresholdLines >= 2, "latency_p99 and latency_p95 lines");
  assert.ok(chart(charts, "errors").thresholdLines >= 2, "error_rate and dropped_iterations lines");
  assert.match(chart(charts, "latency").legend, /P99/);
  for (const c of charts) assert.ok(c.bands >= 1, `${c.id} shades the warm-up`);
  assert.match((await page.textContent("#clock")) ?? "", /start at 4\.\d+ s/);
  await finish(page, dir, errors, requests);
});

test("flash-crash: market, position and drawdown charts with units, the crash window shaded", async () => {
  const { dir, results } = fixtureRun("flash-crash");
  const { page, errors, requests } = await openPage(join(dir, "report.html"));
  const charts = await commonChecks(page, results);
  for (const id of ["series-mid", "series-spread", "series-displayed depth", "series-position", "series-drawdown"]) assert.ok(chart(charts, id).bands >= 1, `${id} shades the crash`);
  assert.ok(chart(charts, "series-drawdown").thresholdLines >= 1, "max_drawdown line");
  assert.ok(chart(charts, "series-position").thresholdLines >= 1, "flat_after_crash line");
  assert.ok(chart(charts, "latency").thresholdLines >= 1, "latency_p99_crash line");
  assert.match(chart(charts, "series-mid").legend, /mid \(USD\)/);
  await finish(page, dir, errors, requests);
});

test("broker-failure: outages shaded on every chart, the recovery timeline and table", async () => {
  const { dir, results } = fixtureRun("broker-failure");
  const { page, errors, requests } = await openPage(join(dir, "report.html"));
  const charts = await commonChecks(page, results);
  for (const c of charts) assert.ok(c.bands >= results.faultTimeline.length, `${c.id} shades every fault (${c.bands})`);
  assert.is(await page.getAttribute("[data-chart=timeline]", "data-recoveries"), "2");
  assert.is((await page.$$("table.recoveries tbody tr")).length, 2);
  assert.is((await page.$$("table.faults tbody tr")).length, results.faultTimeline.length);
  await finish(page, dir, errors, requests);
});

test("hard-kill (an older results.json): the double fault, the emergency stop and the recovery on one clock", async () => {
  const { dir, results } = fixtureRun("hard-kill");
  const { page, errors, requests } = await openPage(join(dir, "report.html"));
  await commonChecks(page, results);
  assert.is(await page.getAttribute("[data-chart=timeline]", "data-recoveries"), "1");
  assert.match((await page.textContent("#clock")) ?? "", /estimated/);
  await finish(page, dir, errors, requests);
});

test("a failed HIGH gate: GO WITH CONDITIONS, the rule line and the action it names", () => {
  const results = ResultsSchema.parse(JSON.parse(readFileSync(join(FIXTURES, "decision-flood", "results.json"), "utf8")));
  const p95 = results.gates.find((gate) => gate.id === "latency_p95")!;
  Object.assign(p95, { status: "fail", measured: 12 });
  Object.assign(results, { verdict: "fail", goNoGo: "GO WITH CONDITIONS", exitCode: 1 });
  const html = renderHtmlReport(results, []);
  assert.match(html, /<li class="applies" data-applies="true"><b>GO WITH CONDITIONS<\/b>/);
  assert.match(html, /latency_p95 \(HIGH\): proceed with latency monitoring/);
});

test("certification report: the run strip links every run, each gate's distribution is drawn against its threshold", async () => {
  const c = CertificationSchema.parse(JSON.parse(readFileSync(join(FIXTURES, "certify", "certification.json"), "utf8")));
  const dir = join(ARTIFACTS, "certify");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "report.html"), renderCertificationReport(c, { k6: "2.2.0" }));
  const { page, errors, requests } = await openPage(join(dir, "report.html"));
  assert.is((await page.textContent("#verdict .big"))?.trim(), c.verdict);
  const cells = await page.$$eval("#strip a.cell", (as) => as.map((a) => [a.getAttribute("data-run"), a.getAttribute("data-verdict"), a.getAttribute("href")]));
  assert.is(cells.length, c.runs.length);
  for (const run of c.runs) assert.ok(cells.some(([id, verdict, href]) => id === run.runId && verdict === run.verdict && href === `../${run.runId}/report.html`), run.runId);
  assert.is((await page.$$("table.gates tbody tr[data-gate]")).length, c.gates.length);
  assert.is((await page.$$("table.gates .range .thr")).length, c.gates.filter((g) => g.min !== null).length);
  assert.match((await page.textContent("#rule li[data-applies=true]")) ?? "", /^CERTIFIED:/);
  assert.ok(((await page.textContent("#provenance")) ?? "").includes(c.gauntlet.commit));
  await finish(page, dir, errors, requests);
});

test.after(async () => {
  await browser?.close();
});

test.run();
