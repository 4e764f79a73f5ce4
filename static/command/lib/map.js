// The map pieces the console, the supervisor's map and the coverage page draw with: the served
// area over a basemap, zones, platforms, incidents, key sites and must-patrol points.
// Leaflet (the global L) is a classic script the page loads first; it is read when a function runs,
// never at import.

import { roadBasemap } from "./basemap.js";
import { escapeHtml } from "./dom.js";

export const PRIORITY_COLOURS = Object.freeze({ 1: "#c62828", 2: "#ef6c00", 3: "#1565c0", 4: "#546e7a" });
const ZONE_COLOURS = Object.freeze({ city_centre: "#6a1b9a", other: "#2e7d32" });

export function createMap(element, servedArea, basemap = null) {
  const map = L.map(element, { zoomControl: true, preferCanvas: true });
  const [minLon, minLat, maxLon, maxLat] = servedArea;
  map.fitBounds([[minLat, minLon], [maxLat, maxLon]]);
  addBasemap(map, element, basemap);
  L.rectangle([[minLat, minLon], [maxLat, maxLon]], { color: "#455a64", weight: 1, fill: false, interactive: false })
    .addTo(map);
  return map;
}

// A configured tile server (an internal GIS) wins; else our own road tiles, which need no internet.
function addBasemap(map, element, basemap) {
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  } else if (basemap) {
    roadBasemap(basemap).addTo(map);
    element.classList.add("has-basemap");
  }
}

export function drawZones(map, zones) {
  const layer = L.layerGroup().addTo(map);
  for (const zone of zones) {
    const colour = ZONE_COLOURS[zone.response_class] || ZONE_COLOURS.other;
    L.geoJSON(zone.polygon, { style: { color: colour, weight: 1, fillOpacity: 0.06 } })
      .bindTooltip(`${escapeHtml(zone.code)} ${escapeHtml(zone.name)}`)
      .addTo(layer);
  }
  return layer;
}

export function platformMarker(platform) {
  const icon = L.divIcon({
    className: `platform-marker${platform.mobile ? "" : " fixed"}`,
    html: `<span>${escapeHtml(platform.code)}</span>`,
    iconSize: [44, 22],
  });
  return L.marker([platform.lat, platform.lon], { icon, title: `${platform.code} ${platform.name}`, keyboard: true })
    .bindPopup(`<strong>${escapeHtml(platform.name)}</strong><br>${escapeHtml(platform.district)}`);
}

export function incidentMarker(incident) {
  const colour = PRIORITY_COLOURS[incident.priority] || PRIORITY_COLOURS[4];
  return L.circleMarker([incident.lat, incident.lon], {
    radius: incident.priority === 1 ? 9 : 7, color: incident.at_risk ? "#000" : colour, weight: incident.at_risk ? 3 : 1,
    fillColor: colour, fillOpacity: 0.85,
  }).bindTooltip(`${escapeHtml(incident.number)} · ${escapeHtml(incident.category)} · ${escapeHtml(incident.status)}`);
}

// Markers are kept by id so that an update can move or restyle the one it names.
export function drawMarkers(map, rows, makeMarker) {
  const layer = L.layerGroup().addTo(map);
  const byId = new Map();
  for (const row of rows) {
    const marker = makeMarker(row).addTo(layer);
    byId.set(row.id, marker);
  }
  return { layer, byId };
}

// Must-patrol points (必巡点) as small squares, their names on hover.
export function drawPatrolPoints(map, points) {
  for (const point of points) {
    L.marker([point.lat, point.lon], {
      icon: L.divIcon({ className: "patrol-point-marker", iconSize: [8, 8] }), keyboard: false,
    }).bindTooltip(`${escapeHtml(point.code)} ${escapeHtml(point.name)}`).addTo(map);
  }
}

export function drawKeySites(map, sites) {
  for (const site of sites) {
    L.circle([site.lat, site.lon], { radius: site.radius_m, color: "#6a1b9a", weight: 1, fillOpacity: 0.08, dashArray: "3 3",
                                     interactive: false }).addTo(map);
  }
}

// Zones and platforms fill the view; with none, the whole served area stays in view.
export function fitScope(map, zones, platforms) {
  const bounds = L.latLngBounds([]);
  zones.eachLayer((layer) => bounds.extend(layer.getBounds()));
  for (const platform of platforms) bounds.extend([platform.lat, platform.lon]);
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
}
