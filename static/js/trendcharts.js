/* The trends pages' charts (Chart.js 4, vendored under static/). Each
   <canvas data-chart="ID"> draws the JSON of the json_script element ID:
   {kind: "flags", horizontal, labels, series: [{flag, label, data}]} — stacked flag counts;
   {kind: "bars", horizontal, labels, series: [{label, colour, data}]} — grouped bars
   (lying down on a phone).
   The table beside each chart carries the same numbers for readers without JavaScript. */
(function () {
  "use strict";
  var FLAG_COLOURS = { red: "#d42a20", yellow: "#e8a900", blue: "#1c64c8", grey: "#7b838c" };

  function flagDatasets(spec) {
    return spec.series.map(function (s) {
      return { label: s.label, data: s.data, backgroundColor: FLAG_COLOURS[s.flag] || "#999", borderWidth: 0, maxBarThickness: 40 };
    });
  }

  function barDatasets(spec) {
    return spec.series.map(function (s) {
      return { label: s.label, data: s.data, backgroundColor: s.colour, borderWidth: 0, maxBarThickness: 22 };
    });
  }

  function boxHeight(spec, narrow) {
    var n = spec.labels.length;
    if (spec.kind === "flags" && spec.horizontal) {
      return Math.max(200, 70 + n * 34);
    }
    if (spec.kind === "flags") {
      return narrow ? 240 : 280;
    }
    // Grouped bars lying down (on a phone, or one row a branch): each label a row of bars.
    if (spec.horizontal || narrow) {
      return Math.max(280, 80 + n * (14 + 10 * spec.series.length));
    }
    return 340;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    if (!spec.labels.length || !spec.series.length) {
      return;
    }
    var narrow = window.matchMedia("(max-width: 575.98px)").matches;
    var horizontal = spec.horizontal || (spec.kind === "bars" && narrow);
    var stacked = spec.kind === "flags";
    var box = canvas.parentElement;
    box.style.height = boxHeight(spec, narrow) + "px";
    box.hidden = false;
    var valueAxis = { stacked: stacked, beginAtZero: true, ticks: stacked ? { precision: 0 } : {} };
    var labelAxis = { stacked: stacked, ticks: { autoSkip: false } };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: stacked ? flagDatasets(spec) : barDatasets(spec) },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: { position: "top", labels: { boxWidth: 14 } },
          tooltip: { mode: "index", intersect: false },
        },
      },
    });
    canvas.setAttribute("data-chart-ready", "1");
  }

  function drawAll() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
