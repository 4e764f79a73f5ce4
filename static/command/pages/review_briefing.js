// Entry module of one briefing (/analysis/briefings/<id>/, templates/analysis/briefing.html): its charts.

import { categoryChart, hourOfWeekChart, responseChart } from "../lib/charts.js";
import { readJson } from "../lib/dom.js";

function start() {
  const figures = readJson("briefing-figures");
  const labels = readJson("briefing-labels");
  if (!figures || !labels || !window.echarts) return null;
  const charts = {
    categories: categoryChart(document.getElementById("chart-categories"), figures.by_category, labels.series),
    hours: hourOfWeekChart(document.getElementById("chart-hours"), figures.hour_of_week, labels.weekdays),
    response: responseChart(document.getElementById("chart-response"), figures.response, labels.classes),
  };
  document.querySelector(".charts").dataset.ready = "true";
  return charts;
}

export const briefingPage = start();
