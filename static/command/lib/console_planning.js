// The console's share of deployment planning (issue 17), beside the live console:
// - the move-up panel (动态补位, console_moveup.js): filled from GET /api/v1/move-ups/ when the page
//   opens and from every `coverage.moveup` event after; one click orders a move;
// - the platforms' markers: an accepted plan's `platform.moved` puts the platform at its stand.
// LiveConsole hears the feed; this wraps its apply() rather than adding to it, so the live console
// stays one module and these events stay here. Export only: the console's entry module wires it.
//
//   new ConsolePlanning(live, platformMarkers, panel, count)
//     live             the LiveConsole (its apply() is wrapped; its labels.moveup words are used)
//     platformMarkers  {byId: Map(platform id -> Leaflet marker)} as map.js drawMarkers returns, or null
//     panel            the element the move-ups are drawn in
//     count            an element showing how many are open, or null

import { api } from "./api.js";
import { renderMoveUps } from "./console_moveup.js";

export class ConsolePlanning {
  constructor(live, platformMarkers, panel, count) {
    Object.assign(this, { live, platformMarkers, panel, count });
    this.whole = false;  // a city-wide event was heard: a district's partial one then adds nothing
    const apply = live.apply.bind(live);
    live.apply = (message) => {
      apply(message);
      this.heard(message);
    };
    this.load();
  }

  async load() {
    try {
      const rows = await api("/api/v1/move-ups/?page_size=50");
      if (!this.heardAny) this.show(rows);
    } catch (error) { /* the next coverage.moveup event fills the panel */ }
  }

  heard({ event, data } = {}) {
    if (event === "coverage.moveup") {
      if (data.partial && this.whole) return;
      this.whole ||= !data.partial;
      this.heardAny = true;
      this.show(data);
    } else if (event === "platform.moved") {
      this.platformMoved(data);
    }
  }

  show(suggestions) {
    const rows = renderMoveUps(this.panel, this.live, suggestions);
    if (this.count) this.count.textContent = String(rows.filter((row) => row.status === "open").length);
  }

  platformMoved(platform) {
    const marker = this.platformMarkers?.byId.get(platform.id);
    if (!marker) return;
    marker.setLatLng([platform.lat, platform.lon]);
    const element = marker.getElement();
    if (element) element.dataset.stand = platform.stand ? platform.stand.code : "";
    document.body.dataset.platformMoved = `${platform.code}:${platform.stand ? platform.stand.code : ""}`;
  }
}
