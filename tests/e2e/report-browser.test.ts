// The HTML report in a real browser (Debian's Chromium, headless, driven by playwright-core): it
// opens from disk with no network, shows the Go/No-Go banner, one row per gate with its colour,
// and draws the charts; the page raises no error.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { findChromium } from "../../core/setup/system-packages.ts";
import { latestResults, latestRunDir, shortFloodConfig, startGauntlet, tempDir } from "../support/cli.ts";

test("report.html renders its verdict, gates and charts in headless Chromium", async () => {
  const executablePath = findChromium();
  assert.ok(executablePath, "Chromium is installed by `gauntlet setup --with-browser`");
  const runs = tempDir();
  const run = await startGauntlet(["run", "decision-flood", "--config", shortFloodConfig(tempDir())], { GAUNTLET_RUNS_DIR: runs }).done;
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  const results = latestResults(runs);
  const dir = latestRunDir(runs);

  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(join(dir, "report.html")).href);
    await page.waitForSelector("body[data-rendered=true]", { timeout: 10_000 });

    assert.is((await page.textContent("#verdict .big"))?.trim(), results.goNoGo);
    const rows = await page.$$eval("table.gates tbody tr", (trs) => trs.map((tr) => [tr.getAttribute("data-gate"), tr.getAttribute("data-status"), tr.className]));
    assert.is(rows.length, results.gates.length);
    for (const gate of results.gates) {
      const row = rows.find((r) => r[0] === gate.id);
      assert.ok(row, `row for ${gate.id}`);
      assert.is(row![1], gate.status);
      assert.is(row![2], gate.status === "pass" ? "green" : gate.severity === "CRITICAL" && gate.status === "fail" ? "red" : "amber");
    }
    const charts = await page.$$eval("#charts .chart", (boxes) => boxes.map((box) => [box.getAttribute("data-chart"), box.querySelectorAll("canvas").length]));
    assert.ok(charts.length >= 4, `charts: ${JSON.stringify(charts)}`);
    assert.ok(charts.every(([, canvases]) => (canvases as number) > 0), "every chart drew a canvas");
    assert.equal(errors, [], "no script error in the page");
    assert.ok(requests.every((url) => url.startsWith("file:")), `the report is self-contained: ${requests.join(", ")}`);
    await page.screenshot({ path: join(dir, "report.png"), fullPage: true });
  } finally {
    await browser.close();
  }
});

test.run();
