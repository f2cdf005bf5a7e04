// The report page's style and its small script (runs in the browser: draws the charts with uPlot
// from the embedded results JSON and prints the audit log).

export const REPORT_STYLE = `
:root { --green:#1a7f37; --amber:#b7791f; --red:#c62828; --ink:#1f2328; --muted:#59636e; }
body { font: 14px/1.45 system-ui, sans-serif; color: var(--ink); margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 0 20px 40px; }
.banner { padding: 18px 24px; color: #fff; }
.banner .big { font-size: 30px; font-weight: 700; letter-spacing: .5px; }
.banner.green { background: var(--green); } .banner.amber { background: var(--amber); } .banner.red { background: var(--red); }
.meta { color: var(--muted); margin: 14px 0; }
.note { border-left: 4px solid #0969da; background: #ddf4ff; padding: 8px 12px; margin: 8px 0; }
.error { border-left: 4px solid var(--red); background: #fdecea; padding: 10px 14px; margin: 12px 0; }
table.gates { border-collapse: collapse; width: 100%; }
table.gates th, table.gates td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #d8dee4; vertical-align: top; }
table.gates td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.gates td.detail { color: var(--muted); font-size: 13px; }
table.gates .title { color: var(--muted); font-size: 12px; }
tr .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; }
tr.green .dot { background: var(--green); } tr.amber .dot { background: var(--amber); } tr.red .dot { background: var(--red); }
tr.red td:first-child { color: var(--red); font-weight: 700; } tr.amber td:first-child { color: var(--amber); font-weight: 700; }
.chart { margin: 8px 0 22px; }
.chart h3 { margin: 0 0 4px; font-size: 14px; }
pre#events { font-size: 12px; max-height: 480px; overflow: auto; background: #f6f8fa; padding: 10px; }
`;

export const REPORT_SCRIPT = `
(function () {
  var results = JSON.parse(document.getElementById("results-data").textContent);
  var events = JSON.parse(document.getElementById("events-data").textContent);
  document.getElementById("events").textContent = events.map(function (e) { return JSON.stringify(e); }).join("\\n");
  var host = document.getElementById("charts");
  var width = Math.min(1160, host.clientWidth || 1160);
  function chart(title, x, series) {
    if (!x.length) return;
    var box = document.createElement("div");
    box.className = "chart";
    box.setAttribute("data-chart", title);
    var h = document.createElement("h3");
    h.textContent = title;
    box.appendChild(h);
    host.appendChild(box);
    var colours = ["#0969da", "#bf8700", "#cf222e", "#8250df"];
    new uPlot({
      width: width, height: 220,
      series: [{ label: "t (s)" }].concat(series.map(function (s, i) { return { label: s.label, stroke: colours[i % colours.length], width: 1.5, spanGaps: true }; })),
      axes: [{ label: "seconds" }, {}],
    }, [x].concat(series.map(function (s) { return s.values; })), box);
  }
  var w = results.windows || [];
  var wx = w.map(function (r) { return r.t; });
  chart("Decision latency per window (ms, k6)", wx, [
    { label: "P50", values: w.map(function (r) { return r.p50Ms; }) },
    { label: "P95", values: w.map(function (r) { return r.p95Ms; }) },
    { label: "P99", values: w.map(function (r) { return r.p99Ms; }) },
  ]);
  chart("Decisions, errors and dropped iterations per window", wx, [
    { label: "decisions", values: w.map(function (r) { return r.requests; }) },
    { label: "errors", values: w.map(function (r) { return r.failed; }) },
    { label: "dropped", values: w.map(function (r) { return r.dropped; }) },
  ]);
  (results.series || []).forEach(function (s) {
    var scale = s.unit === "bytes" ? 1 / 1048576 : 1;
    var unit = s.unit === "bytes" ? "MiB" : s.unit;
    chart(s.name + " (" + unit + ")", s.t, [{ label: s.name, values: s.v.map(function (v) { return v * scale; }) }]);
  });
  document.body.setAttribute("data-rendered", "true");
})();
`;
