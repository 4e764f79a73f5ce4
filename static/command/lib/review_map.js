// The review pages' maps: the served area over the basemap (map.js), incidents as points, H3 cells
// as hexagons, tracks as lines. Leaflet's global L is read when a function runs, never at import.

import { readJson, escapeHtml } from "./dom.js";
import { createMap, PRIORITY_COLOURS } from "./map.js";

export function reviewMap(elementId) {
  const element = document.getElementById(elementId);
  const data = readJson("review-map-data");
  if (!element || !data || !window.L) return null;
  const map = createMap(element, data.served_area, data.basemap || null);
  element.dataset.ready = "true";
  return map;
}

// Points are [id, lon, lat, priority]; a click opens the incident's trace.
export function drawIncidentPoints(map, points, traceUrl) {
  const layer = L.layerGroup();
  for (const [id, lon, lat, priority] of points) {
    const colour = PRIORITY_COLOURS[priority] || PRIORITY_COLOURS[4];
    L.circleMarker([lat, lon], { radius: 4, color: colour, weight: 1, fillColor: colour, fillOpacity: 0.7 })
      .on("click", () => { window.location.href = traceUrl(id); })
      .addTo(layer);
  }
  return layer.addTo(map);
}

// A hexagon per cell: `style(cell)` gives its colour and opacity (null: not drawn).
export function drawCells(map, cells, style, tooltip) {
  const layer = L.layerGroup();
  for (const cell of cells) {
    const look = style(cell);
    if (!look || !cell.boundary) continue;
    L.polygon(cell.boundary.map(([lon, lat]) => [lat, lon]), { weight: 1, ...look })
      .bindTooltip(escapeHtml(tooltip(cell)))
      .on("click", () => map.fire("cellclick", { cell }))
      .addTo(layer);
  }
  return layer;
}

export function drawTrack(map, track, colour) {
  const line = L.polyline(track.map(([, lon, lat]) => [lat, lon]), { color: colour, weight: 3, opacity: 0.75 });
  return line.addTo(map);
}

export const TRACK_COLOURS = Object.freeze(["#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828"]);
