// The console's live half: units on a canvas, incidents and assignment lines on the map, and the
// side panels (alerts, selected incident with its recommendation and timeline, queue, unit board),
// all fed by the snapshot + websocket (feed.js). Clicking the map opens a new-incident form.
// Leaflet (the global L) is a classic script the page loads first; it is read when a method runs.

import { api } from "./api.js";
import { clock, timeLeft, wallTime } from "./clock.js";
import { escapeHtml } from "./dom.js";
import { Versioned, openFeed, showFeedState } from "./feed.js";
import { PRIORITY_COLOURS } from "./map.js";
import { mobilizationForm } from "./mobilize.js";
import { ACTIVE_ASSIGNMENT, OPEN_INCIDENT } from "./statuses.js";
import { STATUS_COLOURS, createUnitsLayer } from "./units_layer.js";

const LINE_COLOURS = Object.freeze({ assigned: "#f9a825", acknowledged: "#f9a825", en_route: "#ef6c00", on_scene: "#c62828" });

export class LiveConsole {
  // readOnly (the supervisor's map): no new-incident form, no message to a unit, no alert closing;
  // panels missing from the page are skipped.
  constructor(map, labels, { readOnly = false } = {}) {
    Object.assign(this, { map, labels, ui: labels.ui, readOnly });
    this.incidents = new Versioned();
    this.units = new Versioned();
    this.assignments = new Versioned();
    this.recommendations = new Map();  // incident id -> latest recommendation
    this.alerts = new Map();
    this.selected = null;
    this.unitsLayer = createUnitsLayer().addTo(map);
    this.incidentLayer = L.layerGroup().addTo(map);
    this.lineLayer = L.layerGroup().addTo(map);
    this.markers = new Map();
    this.routes = new Map();           // assignment id -> [[lon, lat], ...] of its road route
    this.panelsDue = false;
    this.timeline = { incident: null, rows: [] };
    map.on("click", (event) => this.clicked(event));
    setInterval(() => this.renderClocks(), 1000);
    this.feed = openFeed(this, { socketPath: "/ws/console/", snapshotUrl: "/api/v1/console/snapshot" });
  }

  load(snapshot) {
    for (const store of [this.incidents, this.units, this.assignments]) store.clear();
    snapshot.incidents.forEach((row) => this.incidents.offer(row));
    snapshot.units.forEach((row) => this.units.offer(row));
    snapshot.assignments.forEach((row) => this.assignments.offer(row));
    this.recommendations = new Map(snapshot.recommendations.map((row) => [row.incident, row]));
    this.alerts = new Map(snapshot.alerts.map((row) => [row.id, row]));
    this.unitsLayer.replace([...this.units.values()]);
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
      "incident.created": () => this.incidentChanged(data),
      "incident.updated": () => this.incidentChanged(data),
      "incident.recommended": () => this.recommended(data),
      "assignment.created": () => this.assignmentChanged(data),
      "assignment.updated": () => this.assignmentChanged(data),
      "unit.status": () => this.unitChanged(data),
      "alert.raised": () => { this.alerts.set(data.id, data); this.changed(); },
      "alert.closed": () => { this.alerts.delete(data.id); this.changed(); },
      "units.moved": () => this.moved(data),
    };
    if (handlers[event]) handlers[event]();
  }

  incidentChanged(row) {
    if (!this.incidents.offer(row)) return;
    if (!OPEN_INCIDENT.includes(row.status) && row.id !== this.selected) this.incidents.delete(row.id);  // the selected one stays in view
    this.redrawIncidents();
    this.changed(row.id === this.selected);
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

  moved({ units, gone }) {
    const rows = units.map(([id, lon, lat, at, stale]) => ({ id, lon, lat, fix_at: at, stale }));
    for (const row of rows) this.units.set(row.id, { ...(this.units.get(row.id) || { id: row.id }), ...row });
    for (const id of gone) this.units.delete(id);
    this.unitsLayer.update(rows);
    this.unitsLayer.remove(gone);
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
      const style = { radius: incident.priority === 1 ? 10 : 8, color: incident.at_risk ? "#000" : "#fff",
                      weight: incident.at_risk ? 3 : 2, fillColor: colour, fillOpacity: 0.9 };
      let marker = this.markers.get(incident.id);
      if (!marker) {
        marker = L.circleMarker([incident.lat, incident.lon], style).addTo(this.incidentLayer);
        marker.on("click", (event) => { L.DomEvent.stopPropagation(event); this.select(incident.id); });
        this.markers.set(incident.id, marker);
      }
      marker.setStyle(style);
      marker.bindTooltip(`${escapeHtml(incident.number)} · ${escapeHtml(this.labels.category[incident.category])}`);
      marker.getElement()?.setAttribute("data-incident", incident.id);
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
    if (!this.readOnly) this.openNewIncident(event.latlng);
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
        form.querySelector(".form-error").textContent = this.ui.sent;
      } catch (error) {
        form.querySelector(".form-error").textContent = `${this.ui.failed}${error.message}`;
      }
    });
    return element;
  }

  unitSummary(unit) {
    return `<strong>${escapeHtml(unit.call_sign)}</strong><br>${escapeHtml(this.labels.unit_status[unit.status] || "")}` +
      (unit.stale ? `<br><em>${escapeHtml(this.ui.stale)}</em>` : "");
  }

  openNewIncident(latlng) {
    const form = document.createElement("form");
    form.className = "new-incident";
    form.dataset.key = crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
    const options = (choices) => Object.entries(choices)
      .map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`).join("");
    form.innerHTML = `<h3>${escapeHtml(this.ui.new_incident)}</h3>
      <label>${escapeHtml(this.ui.category)} <select name="category">${options(this.labels.category)}</select></label>
      <label>${escapeHtml(this.ui.priority)} <select name="priority">${options(this.labels.priority)}</select></label>
      <label>${escapeHtml(this.ui.address)} <input name="address" maxlength="200"></label>
      <label>${escapeHtml(this.ui.description)} <textarea name="description" maxlength="2000" rows="2"></textarea></label>
      <p class="form-error" role="alert"></p>
      <button type="submit">${escapeHtml(this.ui.create)}</button>
      <button type="button" class="mobilize">${escapeHtml(this.ui.mobilize)}</button>`;
    form.elements.priority.value = "3";
    const popup = L.popup({ minWidth: 240 }).setLatLng(latlng).setContent(form).openOn(this.map);
    form.querySelector(".mobilize").addEventListener("click", (event) => {
      // Stopped here: once the content is swapped the button is detached, and Leaflet would take the
      // click for one on the map (and open another form).
      L.DomEvent.stop(event);
      popup.setContent(mobilizationForm(latlng, this.ui, document.getElementById("mobilization-panel")));
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.createIncident(form, latlng, popup);
    });
  }

  async createIncident(form, latlng, popup) {
    const body = { category: form.elements.category.value, priority: Number(form.elements.priority.value),
                   address: form.elements.address.value, description: form.elements.description.value,
                   lon: Number(latlng.lng.toFixed(6)), lat: Number(latlng.lat.toFixed(6)) };
    form.querySelector("button[type=submit]").disabled = true;
    try {
      // The same key on a retry of this form: the server returns the first incident, never a second.
      const incident = await api("/api/v1/incidents/", { method: "POST", body, headers: { "Idempotency-Key": form.dataset.key } });
      this.incidents.offer(incident);
      this.redrawIncidents();
      this.map.closePopup(popup);
      this.select(incident.id);
    } catch (error) {
      form.querySelector(".form-error").textContent = `${this.ui.failed}${error.message}`;
      form.querySelector("button[type=submit]").disabled = false;
    }
  }

  // --- panels -------------------------------------------------------------------------------

  select(id) {
    this.selected = id;
    this.timeline = { incident: id, rows: [] };
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
    this.renderDetail();
    this.renderAlerts();
    this.renderBoard();
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
    document.querySelectorAll("[data-countdown]").forEach((element) => {
      const incident = this.incidents.get(Number(element.dataset.countdown));
      if (!incident) return;
      const countdown = this.countdown(incident);
      element.textContent = countdown.text;
      element.classList.toggle("late", countdown.late);
    });
  }

  renderDetail() {
    const element = document.getElementById("incident-detail");
    if (!element) return;
    const incident = this.incidents.get(this.selected);
    if (!incident) {
      element.innerHTML = `<p class="empty">${escapeHtml(this.ui.select_incident)}</p>`;
      element.dataset.incident = "";
      return;
    }
    element.dataset.incident = incident.id;
    element.dataset.status = incident.status;
    const countdown = this.countdown(incident);
    const assignments = [...this.assignments.values()].filter((row) => row.incident === incident.id);
    element.innerHTML = `
      <p class="incident-head"><span class="badge priority priority-${incident.priority}">${escapeHtml(this.labels.priority[incident.priority])}</span>
        <strong class="number">${escapeHtml(incident.number)}</strong>
        <span class="countdown${countdown.late ? " late" : ""}" data-countdown="${incident.id}">${escapeHtml(countdown.text)}</span></p>
      <p>${escapeHtml(this.labels.category[incident.category])} · <span class="status">${escapeHtml(this.labels.incident_status[incident.status])}</span>
        · ${escapeHtml(this.ui.target)} ${clock(incident.target_s)}</p>
      ${incident.address ? `<p>${escapeHtml(incident.address)}</p>` : ""}
      ${incident.description ? `<p class="muted">${escapeHtml(incident.description)}</p>` : ""}
      <ul class="assignments">${assignments.map((row) => `<li data-assignment="${row.id}" data-status="${row.status}">
        ${escapeHtml(this.units.get(row.unit)?.call_sign || `#${row.unit}`)} ·
        <span class="badge status-${row.status}">${escapeHtml(this.labels.assignment_status[row.status])}</span></li>`).join("")}</ul>
      ${this.recommendationHtml(incident)}
      <h3>${escapeHtml(this.ui.timeline)}</h3>
      <ol class="timeline">${this.timeline.rows.map((row) => `<li data-kind="${row.kind}">
        <time>${wallTime(row.at)}</time>
        ${escapeHtml(this.labels.event_kind[row.kind] || row.kind)}${row.unit ? ` · ${escapeHtml(this.units.get(row.unit)?.call_sign || "")}` : ""}</li>`).join("")}</ol>`;
    element.querySelector(".accept")?.addEventListener("click", () => this.accept(null));
    element.querySelectorAll("[data-send]").forEach((button) =>
      button.addEventListener("click", () => this.accept([Number(button.dataset.send)])));
    element.querySelector(".recommend")?.addEventListener("click", () => this.recommend(incident.id));
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
      <p class="form-error" role="alert"></p></section>`;
  }

  async accept(units) {
    const recommendation = this.recommendations.get(this.selected);
    try {
      const made = await api(`/api/v1/recommendations/${recommendation.id}/accept`, { method: "POST", body: units ? { units } : {} });
      made.forEach((row) => this.assignments.offer(row));
      recommendation.accepted_at = new Date().toISOString();
      this.changed(true);
    } catch (error) {
      document.querySelector("#incident-detail .form-error").textContent = `${this.ui.failed}${error.message}`;
    }
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

  // The engine's alerts, then units busy on a job whose position has gone stale (a quiet tablet on
  // a job is what a dispatcher must chase; quiet available units show on the board).
  renderAlerts() {
    const element = document.getElementById("alert-list");
    if (!element) return;
    const quiet = [...this.units.values()].filter((unit) => unit.stale && unit.status !== "available" && unit.status !== "off_duty");
    document.getElementById("alert-count").textContent = this.alerts.size + quiet.length;
    element.innerHTML = [...this.alerts.values()].map((alert) => `<li class="alert" data-alert="${alert.id}" data-kind="${alert.kind}">
      <span class="badge risk">${escapeHtml(this.labels.alert_kind[alert.kind] || alert.kind)}</span> ${escapeHtml(alert.message)}
      ${this.readOnly ? "" : `<button type="button" data-close="${alert.id}">${escapeHtml(this.ui.close)}</button>`}</li>`).join("") +
      quiet.slice(0, 20).map((unit) => `<li class="alert" data-kind="stale_unit" data-unit="${unit.id}">
      <span class="badge risk">${escapeHtml(this.ui.stale)}</span> ${escapeHtml(unit.call_sign || `#${unit.id}`)}</li>`).join("");
    element.querySelectorAll("[data-close]").forEach((button) => button.addEventListener("click", async () => {
      await api(`/api/v1/alerts/${button.dataset.close}/close`, { method: "POST", body: {} }).catch(() => null);
      this.alerts.delete(Number(button.dataset.close));
      this.changed();
    }));
  }

  renderBoard() {
    const counts = {};
    let stale = 0;
    for (const unit of this.units.values()) {
      counts[unit.status] = (counts[unit.status] || 0) + 1;
      if (unit.stale) stale += 1;
    }
    const busy = [...this.units.values()].filter((unit) => unit.status !== "available").slice(0, 50);
    const board = document.getElementById("unit-board");
    if (!board) return;
    board.innerHTML = `
      <p><strong>${this.units.size}</strong> ${escapeHtml(this.ui.units_on_duty)} · ${stale} ${escapeHtml(this.ui.stale)}</p>
      <ul class="status-counts">${Object.entries(counts).map(([status, count]) => `<li data-status="${status}">
        <span class="dot" style="background:${STATUS_COLOURS[status] || "#999"}"></span>
        ${escapeHtml(this.labels.unit_status[status] || status)} <strong>${count}</strong></li>`).join("")}</ul>
      <ul class="busy-units">${busy.map((unit) => `<li data-unit="${unit.id}">${escapeHtml(unit.call_sign)} ·
        ${escapeHtml(this.labels.unit_status[unit.status] || unit.status)}</li>`).join("")}</ul>`;
  }

  showState(state) {
    showFeedState(state, this.ui);
  }
}
