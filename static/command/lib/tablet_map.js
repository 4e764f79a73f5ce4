// The map on the tablet's assignment card: the console's offline road basemap (map.js, basemap.js),
// the unit where the tablet is, the incident, and the road route between them (the same route the
// turn list is read from). It fits the unit and the scene when the job or the route changes, not on
// every fix, so that the officer's own pan and zoom are left alone meanwhile.
// Leaflet (the global L) is a classic script the page loads first; it is read when a method runs.

import { PRIORITY_COLOURS, createMap } from "./map.js";
import { escapeHtml } from "./dom.js";

const UNIT_COLOUR = "#0d47a1";

export class TabletMap {
  constructor(element, data, labels) {
    Object.assign(this, { element, data, labels });
    this.map = null;
    this.unitMarker = null;
    this.incidentMarker = null;
    this.routeLine = null;
    this.fitted = null;  // what the view was last fitted to: "assignment id/route length"
    this.shown = null;   // what show() was last given
  }

  start() {
    if (this.map || !this.element || !window.L) return;
    this.element.hidden = false;
    this.map = createMap(this.element, this.data.served_area, this.data.basemap || null);
    const area = this.data.platform_area;
    if (area) this.map.fitBounds([[area[1], area[0]], [area[3], area[2]]]);
    // The card's layout may settle after the map is made (a phone turned, the styles late): Leaflet
    // must hear of its new size, and a fit made at the wrong size is made again.
    new ResizeObserver(() => {
      this.map.invalidateSize();
      if (this.shown) {
        this.fitted = null;
        this.show(this.shown);
      }
    }).observe(this.element);
  }

  // position {lon, lat} or null; incident (with lon, lat, priority, number) or null; route or null.
  show(what) {
    this.start();
    if (!this.map) return;
    this.shown = what;
    const { position, incident, route, assignmentId } = what;
    this.unitMarker = this.place(this.unitMarker, position, () => L.circleMarker([0, 0], {
      radius: 9, color: "#fff", weight: 3, fillColor: UNIT_COLOUR, fillOpacity: 1 }).bindTooltip(this.labels.you));
    this.incidentMarker = this.place(this.incidentMarker, incident, () => L.circleMarker([0, 0], {
      radius: 10, color: "#000", weight: 2, fillColor: PRIORITY_COLOURS[incident.priority] || PRIORITY_COLOURS[4],
      fillOpacity: 0.9 }).bindTooltip(escapeHtml(incident.number || "")));
    this.drawRoute(incident ? route : null);
    this.fit(position, incident, route, assignmentId);
  }

  place(marker, where, make) {
    if (!where || where.lat == null) {
      if (marker) marker.remove();
      return null;
    }
    const held = marker || make().addTo(this.map);
    held.setLatLng([where.lat, where.lon]);
    return held;
  }

  drawRoute(route) {
    const points = route && route.geometry ? route.geometry.coordinates.map(([lon, lat]) => [lat, lon]) : [];
    if (!points.length) {
      if (this.routeLine) this.routeLine.remove();
      this.routeLine = null;
      return;
    }
    if (!this.routeLine) this.routeLine = L.polyline(points, { color: UNIT_COLOUR, weight: 6, opacity: 0.75 }).addTo(this.map);
    else this.routeLine.setLatLngs(points);
  }

  fit(position, incident, route, assignmentId) {
    const key = `${assignmentId || ""}/${route && route.geometry ? route.geometry.coordinates.length : 0}`;
    if (this.fitted === key || !(position || incident)) return;
    const bounds = L.latLngBounds([]);
    if (this.routeLine) bounds.extend(this.routeLine.getBounds());
    for (const where of [position, incident]) if (where && where.lat != null) bounds.extend([where.lat, where.lon]);
    if (!bounds.isValid() || !this.map.getSize().x) return;
    this.fitted = key;
    this.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17, animate: false });
  }
}
