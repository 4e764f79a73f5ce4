// The deployment planning page's maps: a placement (today's, or a plan's) drawn over the zones and
// key sites: each platform where it stands (and, for a plan, the line from where it is now), the
// posts held, the routes driven and the areas patrolled. Leaflet (the global L) is read when a
// function runs, never at import.

import { escapeHtml } from "./dom.js";
import { createMap, drawKeySites, drawZones, platformMarker } from "./map.js";

const COLOURS = Object.freeze({ post: "#c62828", route: "#1565c0", zone: "#2e7d32", move: "#6a1b9a" });

export function planningMap(element, data) {
  const map = createMap(element, data.served_area, data.basemap || null);
  drawZones(map, data.zones || []);
  drawKeySites(map, data.key_sites || []);
  element.dataset.ready = "true";
  return { map, layer: L.featureGroup().addTo(map) };
}

// rows: the report's `platforms` (or `today`): {code, name, mobile, from, stand, moves, tasks}
export function drawPlacement(view, rows, words) {
  view.layer.clearLayers();
  for (const row of rows) {
    const where = { lon: row.stand.lon, lat: row.stand.lat };
    platformMarker({ code: row.code, name: row.name, mobile: row.mobile, district: "", ...where })
      .bindTooltip(`${escapeHtml(row.code)} · ${escapeHtml(row.stand.code || words.here)} ${escapeHtml(row.stand.name || "")}`)
      .addTo(view.layer);
    if (row.moves) {
      L.polyline([[row.from.lat, row.from.lon], [where.lat, where.lon]], { color: COLOURS.move, dashArray: "6 4", weight: 2 })
        .addTo(view.layer);
    }
    for (const task of row.tasks) drawTask(view.layer, task, words);
  }
  if (view.layer.getLayers().length) view.map.fitBounds(view.layer.getBounds(), { padding: [20, 20], maxZoom: 15 });
}

function drawTask(layer, task, words) {
  const label = `${escapeHtml(words[task.kind] || task.kind)} ${escapeHtml(task.code)} ${escapeHtml(task.name)} ×${task.crews}`;
  const points = task.points.map(([lon, lat]) => [lat, lon]);
  if (task.kind === "route" && points.length > 1) {
    L.polyline(points, { color: COLOURS.route, weight: 4, opacity: 0.8 }).bindTooltip(label).addTo(layer);
    return;
  }
  for (const point of task.kind === "post" ? points.slice(0, 1) : points) {
    L.circleMarker(point, { radius: task.kind === "post" ? 6 : 4, color: COLOURS[task.kind] || "#333", fillOpacity: 0.8 })
      .bindTooltip(label).addTo(layer);
  }
}
