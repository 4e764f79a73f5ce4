// Entry module of the incident search page (/analysis/search/, templates/analysis/search.html).

import { reviewMap } from "../lib/review_map.js";
import { IncidentSearch } from "../lib/review_search.js";

function start() {
  const form = document.getElementById("search-form");
  if (!form) return null;
  const map = reviewMap("search-map");
  const search = new IncidentSearch({
    form, map, table: document.getElementById("search-results"), status: document.getElementById("search-status"),
    previous: document.getElementById("page-previous"), next: document.getElementById("page-next"),
    shown: document.getElementById("page-shown"),
  });
  const draw = document.getElementById("draw-area");
  draw.addEventListener("click", () => search.toggleDrawing(draw));
  document.getElementById("clear-area").addEventListener("click", () => search.clearArea());
  return { map, search };
}

export const searchPage = start();
