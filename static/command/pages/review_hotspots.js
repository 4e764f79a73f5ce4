// Entry module of the hot-spot page (/analysis/hotspots/, templates/analysis/hotspots.html).

import { HotSpots } from "../lib/hotspots.js";
import { reviewMap } from "../lib/review_map.js";

function start() {
  const form = document.getElementById("hotspot-form");
  const map = reviewMap("hotspot-map");
  if (!form || !map) return null;
  const params = new URLSearchParams(window.location.search);
  for (const name of ["start", "end"]) if (params.get(name)) form.elements[name].value = params.get(name);
  const page = new HotSpots({ map, form, status: document.getElementById("hotspot-status"),
                              list: document.getElementById("hotspot-list"), layers: document.querySelector("fieldset.layers"),
                              patrolForm: document.getElementById("patrol-form") });
  page.run();
  return page;
}

export const hotspotsPage = start();
