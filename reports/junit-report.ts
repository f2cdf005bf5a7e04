// JUnit XML for CI: one test suite per run, one test case per gate. A failed gate is a <failure>,
// a gate without evidence is an <error> (the run could not be judged), as CI systems expect.
import { formatMeasured, formatThreshold } from "../core/gates/gate.ts";
import type { Results } from "../core/results/results-schema.ts";

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

export function junitReport(results: Results): string {
  const failures = results.gates.filter((gate) => gate.status === "fail").length;
  const errors = results.gates.filter((gate) => gate.status === "no-data").length + (results.error ? 1 : 0);
  const skipped = results.gates.filter((gate) => gate.status === "not-applicable").length;
  const tests = results.gates.length + (results.error ? 1 : 0);
  const suite = `gauntlet.${results.scenario}`;
  const cases = results.gates.map((gate) => {
    const name = `${gate.id}: ${gate.title} (${gate.severity})`;
    const message = `measured ${formatMeasured(gate)}, threshold ${formatThreshold(gate)}`;
    const body =
      gate.status === "fail"
        ? `\n      <failure message="${escapeXml(message)}" type="${gate.severity}">${escapeXml(gate.detail)}</failure>\n    `
        : gate.status === "no-data"
          ? `\n      <error message="${escapeXml(`no data: ${gate.detail}`)}" type="no-data"/>\n    `
          : gate.status === "not-applicable"
            ? `\n      <skipped message="${escapeXml(`not covered — ${gate.detail}`)}"/>\n    `
            : "";
    return `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(name)}">${body}${gate.status === "pass" ? `<system-out>${escapeXml(message)}</system-out>` : ""}</testcase>`;
  });
  if (results.error) {
    cases.push(
      `    <testcase classname="${escapeXml(suite)}" name="run could be judged">\n      <error message="${escapeXml(`${results.error.code} — ${results.error.message}`)}" type="${escapeXml(results.error.code)}"/>\n    </testcase>`,
    );
  }
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="gauntlet" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${escapeXml(results.startedAt)}">`,
    `    <properties><property name="runId" value="${escapeXml(results.runId)}"/><property name="profile" value="${escapeXml(results.profile)}"/><property name="verdict" value="${results.verdict}"/><property name="goNoGo" value="${results.goNoGo}"/><property name="gauntlet.version" value="${escapeXml(results.gauntlet.version)}"/><property name="gauntlet.commit" value="${escapeXml(results.gauntlet.commit)}${results.gauntlet.dirty ? "+modified" : ""}"/>${Object.entries(results.tools).map(([tool, version]) => `<property name="${escapeXml(tool)}.version" value="${escapeXml(version)}"/>`).join("")}</properties>`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
