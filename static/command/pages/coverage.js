// Entry module of the supervisor's coverage page (/supervisor/coverage/, templates/command/coverage.html):
// the day's must-patrol points and routes on the map, framed to fit them.

import { drawCoverage } from "../lib/coverage_map.js";
import { readJson } from "../lib/dom.js";
import { createMap } from "../lib/map.js";

function start() {
  const element = document.getElementById("coverage-map");
  const data = readJson("coverage-map-data");
  if (!element || !data || !window.L) return null;
  const map = createMap(element, data.served_area, data.basemap || null);
  const layer = drawCoverage(map, data.shifts);
  if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [20, 20] });
  element.dataset.ready = "true";
  return { map, layer };
}

export const coverageMap = start();
