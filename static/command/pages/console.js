// Entry module of the dispatch console (/console/, templates/command/console.html): draws the wall
// map from the page's JSON script tags, then hands it to the live console. Exports what it started.

import { ConsolePlanning } from "../lib/console_planning.js";
import { readJson } from "../lib/dom.js";
import { LiveConsole } from "../lib/live_console.js";
import { TrafficLayers } from "../lib/traffic_layers.js";
import { createMap, drawKeySites, drawMarkers, drawPatrolPoints, drawZones, incidentMarker, platformMarker } from "../lib/map.js";

// Zones, platforms and the open incidents the page was rendered with: the map works before the feed.
function drawWallMap() {
  const element = document.getElementById("console-map");
  const data = readJson("console-map-data");
  if (!element || !data || !window.L) return null;
  const map = createMap(element, data.served_area, data.basemap);
  drawZones(map, data.zones);
  const platforms = drawMarkers(map, data.platforms, platformMarker);
  const incidents = drawMarkers(map, data.incidents, incidentMarker);
  return { map, platforms, incidents };
}

function goLive(wallMap) {
  const labels = readJson("console-labels");
  if (!wallMap || !labels) return null;
  document.getElementById("static-incidents")?.setAttribute("hidden", "");
  const data = readJson("console-map-data") || {};
  drawKeySites(wallMap.map, data.key_sites || []);
  drawPatrolPoints(wallMap.map, data.patrol_points || []);
  wallMap.incidents.layer.remove();  // the live layer draws them from now on
  return new LiveConsole(wallMap.map, labels, { platforms: data.platforms || [] });
}

export const consoleMap = drawWallMap();
export const liveConsole = goLive(consoleMap);
// Move-up suggestions and the platforms an accepted deployment plan moves (issue 17).
export const consolePlanning = liveConsole && document.getElementById("moveup-panel")
  ? new ConsolePlanning(liveConsole, consoleMap.platforms, document.getElementById("moveup-panel"),
    document.getElementById("moveup-count"))
  : null;
// Live speeds, congestion incidents with their age, control points and closures (issue 20).
export const trafficLayers = consoleMap && readJson("traffic-layer-words")
  ? new TrafficLayers(consoleMap.map, readJson("traffic-layer-words")) : null;
