// Entry module of the supervisor's page (/supervisor/, templates/command/supervisor.html): the
// console's basemap, zones and platform markers, with its units canvas and incident markers fed by
// the snapshot and the console socket, read-only. The server scopes both to the login's platforms
// or district (command.live.console_scope), so nothing is filtered here.

import { readJson } from "../lib/dom.js";
import { ControlPointForm } from "../lib/control_point_form.js";
import { LiveConsole } from "../lib/live_console.js";
import { createMap, drawMarkers, drawZones, fitScope, platformMarker } from "../lib/map.js";

const LABEL_ZOOM = 13;  // a platform's few dozen units can carry their call signs at the zoom that shows its zones

function start() {
  const element = document.getElementById("supervisor-map");
  const data = readJson("supervisor-map-data");
  const labels = readJson("supervisor-labels");
  if (!element || !data || !labels || !window.L) return null;
  const map = createMap(element, data.served_area, data.basemap);
  const zones = drawZones(map, data.zones);
  drawMarkers(map, data.platforms, platformMarker);
  fitScope(map, zones, data.platforms);
  const live = new LiveConsole(map, labels, { readOnly: true });
  live.unitsLayer.labelZoom = LABEL_ZOOM;
  return live;
}

export const supervisorMap = start();
// Traffic control points and road closures placed on the live map (issue 20).
export const controlPointForm = supervisorMap && document.getElementById("control-form")
  ? new ControlPointForm(supervisorMap.map, document.getElementById("control-form")) : null;
