// The supervisor's live map, read-only: the console's basemap, zones and platform markers
// (console.js), its units canvas and incident markers fed by the snapshot and the console socket
// (console_live.js, live.js). The server scopes both to the login's platforms or district
// (command.live.console_scope), so nothing is filtered here.

import { createMap, drawMarkers, drawZones, platformMarker } from "./console.js";
import { LiveConsole } from "./console_live.js";
import { readJson } from "./live.js";

const L = window.L;
const LABEL_ZOOM = 13;  // a platform's few dozen units can carry their call signs at the zoom that shows its zones

function start() {
  const element = document.getElementById("supervisor-map");
  const data = readJson("supervisor-map-data");
  const labels = readJson("supervisor-labels");
  if (!element || !data || !labels || !L) return null;
  const map = createMap(element, data.served_area, data.basemap);
  const zones = drawZones(map, data.zones);
  drawMarkers(map, data.platforms, platformMarker);
  fitScope(map, zones, data.platforms);
  const live = new LiveConsole(map, labels, { readOnly: true });
  live.unitsLayer.labelZoom = LABEL_ZOOM;
  return live;
}

// Their zones and platforms fill the view; with none, the whole served area stays in view.
function fitScope(map, zones, platforms) {
  const bounds = L.latLngBounds([]);
  zones.eachLayer((layer) => bounds.extend(layer.getBounds()));
  for (const platform of platforms) bounds.extend([platform.lat, platform.lon]);
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
}

export const supervisorMap = start();
