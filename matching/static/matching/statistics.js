/* Draws the statistics page's charts with Chart.js from the figures the page
   carries in <script type="application/json" id="stats-charts"> (json_script):
   no inline script, so the Content-Security-Policy holds. Every label comes
   translated from the server; the tables beside the charts stay for reading. */
(function () {
  "use strict";
  var source = document.getElementById("stats-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var colours = ["#417690", "#e0a030", "#70a050"];

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var data = charts[canvas.dataset.chart];
    if (!data || !data.labels.length) { return; }
    var line = canvas.dataset.chart === "trend";
    new Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, i) {
          return {label: series.label, data: series.data, borderColor: colours[i],
                  backgroundColor: colours[i], tension: 0.2};
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {legend: {position: "bottom"}},
        scales: {y: {beginAtZero: true, ticks: {precision: 0}}}
      }
    });
  });
}());
