/* Plan dashboard: one horizontal bar chart per rate (each unit's rate against the overall rate).
   Data comes from the page through json_script (#dashboard-data); no inline scripts (CSP). */
(function () {
  "use strict";
  var holder = document.getElementById("dashboard-data");
  if (!holder || typeof Chart === "undefined") { return; }
  var data = JSON.parse(holder.textContent);
  var vn = function (value) {
    return value === null || value === undefined ? "-" : value.toFixed(1).replace(".", ",") + "%";
  };
  document.querySelectorAll("canvas.rate-chart").forEach(function (canvas) {
    var chart = data.charts[Number(canvas.dataset.chartIndex)];
    if (!chart) { return; }
    canvas.parentElement.style.height = Math.max(16, chart.units.length * 1.1) + "rem";
    var colours = chart.rates.map(function (rate) {
      return rate !== null && rate < chart.overall ? "rgba(220, 53, 69, 0.85)" : "rgba(25, 135, 84, 0.7)";
    });
    new Chart(canvas, {
      data: {
        labels: chart.units,
        datasets: [
          { type: "bar", label: "Tỷ lệ của đơn vị", data: chart.rates, backgroundColor: colours },
          { type: "line", label: "Mức chung " + vn(chart.overall), data: chart.units.map(function () { return chart.overall; }),
            borderColor: "rgba(13, 110, 253, 1)", borderDash: [6, 4], pointRadius: 0, borderWidth: 2 }
        ]
      },
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false,
        scales: { x: { min: Math.max(0, Math.floor(Math.min.apply(null, chart.rates.filter(function (r) { return r !== null; }).concat([chart.overall])) / 10) * 10), max: 100,
                       ticks: { callback: function (v) { return v + "%"; } } },
                  // Long unit names are shortened on the axis (the tooltip shows the whole name).
                  y: { ticks: { autoSkip: false, font: { size: 11 }, callback: function (value) {
                    var label = this.getLabelForValue(value);
                    return label.length > 42 ? label.slice(0, 41) + "…" : label;
                  } } } },
        plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + vn(ctx.parsed.x); } } } }
      }
    });
  });
})();
