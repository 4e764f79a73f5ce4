// The dispatcher's wall map: zones, platforms and open incidents from the page's JSON script tag.
// A plain ES module with no build step; Leaflet is loaded before it as a classic script (window.L).
// Exported pieces let later modules (live updates over the websocket) move the same markers.

import { roadBasemap } from "./basemap.js";

const L = window.L;

const PRIORITY_COLOURS = { 1: "#c62828", 2: "#ef6c00", 3: "#1565c0", 4: "#546e7a" };
const ZONE_COLOURS = { city_centre: "#6a1b9a", other: "#2e7d32" };

export function readMapData(id = "console-map-data") {
  const tag = document.getElementById(id);
  return tag ? JSON.parse(tag.textContent) : null;
}

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

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = String(text ?? "");
  return span.innerHTML;
}

export function start() {
  const element = document.getElementById("console-map");
  const data = readMapData();
  if (!element || !data || !L) return null;
  const map = createMap(element, data.served_area, data.basemap);
  drawZones(map, data.zones);
  const platforms = drawMarkers(map, data.platforms, platformMarker);
  const incidents = drawMarkers(map, data.incidents, incidentMarker);
  return { map, platforms, incidents };
}

export const consoleMap = start();
