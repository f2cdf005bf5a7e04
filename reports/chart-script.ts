// The page's chart drawing (runs in the browser, plain ES5 in a string: the page has no build
// step). It only draws what run-charts.ts and run-timeline.ts decided: uPlot with a numeric x
// scale in seconds (`time: false`, or uPlot would read x as unix time and print 1970 dates), one
// fixed x range for every chart, static legends (`live: false`: no "--" on a page nobody hovers),
// bands and threshold lines from draw hooks. Each chart box records what it drew in data-
// attributes (x tick labels, bands, thresholds) so a browser test can read them.
export const CHART_SCRIPT = `
(function () {
  var page = JSON.parse(document.getElementById("chart-data").textContent);
  var host = document.getElementById("charts");
  var width = Math.min(1160, host.clientWidth || 1160);
  var COLOURS = ["#0969da", "#bf8700", "#cf222e", "#8250df"];
  var FILL = { warmup: "rgba(140,149,159,0.22)", phase: "rgba(207,34,46,0.10)", fault: "rgba(191,135,0,0.17)", pause: "rgba(130,80,223,0.16)" };
  var INK = { warmup: "#59636e", phase: "#a40e26", fault: "#7d4e00", pause: "#6639ba" };
  var range = page.range;
  var px = window.devicePixelRatio || 1;

  function num(v) { return String(Math.round(v * 1000) / 1000); }
  // x tick labels: seconds on the run's clock, never a date.
  function secondsAxis(u, splits) { return splits.map(function (v) { return v == null ? null : num(v) + " s"; }); }
  // uPlot leaves its own text alignment on the context after drawing axes: set ours every time.
  function font(ctx, size, bold) {
    ctx.font = (bold ? "600 " : "") + Math.round(size * px) + "px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
  }

  // Bands behind the lines; each label goes on the first row where it overlaps no earlier label,
  // so back-to-back or simultaneous faults stay readable.
  function drawBands(u, box) {
    var ctx = u.ctx, b = u.bbox, drawn = 0, rowEnds = [];
    ctx.save();
    ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
    font(ctx, 10, true);
    page.bands.forEach(function (band) {
      var x0 = u.valToPos(band.from, "x", true), x1 = u.valToPos(band.to, "x", true);
      // The governor's own states (stop, pause) have their lanes on the timeline, not a shade everywhere.
      if (band.kind === "pause" || x1 < b.left || x0 > b.left + b.width) return;
      ctx.fillStyle = FILL[band.kind];
      ctx.fillRect(x0, b.top, Math.max(x1 - x0, px), b.height);
      var row = 0, end = x0 + 3 * px + ctx.measureText(band.label).width + 6 * px;
      while (rowEnds[row] != null && rowEnds[row] > x0) row++;
      rowEnds[row] = end;
      ctx.fillStyle = INK[band.kind];
      ctx.fillText(band.label, x0 + 3 * px, b.top + (12 + 12 * row) * px);
      drawn++;
    });
    page.markers.forEach(function (m) {
      if (m.kind !== "measure") return;
      var x = u.valToPos(m.at, "x", true);
      ctx.strokeStyle = INK.warmup; ctx.setLineDash([2 * px, 3 * px]); ctx.lineWidth = px;
      ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
    });
    ctx.restore();
    box.setAttribute("data-bands", String(drawn));
  }

  // Threshold lines over the lines, each with its gate's text at its right end.
  function drawThresholds(u, spec, box) {
    var ctx = u.ctx, b = u.bbox, drawn = 0;
    ctx.save();
    ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
    spec.thresholds.forEach(function (t) {
      var from = t.from == null ? range[0] : t.from, to = t.to == null ? range[1] : t.to;
      var x0 = u.valToPos(from, "x", true), x1 = u.valToPos(to, "x", true);
      (t.mirror ? [t.value, -t.value] : [t.value]).forEach(function (value, k) {
        var y = u.valToPos(value, "y", true);
        if (y < b.top - 1 || y > b.top + b.height + 1) return;
        ctx.strokeStyle = t.kind === "gate" ? "#cf222e" : "#59636e";
        ctx.lineWidth = 1.5 * px; ctx.setLineDash(t.kind === "gate" ? [6 * px, 4 * px] : [2 * px, 3 * px]);
        ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
        if (k === 0) {
          font(ctx, 11, t.kind === "gate"); ctx.fillStyle = ctx.strokeStyle; ctx.textAlign = "right";
          ctx.fillText(t.label, x1 - 4 * px, y - 4 * px);
          drawn++;
        }
      });
    });
    ctx.restore();
    box.setAttribute("data-threshold-lines", String(drawn));
  }

  // The y scale takes in a threshold near the data, so the headroom shows; one far above (a
  // 1000-event bound over a backlog of 12) would flatten the line, and is named under the chart instead.
  function isFar(t, span) { return span > 0 && Math.abs(t.value) > 10 * span; }
  // Rates, latencies and shares of a window start at 0, so a 2% dip does not look like a cliff.
  function yRange(spec, span) {
    return function (u, lo, hi) {
      if (lo == null || hi == null) { lo = 0; hi = 1; }
      spec.thresholds.forEach(function (t) {
        if (isFar(t, span)) return;
        hi = Math.max(hi, t.value); lo = Math.min(lo, t.mirror ? -t.value : t.value);
      });
      if (spec.fromZero) { lo = Math.min(lo, 0); if (hi <= 0) hi = 1; return [lo, hi + (hi - lo) * 0.08]; }
      return uPlot.rangeNum(lo, hi, 0.1, true);
    };
  }

  function box(id, title, note) {
    var el = document.createElement("div");
    el.className = "chart";
    el.setAttribute("data-chart", id);
    var h = document.createElement("h3");
    h.textContent = title;
    el.appendChild(h);
    if (note) { var p = document.createElement("p"); p.className = "chart-note"; p.textContent = note; el.appendChild(p); }
    host.appendChild(el);
    return el;
  }

  function recordTicks(u, el) {
    el.setAttribute("data-x-ticks", JSON.stringify((u.axes[0]._values || []).filter(function (v) { return v != null; })));
    el.setAttribute("data-drawn", "true");
  }

  function xAxis() { return { label: "seconds since the drive phase started", values: secondsAxis, space: 60 }; }

  function lineChart(spec) {
    var el = box(spec.id, spec.title, spec.note);
    var span = 0;
    spec.lines.forEach(function (l) { l.values.forEach(function (v) { if (v != null) span = Math.max(span, Math.abs(v)); }); });
    var offChart = spec.thresholds.filter(function (t) { return isFar(t, span); });
    var series = [{ label: "t (s)" }].concat(spec.lines.map(function (l, i) {
      return { label: l.label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: true, paths: l.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined, points: { show: false } };
    }));
    var axes = [xAxis(), { label: spec.yLabel, size: 60 }];
    new uPlot({
      width: width, height: 230,
      legend: { live: false },
      cursor: { show: true, drag: { x: false, y: false } },
      scales: { x: { time: false, range: function () { return range; } }, y: { range: yRange(spec, span) } },
      series: series,
      axes: axes,
      hooks: {
        drawClear: [function (u) { drawBands(u, el); }],
        draw: [function (u) { drawThresholds(u, spec, el); recordTicks(u, el); }],
      },
    }, [spec.x].concat(spec.lines.map(function (l) { return l.values; })), el);
    if (offChart.length) {
      var p = document.createElement("p"); p.className = "chart-note";
      p.textContent = "Far above this chart: " + offChart.map(function (t) { return t.label; }).join("; ") + ".";
      el.appendChild(p);
    }
    el.setAttribute("data-thresholds", String(spec.thresholds.length));
  }

  // The recovery timeline: one lane per proxy with faults and per governor state (stop, pause),
  // outages as bars, an arrow from each outage's start to the first safe action after it.
  function lanesChart(t) {
    var el = box("timeline", t.title, t.note);
    var lanes = t.lanes, n = lanes.length;
    var centre = function (i) { return n - i - 0.5; };
    new uPlot({
      width: width, height: 90 + 44 * n,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: function () { return range; } }, y: { range: [0, n] } },
      series: [{}, { label: "", stroke: "transparent" }],
      axes: [xAxis(), { size: 120, grid: { show: false }, ticks: { show: false }, splits: function () { return lanes.map(function (_, i) { return centre(i); }); }, values: function () { return lanes.map(function (l) { return l; }); } }],
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx, bars = 0, arrows = 0, labelEnds = {};
          ctx.save();
          font(ctx, 10, true);
          page.bands.forEach(function (band) {
            var i = lanes.indexOf(band.lane);
            if (i < 0) return;
            var y = u.valToPos(centre(i), "y", true), x0 = u.valToPos(band.from, "x", true), x1 = u.valToPos(band.to, "x", true);
            ctx.fillStyle = FILL[band.kind].replace(/[0-9.]+\\)$/, "0.55)");
            ctx.fillRect(x0, y - 12 * px, Math.max(x1 - x0, 2 * px), 16 * px);
            // A bar's label goes inside it when it fits and no earlier label in the lane is there.
            var text = band.label.replace(band.lane + ": ", ""), w = ctx.measureText(text).width;
            if (band.label !== band.lane && w + 6 * px <= x1 - x0 && !(labelEnds[i] > x0)) {
              ctx.fillStyle = INK[band.kind];
              ctx.fillText(text, x0 + 3 * px, y);
              labelEnds[i] = x0 + w + 6 * px;
            }
            bars++;
          });
          t.recoveries.forEach(function (r) {
            var i = lanes.indexOf(r.proxy);
            if (i < 0) return;
            if (r.firstSafe == null) {
              font(ctx, 11, true); ctx.fillStyle = "#cf222e";
              ctx.fillText("no safe action before the end of the run", u.valToPos(r.end == null ? r.start : r.end, "x", true) + 4 * px, u.valToPos(centre(i), "y", true) + 14 * px);
              return;
            }
            var y = u.valToPos(centre(i), "y", true) + 10 * px, x0 = u.valToPos(r.start, "x", true), x1 = u.valToPos(r.firstSafe, "x", true);
            ctx.strokeStyle = ctx.fillStyle = "#1a7f37"; ctx.lineWidth = 1.5 * px;
            ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x1, y); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(x1, y); ctx.lineTo(x1 - 6 * px, y - 4 * px); ctx.lineTo(x1 - 6 * px, y + 4 * px); ctx.fill();
            ctx.beginPath(); ctx.moveTo(x1, y - 22 * px); ctx.lineTo(x1, y + 4 * px); ctx.stroke();
            font(ctx, 11, true); ctx.fillText("first safe action +" + num(r.seconds) + " s", x1 + 4 * px, y + 4 * px);
            arrows++;
          });
          ctx.restore();
          el.setAttribute("data-bands", String(bars));
          el.setAttribute("data-recoveries", String(arrows));
          recordTicks(u, el);
        }],
      },
    }, [range.slice(), [null, null]], el);
  }

  page.charts.forEach(lineChart);
  if (page.timeline) lanesChart(page.timeline);
})();
`;
