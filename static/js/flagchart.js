/* The company view's chart: flags per branch as horizontal stacked bars (Chart.js 4,
   vendored under static/). The data comes from a json_script element; the counts
   table beside it carries the same numbers for readers without JavaScript. */
(function () {
  "use strict";
  var COLOURS = { red: "#d42a20", yellow: "#e8a900", blue: "#1c64c8", grey: "#7b838c" };

  function draw() {
    var source = document.getElementById("flag-chart-data");
    var canvas = document.getElementById("flag-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    if (!data.branches.length) {
      return;
    }
    // One bar per branch: give each bar room so that long branch names stay readable.
    canvas.parentElement.style.height = Math.max(220, 56 + data.branches.length * 34) + "px";
    canvas.parentElement.hidden = false;
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.branches,
        datasets: data.series.map(function (s) {
          return { label: s.label, data: s.counts, backgroundColor: COLOURS[s.flag] || "#999", borderWidth: 0, maxBarThickness: 28 };
        }),
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: true },
        },
        plugins: {
          legend: { position: "top" },
          tooltip: { mode: "index", intersect: false },
        },
      },
    });
    canvas.setAttribute("data-chart-ready", "1");
    window.pbFlagChart = chart;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
