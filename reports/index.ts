// The report writers Gauntlet ships, in the order they are written beside results.json. The CLI
// hands this list to the orchestrator; core only knows the Reporter interface (as k6 knows its
// outputs), so a new format is one writer and one line here.
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import type { Reporter } from "../core/orchestrator/run-results.ts";
import { writeHtmlReport } from "./html-report.ts";
import { junitReport } from "./junit-report.ts";
import { markdownSummary } from "./markdown-summary.ts";

export const REPORTERS: readonly Reporter[] = [
  { file: "junit.xml", write: (dir, results) => writeFileSync(join(dir, "junit.xml"), junitReport(results)) },
  { file: "summary.md", write: (dir, results) => writeFileSync(join(dir, "summary.md"), markdownSummary(results)) },
  { file: "report.html", write: (dir, results) => writeHtmlReport(join(dir, "report.html"), results) },
];
