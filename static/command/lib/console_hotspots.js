// The hot-spot layer on the console's map (热点): the significant Gi* cells of the last four weeks
// (analysis.hotspots, the same analysis as the hot-spot page), drawn on demand and toggled.

import { api } from "./api.js";
import { giStyle } from "./hotspots.js";
import { drawCells } from "./review_map.js";

export class HotSpotLayer {
  constructor(map, button, ui) {
    Object.assign(this, { map, button, ui, layer: null });
    button.addEventListener("click", () => this.toggle());
  }

  async toggle() {
    if (this.layer) {
      this.layer.remove();
      this.layer = null;
      this.button.setAttribute("aria-pressed", "false");
      return;
    }
    this.button.setAttribute("aria-pressed", "true");
    try {
      const result = await api("/api/v1/analysis/hotspots");
      const label = (cell) => `${this.ui.incidents_count} ${cell.incidents}`;
      this.layer = drawCells(this.map, result.cells.filter((cell) => cell.class), giStyle, label).addTo(this.map);
      this.button.dataset.cells = this.layer.getLayers().length;
    } catch (error) {
      this.button.setAttribute("aria-pressed", "false");
      this.button.title = `${this.ui.failed}${error.message}`;
    }
  }
}
