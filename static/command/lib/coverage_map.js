// The supervisor's coverage map: must-patrol points (visited green, missed red) and routes (covered
// green, short red) of the day's shifts.

import { escapeHtml } from "./dom.js";

const DONE = "#2e7d32";
const MISSED = "#c62828";

export function drawCoverage(map, shifts) {
  const layer = L.featureGroup().addTo(map);
  for (const shift of shifts) {
    for (const route of shift.routes) {
      L.geoJSON(route.line, { style: { color: route.covered ? DONE : MISSED, weight: 5, opacity: 0.8 } })
        .bindTooltip(`${escapeHtml(route.code)} ${escapeHtml(route.name)} · ${Math.round(route.coverage * 100)}% · ${escapeHtml(shift.squad)}`)
        .addTo(layer);
    }
    for (const point of shift.points) {
      L.circleMarker([point.lat, point.lon], { radius: 7, color: point.visited ? DONE : MISSED, fillOpacity: 0.8 })
        .bindTooltip(`${escapeHtml(point.code)} ${escapeHtml(point.name)} · ${escapeHtml(shift.squad)}`)
        .addTo(layer);
    }
  }
  return layer;
}
