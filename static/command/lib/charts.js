// The briefing's charts with Apache ECharts (vendored: the global `echarts`, a deferred classic script
// the page loads first; read when a chart is drawn, never at import).

const SERIES_COLOURS = Object.freeze(["#1565c0", "#90a4ae", "#ef6c00"]);

function chart(element) {
  const drawn = window.echarts.init(element, null, { renderer: "svg" });
  window.addEventListener("resize", () => drawn.resize());
  return drawn;
}

export function categoryChart(element, rows, names) {
  const drawn = chart(element);
  drawn.setOption({
    animation: false, color: SERIES_COLOURS, tooltip: { trigger: "axis" }, legend: { top: 0 },
    grid: { left: 40, right: 10, top: 30, bottom: 60 },
    xAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [["value", names.now], ["previous", names.previous], ["last_year", names.lastYear]]
      .map(([key, name]) => ({ name, type: "bar", data: rows.map((r) => r[key]) })),
  });
  return drawn;
}

export function hourOfWeekChart(element, grid, weekdays) {
  const drawn = chart(element);
  const data = grid.flatMap((hours, day) => hours.map((n, hour) => [hour, day, n]));
  drawn.setOption({
    animation: false, tooltip: { position: "top" }, grid: { left: 60, right: 10, top: 10, bottom: 60 },
    xAxis: { type: "category", data: [...Array(24).keys()].map((h) => String(h).padStart(2, "0")) },
    yAxis: { type: "category", data: weekdays, inverse: true },
    visualMap: { min: 0, max: Math.max(1, ...data.map((d) => d[2])), orient: "horizontal", left: "center", bottom: 0,
                 calculable: true, inRange: { color: ["#e3f2fd", "#1565c0"] } },
    series: [{ type: "heatmap", data, emphasis: { itemStyle: { borderColor: "#000" } } }],
  });
  return drawn;
}

export function responseChart(element, response, labels) {
  const drawn = chart(element);
  const classes = Object.keys(labels);
  drawn.setOption({
    animation: false, color: SERIES_COLOURS, tooltip: { trigger: "axis" },
    grid: { left: 40, right: 10, top: 10, bottom: 40 },
    xAxis: { type: "category", data: classes.map((c) => labels[c]) },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", data: classes.map((c) => (response[c].share_within_target == null ? null
      : Math.round(response[c].share_within_target * 1000) / 10)) }],
  });
  return drawn;
}
