// The console's live half: units on a canvas, incidents and assignment lines on the map, and the
// side panels (queue, the selected incident, calls to close, the unit board, alerts), all fed by the
// snapshot + websocket (feed.js). On the dispatcher's console a click on the map sets the new call's
// place or starts a muster; the supervisor's map (readOnly) shows the same picture without actions.
// Leaflet (the global L) is a classic script the page loads first; it is read when a method runs.

import { api } from "./api.js";
import { clock, timeLeft } from "./clock.js";
import { escapeHtml, readJson, say } from "./dom.js";
import { ALERT_SOUND, AlertSignals, renderAlerts } from "./console_alerts.js";
import { CallForm } from "./console_call.js";
import { HotSpotLayer } from "./console_hotspots.js";
import { IncidentDetail } from "./console_detail.js";
import { PanelTabs } from "./console_tabs.js";
import { UnitBoard } from "./console_units.js";
import { Versioned, openFeed, showFeedState } from "./feed.js";
import { FrameClock } from "./frame_clock.js";
import { PRIORITY_COLOURS } from "./map.js";
import { mobilizationForm } from "./mobilize.js";
import { createOfficersLayer, officerSummary } from "./officers_layer.js";
import { ACTIVE_ASSIGNMENT, OPEN_INCIDENT } from "./statuses.js";
import { createUnitsLayer } from "./units_layer.js";

const LINE_COLOURS = Object.freeze({ assigned: "#f9a825", acknowledged: "#f9a825", en_route: "#ef6c00", on_scene: "#c62828" });

export class LiveConsole {
  // readOnly (the supervisor's map): no new-incident form, no message to a unit, no alert closing;
  // panels missing from the page are skipped.
  constructor(map, labels, { readOnly = false, platforms = [] } = {}) {
    Object.assign(this, { map, labels, ui: labels.ui, readOnly });
    this.incidents = new Versioned();
    this.units = new Versioned();
    this.assignments = new Versioned();
    this.recommendations = new Map();  // incident id -> latest recommendation
    this.alerts = new Map();
    this.selected = null;
    this.ownCalls = new Set();         // incidents this console took: no "new call" sound for them
    this.frameClock = new FrameClock();  // both canvases drawn in one frame, its time measured whole
    this.unitsLayer = createUnitsLayer({ clock: this.frameClock }).addTo(map);
    this.officersLayer = createOfficersLayer({ unitAt: (id) => this.units.get(id), clock: this.frameClock }).addTo(map);
    this.incidentLayer = L.layerGroup().addTo(map);
    this.lineLayer = L.layerGroup().addTo(map);
    this.markers = new Map();
    this.routes = new Map();           // assignment id -> [[lon, lat], ...] of its road route
    this.panelsDue = false;
    this.timeline = { incident: null, rows: [] };
    this.attachPanels(platforms);
    map.on("click", (event) => this.clicked(event));
    setInterval(() => this.renderClocks(), 1000);
    this.feed = openFeed(this, { socketPath: "/ws/console/", snapshotUrl: "/api/v1/console/snapshot" });
  }

  // The panels the page has: the supervisor's map has no detail, call form or tabs.
  attachPanels(platforms) {
    const detail = document.getElementById("incident-detail");
    const board = document.getElementById("unit-board");
    const tabs = document.querySelector(".console-tabs");
    const callForm = document.getElementById("call-form");
    this.detail = detail ? new IncidentDetail(detail, this) : null;
    this.board = board ? new UnitBoard(board, this, platforms) : null;
    this.tabs = tabs ? new PanelTabs(tabs.parentElement) : null;
    this.callForm = callForm && !this.readOnly ? new CallForm(callForm, this) : null;
    const hotspots = document.getElementById("hotspot-toggle");
    this.hotspots = hotspots ? new HotSpotLayer(this.map, hotspots, this.ui) : null;
    const mute = document.getElementById("alert-mute");
    this.signals = mute && !this.readOnly ? new AlertSignals(readJson("console-user")?.username || "", mute) : null;
  }

  load(snapshot) {
    for (const store of [this.incidents, this.units, this.assignments]) store.clear();
    snapshot.incidents.forEach((row) => this.incidents.offer(row));
    snapshot.units.forEach((row) => this.units.offer(row));
    snapshot.assignments.forEach((row) => this.assignments.offer(row));
    this.recommendations = new Map(snapshot.recommendations.map((row) => [row.incident, row]));
    this.alerts = new Map(snapshot.alerts.map((row) => [row.id, row]));
    this.unitsLayer.replace([...this.units.values()]);
    this.officersLayer.replace(snapshot.officers || []);
    this.redrawIncidents();
    this.changed(true);
    if (this.selected) this.loadSelected(this.selected);
  }

  // The selected incident stays in view after it leaves the open set (the snapshot holds open ones only).
  async loadSelected(id) {
    try {
      const [incident, assignments] = await Promise.all([
        api(`/api/v1/incidents/${id}/`), api(`/api/v1/assignments/?incident=${id}&page_size=50`)]);
      this.incidents.offer(incident);
      (assignments.results || assignments).forEach((row) => this.assignments.offer(row));
      this.changed(true);
    } catch (error) { /* shown again on the next event */ }
  }

  apply({ event, data }) {
    const handlers = {
      "incident.created": () => { this.incidentChanged(data); this.heardNewCall(data); },
      "incident.updated": () => this.incidentChanged(data),
      "incident.recommended": () => this.recommended(data),
      "incident.noted": () => this.changed(data.incident === this.selected),
      "assignment.created": () => this.assignmentChanged(data),
      "assignment.updated": () => this.assignmentChanged(data),
      "unit.status": () => this.unitChanged(data),
      "alert.raised": () => { this.alerts.set(data.id, data); this.heardAlert(data); this.changed(); },
      "alert.closed": () => { this.alerts.delete(data.id); this.changed(); },
      "units.moved": () => this.moved(data),
      "officers.moved": () => this.officersLayer.moved(data),
    };
    if (handlers[event]) handlers[event]();
  }

  heardNewCall(incident) {
    if (this.signals && !this.ownCalls.has(incident.id)) {
      this.signals.signal("new_call", `${incident.number} ${this.labels.category[incident.category] || ""}`);
    }
  }

  heardAlert(alert) {
    if (this.signals && ALERT_SOUND[alert.kind]) this.signals.signal(ALERT_SOUND[alert.kind], alert.message);
  }

  // Open incidents and the cleared ones still to close stay; closed and cancelled ones leave the
  // console (the selected one stays in view).
  incidentChanged(row) {
    if (!this.incidents.offer(row)) return;
    if (!OPEN_INCIDENT.includes(row.status) && row.status !== "cleared" && row.id !== this.selected) this.incidents.delete(row.id);
    this.redrawIncidents();
    this.changed(row.id === this.selected);
  }

  incidentCreated(incident) {
    this.ownCalls.add(incident.id);
    this.incidents.offer(incident);
    this.redrawIncidents();
    this.select(incident.id);
  }

  recommended(row) {
    const held = this.recommendations.get(row.incident);
    if (!held || held.id <= row.id) this.recommendations.set(row.incident, row);
    this.changed(row.incident === this.selected);
  }

  assignmentChanged(row) {
    if (!this.assignments.offer(row)) return;
    if (!ACTIVE_ASSIGNMENT.includes(row.status) && row.incident !== this.selected) this.assignments.delete(row.id);
    this.changed(row.incident === this.selected);
  }

  unitChanged(row) {
    if (this.units.offer(row)) this.unitsLayer.update([this.units.get(row.id)]);
    this.changed();
  }

  assignmentsOf(incidentId) {
    return [...this.assignments.values()].filter((row) => row.incident === incidentId);
  }

  // Units a dispatcher may send now, by call sign: free, with a recent position.
  availableUnits() {
    return [...this.units.values()].filter((unit) => unit.status === "available" && !unit.stale)
      .sort((a, b) => (a.call_sign || "").localeCompare(b.call_sign || ""));
  }

  moved({ units, gone }) {
    const rows = units.map(([id, lon, lat, at, stale]) => ({ id, lon, lat, fix_at: at, stale }));
    for (const row of rows) this.units.set(row.id, { ...(this.units.get(row.id) || { id: row.id }), ...row });
    for (const id of gone) this.units.delete(id);
    this.unitsLayer.update(rows);
    this.unitsLayer.remove(gone);
    this.officersLayer.unitsMoved();
    if (this.assignments.size) this.changed();
  }

  // --- map ----------------------------------------------------------------------------------

  redrawIncidents() {
    for (const [id, marker] of this.markers) {
      if (!OPEN_INCIDENT.includes(this.incidents.get(id)?.status)) { marker.remove(); this.markers.delete(id); }
    }
    for (const incident of this.incidents.values()) {
      if (!OPEN_INCIDENT.includes(incident.status)) continue;
      const colour = PRIORITY_COLOURS[incident.priority] || PRIORITY_COLOURS[4];
      const selected = incident.id === this.selected;
      const style = { radius: selected ? 13 : incident.priority === 1 ? 10 : 8,
                      color: selected ? "#0d47a1" : incident.at_risk ? "#000" : "#fff",
                      weight: selected || incident.at_risk ? 4 : 2, fillColor: colour, fillOpacity: 0.9 };
      let marker = this.markers.get(incident.id);
      if (!marker) {
        marker = L.circleMarker([incident.lat, incident.lon], style).addTo(this.incidentLayer);
        marker.on("click", (event) => { L.DomEvent.stopPropagation(event); this.select(incident.id); });
        this.markers.set(incident.id, marker);
      }
      marker.setStyle(style);
      marker.bindTooltip(`${escapeHtml(incident.number)} · ${escapeHtml(this.labels.category[incident.category])}`);
      marker.getElement()?.setAttribute("data-incident", incident.id);
      marker.getElement()?.classList.toggle("selected-incident", selected);
      if (selected) marker.bringToFront();
    }
  }

  // Each active assignment as its road route from where the unit was when it was sent (fetched
  // once), or a straight dashed line until the route arrives or when there is none.
  redrawLines() {
    this.lineLayer.clearLayers();
    for (const assignment of this.assignments.values()) {
      if (!ACTIVE_ASSIGNMENT.includes(assignment.status)) continue;
      const unit = this.units.get(assignment.unit);
      const incident = this.incidents.get(assignment.incident);
      if (!unit || unit.lat == null || !incident) continue;
      const route = this.routes.get(assignment.id);
      const points = route ? route.map(([lon, lat]) => [lat, lon]) : [[unit.lat, unit.lon], [incident.lat, incident.lon]];
      L.polyline(points, {
        color: LINE_COLOURS[assignment.status] || "#555", weight: route ? 4 : 3, dashArray: route ? null : "6 6",
        opacity: 0.8, interactive: false,
      }).addTo(this.lineLayer);
      if (!this.routes.has(assignment.id) && assignment.status !== "on_scene") this.loadRoute(assignment.id, unit, incident);
    }
  }

  async loadRoute(id, unit, incident) {
    this.routes.set(id, null);  // asked once, whatever the answer
    const query = new URLSearchParams({ from_lon: unit.lon, from_lat: unit.lat, to_lon: incident.lon, to_lat: incident.lat });
    try {
      const route = await api(`/api/v1/travel/route?${query}`);
      if (!route.estimated) { this.routes.set(id, route.geometry.coordinates); this.changed(); }
    } catch (error) { /* the straight line stays */ }
  }

  clicked(event) {
    const unit = this.unitsLayer.nearest(event.containerPoint);
    if (unit) {
      const content = this.readOnly ? `<div class="unit-popup" data-unit="${unit.id}">${this.unitSummary(unit)}</div>` : this.unitPopup(unit);
      L.popup({ minWidth: 220 }).setLatLng([unit.lat, unit.lon]).setContent(content).openOn(this.map);
      return;
    }
    const officer = this.officersLayer.nearest(event.containerPoint);
    if (officer) {
      const content = `<div class="officer-popup" data-officer="${officer.id}">${officerSummary(officer, this.labels, escapeHtml)}</div>`;
      L.popup({ minWidth: 200 }).setLatLng([officer.lat, officer.lon]).setContent(content).openOn(this.map);
      return;
    }
    if (!this.readOnly) this.openMapActions(event.latlng);
  }

  // The unit's status and a point-to-point message to its tablet.
  unitPopup(unit) {
    const element = document.createElement("div");
    element.className = "unit-popup";
    element.dataset.unit = unit.id;
    element.innerHTML = `${this.unitSummary(unit)}
      <form class="unit-message"><label>${escapeHtml(this.ui.new_message)} <input name="text" maxlength="500" required></label>
        <button type="submit">${escapeHtml(this.ui.send_message)}</button><p class="form-error" role="status"></p></form>`;
    const form = element.querySelector("form");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api(`/api/v1/units/${unit.id}/messages`, { method: "POST", body: { text: form.elements.text.value } });
        form.elements.text.value = "";
        say(form, this.ui.sent, true);
      } catch (error) {
        say(form, `${this.ui.failed}${error.message}`, false);
      }
    });
    return element;
  }

  unitSummary(unit) {
    return `<strong>${escapeHtml(unit.call_sign)}</strong><br>${escapeHtml(this.labels.unit_status[unit.status] || "")}` +
      (unit.stale ? `<br><em>${escapeHtml(this.ui.stale)}</em>` : "");
  }

  // A click on the map: take a call here (the call form gets the point and its address) or muster here.
  openMapActions(latlng) {
    const element = document.createElement("div");
    element.className = "map-actions";
    element.innerHTML = `<button type="button" class="primary new-call">${escapeHtml(this.ui.new_incident)}</button>
      <button type="button" class="mobilize">${escapeHtml(this.ui.mobilize)}</button>`;
    const popup = L.popup({ minWidth: 200 }).setLatLng(latlng).setContent(element).openOn(this.map);
    element.querySelector(".new-call").addEventListener("click", (event) => {
      L.DomEvent.stop(event);
      this.map.closePopup(popup);
      this.tabs?.show("call");
      this.callForm?.pointAt(latlng.lng, latlng.lat);
    });
    element.querySelector(".mobilize").addEventListener("click", (event) => {
      // Stopped here: once the content is swapped the button is detached, and Leaflet would take the
      // click for one on the map (and open another popup).
      L.DomEvent.stop(event);
      this.tabs?.show("mobilization");
      popup.setContent(mobilizationForm(latlng, this.ui, document.getElementById("mobilization-panel")));
    });
  }

  // The new call's place, drawn while the form is being filled.
  markCallPoint(point) {
    this.callMarker?.remove();
    this.callMarker = point ? L.circleMarker([point.lat, point.lon], { radius: 9, color: "#0d47a1", weight: 3, dashArray: "3 3",
                                                                        fillOpacity: 0.15, interactive: false }).addTo(this.map) : null;
    if (point) this.map.panTo([point.lat, point.lon], { animate: false });
  }

  // Centre the map on a unit and open its popup (the unit board's search).
  showUnit(id) {
    const unit = this.units.get(id);
    if (!unit || unit.lat == null) return;
    this.map.setView([unit.lat, unit.lon], Math.max(this.map.getZoom(), 16), { animate: false });
    const content = this.readOnly ? `<div class="unit-popup" data-unit="${unit.id}">${this.unitSummary(unit)}</div>` : this.unitPopup(unit);
    L.popup({ minWidth: 220 }).setLatLng([unit.lat, unit.lon]).setContent(content).openOn(this.map);
  }

  // --- panels -------------------------------------------------------------------------------

  select(id) {
    this.selected = id;
    this.recommendationError = "";
    this.timeline = { incident: id, rows: [] };
    this.tabs?.show("detail");
    if (!this.incidents.has(id)) this.loadSelected(id);
    this.redrawIncidents();
    this.changed(true);
  }

  // Panels redraw at most once a frame however many events arrived; the timeline reloads when
  // an event concerned the selected incident.
  changed(timeline = false) {
    if (timeline) this.timelineDue = true;
    if (this.panelsDue) return;
    this.panelsDue = true;
    requestAnimationFrame(() => {
      this.panelsDue = false;
      this.renderPanels();
      if (this.timelineDue) { this.timelineDue = false; this.loadTimeline(); }
    });
  }

  renderPanels() {
    this.redrawLines();
    this.renderQueue();
    this.renderToClose();
    this.detail?.render(this.incidents.get(this.selected), this.timeline.rows);
    renderAlerts(this);
    this.board?.render();
  }

  // Against the target from the first order; before any order, how long the call has waited.
  countdown(incident) {
    if (incident.on_scene_at) return { text: this.ui.on_scene, late: false };
    if (incident.dispatched_at) {
      const left = incident.target_s - (this.feed.now() - Date.parse(incident.dispatched_at)) / 1000;
      return { text: timeLeft(left, this.ui), late: left < 0 };
    }
    const waited = (this.feed.now() - Date.parse(incident.received_at)) / 1000;
    return { text: `${this.ui.waited} ${clock(waited)}`, late: waited > incident.target_s };
  }

  queueGroup(incident) {
    if (incident.at_risk) return "at_risk";
    return incident.dispatched_at || incident.status === "dispatched" || incident.status === "on_scene" ? "in_progress" : "waiting";
  }

  renderQueue() {
    const groups = { waiting: [], at_risk: [], in_progress: [] };
    const sorted = [...this.incidents.values()].filter((incident) => OPEN_INCIDENT.includes(incident.status)).sort((a, b) => a.priority - b.priority || a.received_at.localeCompare(b.received_at));
    for (const incident of sorted) groups[this.queueGroup(incident)].push(incident);
    const element = document.getElementById("incident-queue");
    if (!element) return;
    element.innerHTML = Object.entries(groups).map(([name, rows]) => `
      <h3 class="queue-head">${escapeHtml(this.ui[name])} <span class="count">${rows.length}</span></h3>
      <ol class="incident-list" data-group="${name}">${rows.map((incident) => this.queueItem(incident)).join("")}</ol>`).join("");
    element.querySelectorAll("[data-incident]").forEach((item) =>
      item.addEventListener("click", () => this.select(Number(item.dataset.incident))));
  }

  // Cleared by their units and not yet closed (结警): oldest first, each a click from its close form.
  renderToClose() {
    const list = document.getElementById("to-close-list");
    if (!list) return;
    const rows = [...this.incidents.values()].filter((incident) => incident.status === "cleared")
      .sort((a, b) => a.received_at.localeCompare(b.received_at));
    document.getElementById("to-close-count").textContent = rows.length;
    list.innerHTML = rows.map((incident) => `<li class="incident priority-${incident.priority}" data-incident="${incident.id}" tabindex="0">
      <p class="incident-head"><span class="number">${escapeHtml(incident.number)}</span>
        ${escapeHtml(this.labels.category[incident.category])}</p>
      ${incident.disposition ? `<p class="incident-where">${escapeHtml(incident.disposition)}</p>` : ""}</li>`).join("");
    list.querySelectorAll("[data-incident]").forEach((item) => item.addEventListener("click", () => this.select(Number(item.dataset.incident))));
  }

  queueItem(incident) {
    const countdown = this.countdown(incident);
    return `<li class="incident priority-${incident.priority}${incident.at_risk ? " at-risk" : ""}${incident.id === this.selected ? " selected" : ""}"
        data-incident="${incident.id}" data-status="${incident.status}" tabindex="0">
      <p class="incident-head"><span class="badge priority">${escapeHtml(this.labels.priority[incident.priority])}</span>
        <span class="number">${escapeHtml(incident.number)}</span>
        <span class="countdown${countdown.late ? " late" : ""}" data-countdown="${incident.id}">${escapeHtml(countdown.text)}</span></p>
      <p class="incident-what">${escapeHtml(this.labels.category[incident.category])} ·
        <span class="status">${escapeHtml(this.labels.incident_status[incident.status])}</span></p>
      ${incident.address ? `<p class="incident-where">${escapeHtml(incident.address)}</p>` : ""}</li>`;
  }

  renderClocks() {
    this.board?.renderClocks();
    document.querySelectorAll("[data-countdown]").forEach((element) => {
      const incident = this.incidents.get(Number(element.dataset.countdown));
      if (!incident) return;
      const countdown = this.countdown(incident);
      element.textContent = countdown.text;
      element.classList.toggle("late", countdown.late);
    });
  }

  recommendationHtml(incident) {
    const recommendation = this.recommendations.get(incident.id);
    if (!recommendation) {
      return `<section class="recommendation"><p class="empty">${escapeHtml(this.ui.no_recommendation)}</p>
        <button type="button" class="recommend">${escapeHtml(this.ui.recommend)}</button></section>`;
    }
    const busy = [...this.assignments.values()].some((row) => row.incident === incident.id && ACTIVE_ASSIGNMENT.includes(row.status));
    const rows = recommendation.options.slice(0, 6).map((option) => `
      <li data-unit="${option.unit}" class="${recommendation.proposed.includes(option.unit) ? "proposed" : ""}">
        <strong>${escapeHtml(option.call_sign)}</strong> ${escapeHtml(this.ui.eta)} ${clock(option.eta_s)}
        <span class="${option.meets_target ? "meets" : "misses"}">${escapeHtml(option.meets_target ? this.ui.meets : this.ui.misses)}</span>
        ${recommendation.proposed.includes(option.unit) ? "" : `<button type="button" data-send="${option.unit}">${escapeHtml(this.ui.send_unit)}</button>`}
      </li>`).join("");
    return `<section class="recommendation" data-recommendation="${recommendation.id}">
      <ol class="options">${rows}</ol>
      ${busy || recommendation.accepted_at || recommendation.auto ? "" : `<button type="button" class="accept primary">${escapeHtml(this.ui.accept)}</button>`}
      <button type="button" class="recommend">${escapeHtml(this.ui.recommend)}</button>
      <p class="form-error" role="alert">${escapeHtml(this.recommendationError || "")}</p></section>`;
  }

  async accept(units) {
    const recommendation = this.recommendations.get(this.selected);
    try {
      const made = await api(`/api/v1/recommendations/${recommendation.id}/accept`, { method: "POST", body: units ? { units } : {} });
      made.forEach((row) => this.assignments.offer(row));
      recommendation.accepted_at = new Date().toISOString();
      this.recommendationError = "";
    } catch (error) {
      // Stale ETAs: the server ranked again; the fresh ranking replaces the old, to be accepted anew.
      if (error.body?.code === "stale" && error.body.recommendation) this.recommended(error.body.recommendation);
      this.recommendationError = error.body?.code === "stale" ? error.message : `${this.ui.failed}${error.message}`;
    }
    this.changed(true);
  }

  async recommend(id) {
    try {
      const recommendation = await api(`/api/v1/incidents/${id}/recommend`, { method: "POST", body: {} });
      if (recommendation && recommendation.incident) this.recommended(recommendation);
    } catch (error) {
      const target = document.querySelector("#incident-detail .form-error");
      if (target) target.textContent = `${this.ui.failed}${error.message}`;
    }
  }

  async loadTimeline() {
    const id = this.selected;
    if (!id || !document.getElementById("incident-detail")) return;
    try {
      const rows = await api(`/api/v1/incidents/${id}/events`);
      if (this.selected !== id) return;
      this.timeline = { incident: id, rows };
      this.renderDetail();
    } catch (error) { /* the next event about it reloads it */ }
  }

  showState(state) {
    showFeedState(state, this.ui);
  }
}
