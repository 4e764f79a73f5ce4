// The supervisor's coverage map: must-patrol points (visited green, missed red) and routes (covered
// green, short red) of the day's shifts, from the page's JSON script tag. Plain ES module, no build.

import { createMap, readMapData } from "./console.js";

const L = window.L;
const DONE = "#2e7d32";
const MISSED = "#c62828";

function label(text) {
  const span = document.createElement("span");
  span.textContent = String(text ?? "");
  return span.innerHTML;
}

export function drawCoverage(map, shifts) {
  const layer = L.featureGroup().addTo(map);
  for (const shift of shifts) {
    for (const route of shift.routes) {
      L.geoJSON(route.line, { style: { color: route.covered ? DONE : MISSED, weight: 5, opacity: 0.8 } })
        .bindTooltip(`${label(route.code)} ${label(route.name)} · ${Math.round(route.coverage * 100)}% · ${label(shift.squad)}`)
        .addTo(layer);
    }
    for (const point of shift.points) {
      L.circleMarker([point.lat, point.lon], { radius: 7, color: point.visited ? DONE : MISSED, fillOpacity: 0.8 })
        .bindTooltip(`${label(point.code)} ${label(point.name)} · ${label(shift.squad)}`)
        .addTo(layer);
    }
  }
  return layer;
}

export function start() {
  const element = document.getElementById("coverage-map");
  const data = readMapData("coverage-map-data");
  if (!element || !data || !L) return null;
  const map = createMap(element, data.served_area, data.basemap || null);
  const layer = drawCoverage(map, data.shifts);
  if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [20, 20] });
  element.dataset.ready = "true";
  return { map, layer };
}

export const coverageMap = start();
