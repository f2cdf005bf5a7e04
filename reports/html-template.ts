// The report page's style and its small script (runs in the browser: prints the audit log, then
// chart-script.ts draws the charts and the page says it is rendered).

export const REPORT_STYLE = `
:root { --green:#1a7f37; --amber:#b7791f; --red:#c62828; --ink:#1f2328; --muted:#59636e; }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 0 20px 40px; }
.banner { padding: 18px 24px; color: #fff; }
.banner .big { font-size: 30px; font-weight: 700; letter-spacing: .5px; }
.banner .why { margin-top: 4px; opacity: .95; }
.banner.green { background: var(--green); } .banner.amber { background: var(--amber); } .banner.red { background: var(--red); }
.muted, .meta { color: var(--muted); } .meta { margin: 14px 0; }
.note { border-left: 4px solid #0969da; background: #ddf4ff; padding: 8px 12px; margin: 8px 0; }
.error { border-left: 4px solid var(--red); background: #fdecea; padding: 10px 14px; margin: 12px 0; }
.cards { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin: 14px 0; }
.card { border: 1px solid #d8dee4; border-radius: 6px; padding: 4px 14px 10px; }
.card h2 { margin: 8px 0 2px; font-size: 16px; } .card p { margin: 0 0 6px; font-size: 12px; }
table.kv { border-collapse: collapse; width: 100%; font-size: 13px; }
table.kv td { padding: 2px 6px; border-bottom: 1px solid #eef1f4; vertical-align: top; word-break: break-word; }
table.kv td:first-child { color: var(--muted); white-space: nowrap; width: 1%; }
table.gates { border-collapse: collapse; width: 100%; }
table.gates th, table.gates td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #d8dee4; vertical-align: top; }
table.gates td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.gates td.detail { color: var(--muted); font-size: 13px; }
table.gates .title { color: var(--muted); font-size: 12px; }
tr .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
tr.green .dot { background: var(--green); } tr.amber .dot { background: var(--amber); } tr.red .dot { background: var(--red); }
tr.grey .dot { background: #8c959f; } tr.grey td { color: var(--muted); } tr.grey td:first-child { font-weight: 700; }
tr.red td:first-child { color: var(--red); font-weight: 700; } tr.amber td:first-child { color: var(--amber); font-weight: 700; }
ol.rule li { margin: 3px 0; color: var(--muted); } ol.rule li.applies { color: var(--ink); }
.tag { background: var(--ink); color: #fff; border-radius: 3px; padding: 0 5px; font-size: 11px; }
.key { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; color: var(--muted); margin: 4px 0 10px; }
.key span::before { content: ""; display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: middle; border: 1px solid rgba(0,0,0,.15); }
.key .warmup::before { background: rgba(140,149,159,0.35); } .key .phase::before { background: rgba(207,34,46,0.22); }
.key .fault::before { background: rgba(191,135,0,0.32); } .key .pause::before { background: rgba(130,80,223,0.3); }
.key .gate::before { height: 0; border: 0; border-top: 2px dashed #cf222e; }
.chart { margin: 8px 0 22px; }
.chart h3 { margin: 0 0 2px; font-size: 14px; }
.chart-note { margin: 0 0 4px; font-size: 12px; color: var(--muted); }
.u-legend { font-size: 12px; }
pre#events { font-size: 12px; max-height: 480px; overflow: auto; background: #f6f8fa; padding: 10px; }
@media (max-width: 800px) { .cards { grid-template-columns: 1fr; } }
`;

export const REPORT_SCRIPT = `
(function () {
  var events = JSON.parse(document.getElementById("events-data").textContent);
  document.getElementById("events").textContent = events.map(function (e) { return JSON.stringify(e); }).join("\\n");
})();
`;
