// The crew's relocation task on the tablet (动态补位, issue 17): a dispatcher ordered the unit to move
// up to a spot that restores coverage. The `unit.relocation` event on the unit's socket carries the
// destination and the road route; the card says where to and how long, and the route is drawn on the
// tablet's map. The card goes when the move ends (arrived, not carried out, or no longer needed).
// The tablet's snapshot carries the standing order, so the card comes back after a reload or a
// reconnect. Tablet.apply and Tablet.load are wrapped rather than added to. Export only: the
// tablet's entry module wires it.
//
//   new TabletRelocation(tablet, element)
//     tablet   the Tablet (tablet.js): its apply() is wrapped and its map (TabletMap) drawn on
//     element  the relocation tile; its data-drive attribute is the "{minutes} … {km}" sentence

import { escapeHtml } from "./dom.js";

const COLOUR = "#6a1b9a";

export class TabletRelocation {
  constructor(tablet, element) {
    Object.assign(this, { tablet, element });
    this.move = null;
    this.line = null;
    const apply = tablet.apply.bind(tablet);
    tablet.apply = (message) => {
      apply(message);
      if (message && message.event === "unit.relocation" && message.data.unit === tablet.unitId) {
        this.heard(message.data);
        tablet.offline.keepCopy();  // the copy an offline start opens on carries the order too
      }
    };
    // A reload or a reconnect: the snapshot carries the standing order (or none: the move ended meanwhile).
    const load = tablet.load.bind(tablet);
    tablet.load = (snapshot, options) => {
      load(snapshot, options);
      this.fromSnapshot(snapshot.relocation || null);
    };
  }

  fromSnapshot(move) {
    if (move) this.heard(move);
    else if (this.move) { this.move = null; this.clear(); }
  }

  heard(move) {
    if (this.move && this.move.move_up === move.move_up && move.version < this.move.version) return;
    this.move = move;
    if (move.status === "ordered") this.show(move);
    else this.clear();
  }

  show(move) {
    const route = move.route || {};
    const minutes = Math.max(1, Math.round((route.duration_s || 0) / 60));
    const km = ((route.distance_m || 0) / 1000).toFixed(1);
    const drive = (this.element.dataset.drive || "{minutes} min, {km} km").replace("{minutes}", minutes).replace("{km}", km);
    this.element.querySelector(".relocation-place").textContent = move.target.label || `${move.target.lat.toFixed(5)}, ${move.target.lon.toFixed(5)}`;
    this.element.querySelector(".relocation-drive").innerHTML = escapeHtml(drive);
    const due = this.element.querySelector(".relocation-due");
    due.textContent = move.due_by ? new Date(move.due_by).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "–";
    due.dateTime = move.due_by || "";
    this.element.dataset.moveUp = String(move.move_up);
    this.element.hidden = false;
    this.draw(route, move.target);
  }

  draw(route, target) {
    const map = this.tablet.map;
    map.start();
    if (!map.map || !window.L) return;
    if (this.line) this.line.remove();
    const points = route.geometry ? route.geometry.coordinates.map(([lon, lat]) => [lat, lon]) : [];
    this.line = L.layerGroup([
      L.polyline(points, { color: COLOUR, weight: 6, opacity: 0.8, dashArray: "10 6" }),
      L.circleMarker([target.lat, target.lon], { radius: 9, color: "#fff", weight: 3, fillColor: COLOUR, fillOpacity: 1 }),
    ]).addTo(map.map);
    this.element.dataset.routePoints = String(points.length);
    if (points.length) map.map.fitBounds(L.latLngBounds(points).pad(0.2));
  }

  clear() {
    this.element.hidden = true;
    this.element.dataset.moveUp = "";
    if (this.line) this.line.remove();
    this.line = null;
  }
}
