// Entry module of a hot-spot patrol's page (/analysis/hotspot-patrols/<id>/): the patrol point and
// its visit radius on the map.

import { readJson } from "../lib/dom.js";
import { reviewMap } from "../lib/review_map.js";

function start() {
  const map = reviewMap("patrol-map");
  const data = readJson("patrol-data");
  if (!map || !data) return null;
  const { point } = data.patrol;
  const circle = L.circle([point.lat, point.lon], { radius: point.radius_m, color: "#c62828" }).bindTooltip(point.name).addTo(map);
  map.fitBounds(circle.getBounds(), { padding: [80, 80] });
  return { map };
}

export const patrolPage = start();
