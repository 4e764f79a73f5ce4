// The officer's tablet: the current assignment live over the unit's websocket, the four steps sent
// with the assignment's version (a stale one comes back 409 and is shown), steps taken while offline
// queued in order (kept in localStorage) and sent on reconnect, the route with its turn list, and
// the browser's position reported over the socket while the page is open.

import { LiveFeed, Versioned, api, clock, escapeHtml, readJson } from "./live.js";

const ACTIVE = new Set(["assigned", "acknowledged", "en_route", "on_scene"]);
const NEXT_STEPS = {
  assigned: ["acknowledged", "en_route", "on_scene"], acknowledged: ["en_route", "on_scene"],
  en_route: ["on_scene"], on_scene: ["cleared"],
};
const FIX_EVERY_MS = 5000;

export class Tablet {
  constructor(unitId, labels) {
    Object.assign(this, { unitId, labels, ui: labels.ui });
    this.assignments = new Versioned();
    this.incidents = new Map();
    this.messages = new Map();
    this.unit = null;
    this.offsetMs = 0;
    this.queueKey = `tablet-queue-${unitId}`;
    this.flushing = false;
    this.fixes = [];
    this.routeFor = null;
    this.route = null;
    this.position = null;
    this.element = document.getElementById("live-assignment");
    this.message = document.getElementById("tablet-message");
    setInterval(() => this.renderClock(), 1000);
    setInterval(() => this.sendFixes(), FIX_EVERY_MS);
    this.watchPosition();
    this.feed = new LiveFeed({
      socketPath: `/ws/unit/${unitId}/`, snapshotUrl: `/api/v1/units/${unitId}/snapshot`,
      onSnapshot: (snapshot) => this.load(snapshot), onEvent: (message) => this.apply(message),
      onState: (state) => this.showState(state),
    }).start();
  }

  load(snapshot) {
    this.offsetMs = Date.parse(snapshot.server_time) - Date.now();
    this.unit = snapshot.unit;
    this.renderUnit();
    if (snapshot.unit.lat != null && !this.position) this.position = { lon: snapshot.unit.lon, lat: snapshot.unit.lat };
    this.assignments.clear();
    for (const row of snapshot.assignments) {
      this.incidents.set(row.incident, row.incident_detail);
      this.assignments.offer(row);
    }
    this.messages = new Map((snapshot.messages || []).map((row) => [row.id, row]));
    this.reapplyQueue();
    this.render();
    this.renderMessages();
  }

  apply(message) {
    if (message.type === "fixes.result") { this.lastFixes = message; return; }
    const { event, data } = message;
    if (event === "assignment.created" || event === "assignment.updated") this.assignmentChanged(data);
    else if (event === "unit.status" && this.unit && data.version >= this.unit.version) {
      this.unit = { ...this.unit, ...data };
      this.renderUnit();
    }
    else if (event === "unit.message" || event === "unit.message_read") {
      this.messages.set(data.id, data);
      this.renderMessages();
    } else if (event === "incident.updated" && this.incidents.has(data.id)) {
      this.incidents.set(data.id, { ...this.incidents.get(data.id), ...data });
      this.render();
    }
  }

  async assignmentChanged(row) {
    if (!this.assignments.offer(row)) return;
    if (!this.incidents.has(row.incident)) {
      try { this.incidents.set(row.incident, await api(`/api/v1/incidents/${row.incident}/`)); } catch (error) { /* shown without details */ }
    }
    this.render();
  }

  current() {
    return [...this.assignments.values()].filter((row) => ACTIVE.has(row.status))
      .sort((a, b) => b.assigned_at.localeCompare(a.assigned_at))[0] || null;
  }

  // --- steps, with the offline queue ----------------------------------------------------------

  get queue() {
    return JSON.parse(localStorage.getItem(this.queueKey) || "[]");
  }

  set queue(entries) {
    localStorage.setItem(this.queueKey, JSON.stringify(entries));
  }

  step(status) {
    const assignment = this.current();
    if (!assignment) return;
    const disposition = status === "cleared" ? this.element.querySelector("[name=disposition]").value.trim() : "";
    if (status === "cleared" && !disposition) { this.say(this.ui.disposition, true); return; }
    // Made against the version the officer saw; each queued step counts one more.
    this.queue = [...this.queue, { assignment: assignment.id, status, disposition, expected_version: assignment.version }];
    this.assignments.set(assignment.id, { ...assignment, status, version: assignment.version + 1, pending: true });
    this.render();
    if (!this.feed.online) this.say(this.ui.queued, false);
    this.flush();
  }

  // The queue's steps shown over a fresh snapshot until the server has taken them.
  reapplyQueue() {
    for (const entry of this.queue) {
      const held = this.assignments.get(entry.assignment);
      if (held && held.version === entry.expected_version) {
        this.assignments.set(held.id, { ...held, status: entry.status, version: held.version + 1, pending: true });
      }
    }
  }

  async flush() {
    if (this.flushing || !this.feed.online) return;
    this.flushing = true;
    try {
      while (this.queue.length) {
        const [entry] = this.queue;
        try {
          const saved = await api(`/api/v1/assignments/${entry.assignment}/status`, {
            method: "POST", body: { status: entry.status, disposition: entry.disposition, expected_version: entry.expected_version },
          });
          this.queue = this.queue.slice(1);
          this.assignments.offer(saved);
          this.say(this.ui.sent, false);
        } catch (error) {
          if (!error.status) break;  // the network again: keep the queue, try on the next reconnect
          // Refused (409: the assignment moved on; 400: not valid): drop it and every later step of
          // the same assignment, tell the officer, and show the server's truth.
          this.queue = this.queue.filter((other) => other.assignment !== entry.assignment);
          this.say(`${this.ui.failed}${error.message}`, true);
          this.feed.drop();
          break;
        }
      }
    } finally {
      this.flushing = false;
      this.render();
    }
  }

  // --- position -------------------------------------------------------------------------------

  watchPosition() {
    if (!navigator.geolocation) return;
    navigator.geolocation.watchPosition((position) => {
      const { longitude: lon, latitude: lat, speed, heading, accuracy } = position.coords;
      this.position = { lon, lat };
      this.fixes.push({ lon, lat, at: new Date(position.timestamp).toISOString(), speed: speed ?? undefined,
                        bearing: Number.isFinite(heading) ? heading : undefined, accuracy: accuracy ?? undefined });
      this.fixes = this.fixes.slice(-20);
    }, () => {}, { enableHighAccuracy: true, maximumAge: 2000 });
  }

  sendFixes() {
    if (this.fixes.length && this.feed.send({ type: "fixes", fixes: this.fixes })) this.fixes = [];
  }

  async loadRoute(assignment) {
    const incident = this.incidents.get(assignment.incident);
    if (!incident || !this.position || this.routeFor === assignment.id) return;
    this.routeFor = assignment.id;
    const query = new URLSearchParams({ from_lon: this.position.lon, from_lat: this.position.lat,
                                        to_lon: incident.lon, to_lat: incident.lat });
    try {
      this.route = await api(`/api/v1/travel/route?${query}`);
    } catch (error) {
      this.route = null;
    }
    this.render();
  }

  // --- drawing --------------------------------------------------------------------------------

  render() {
    const assignment = this.current();
    if (!assignment) {
      this.element.innerHTML = `<p class="no-assignment">${escapeHtml(this.ui.no_assignment)}</p>`;
      this.element.dataset.assignment = "";
      this.element.dataset.status = "";
      return;
    }
    const incident = this.incidents.get(assignment.incident) || {};
    Object.assign(this.element.dataset, { assignment: assignment.id, status: assignment.status, version: assignment.version });
    const steps = NEXT_STEPS[assignment.status] || [];
    const names = { acknowledged: this.ui.acknowledge, en_route: this.ui.en_route, on_scene: this.ui.arrived, cleared: this.ui.clear };
    this.element.innerHTML = `
      <p class="big"><span class="badge priority priority-${incident.priority}">${escapeHtml(this.labels.priority[incident.priority] || "")}</span>
        ${escapeHtml(this.labels.category[incident.category] || "")}</p>
      <p class="address">${escapeHtml(incident.address || "")}</p>
      ${incident.description ? `<p class="notes">${escapeHtml(incident.description)}</p>` : ""}
      <p><span class="badge status-${assignment.status}">${escapeHtml(this.labels.assignment_status[assignment.status])}</span>
        ${assignment.pending ? "…" : ""} · ${escapeHtml(incident.number || "")}
        <span class="countdown" id="target-countdown"></span></p>
      <div class="steps">${steps.map((status) => `<button type="button" class="step" data-step="${status}">${escapeHtml(names[status])}</button>`).join("")}
        ${steps.includes("cleared") ? `<label>${escapeHtml(this.ui.disposition)} <input name="disposition" maxlength="300"></label>` : ""}</div>
      ${this.routeHtml(assignment)}`;
    this.element.querySelectorAll("[data-step]").forEach((button) => button.addEventListener("click", () => this.step(button.dataset.step)));
    this.renderClock();
    this.loadRoute(assignment);
  }

  routeHtml(assignment) {
    if (!this.route || this.routeFor !== assignment.id) return "";
    const turns = this.route.steps.map((step) => `<li data-type="${escapeHtml(step.type)}">
      ${escapeHtml(this.labels.manoeuvre[step.type] || step.type)}${step.modifier ? ` ${escapeHtml(this.labels.modifier[step.modifier] || step.modifier)}` : ""}
      ${escapeHtml(step.name)} · ${Math.round(step.distance_m)} m</li>`).join("");
    return `<section class="route"><h3>${escapeHtml(this.ui.route)} · ${(this.route.distance_m / 1000).toFixed(1)} km ·
      ${clock(this.route.duration_s)}</h3><h4>${escapeHtml(this.ui.turns)}</h4><ol class="turns">${turns}</ol></section>`;
  }

  // The ring's clock: from the order to this unit until it is on scene.
  renderClock() {
    const element = document.getElementById("target-countdown");
    const assignment = this.current();
    const incident = assignment && this.incidents.get(assignment.incident);
    if (!element || !incident || !incident.target_s) return;
    if (assignment.status === "on_scene") { element.textContent = this.ui.on_scene; return; }
    const left = incident.target_s - (Date.now() + this.offsetMs - Date.parse(assignment.assigned_at)) / 1000;
    element.textContent = left >= 0 ? `${this.ui.target} ${clock(left)} ${this.ui.left}` : `${clock(-left)} ${this.ui.overdue}`;
    element.classList.toggle("late", left < 0);
  }

  renderMessages() {
    const element = document.getElementById("unit-messages");
    if (!element) return;
    const rows = [...this.messages.values()].sort((a, b) => b.sent_at.localeCompare(a.sent_at));
    element.innerHTML = rows.length ? `<ol class="messages">${rows.map((row) => `
      <li data-message="${row.id}" class="${row.read_at ? "read" : "unread"}">
        <time>${new Date(row.sent_at).toLocaleTimeString("zh-CN", { hour12: false, timeZone: "Asia/Shanghai" })}</time>
        <span class="text">${escapeHtml(row.text)}</span>
        ${row.read_at ? `<span class="muted">${escapeHtml(this.ui.read)}</span>`
                      : `<button type="button" data-read="${row.id}">${escapeHtml(this.ui.mark_read)}</button>`}</li>`).join("")}</ol>`
      : `<p class="empty">${escapeHtml(this.ui.no_messages)}</p>`;
    element.querySelectorAll("[data-read]").forEach((button) => button.addEventListener("click", async () => {
      try {
        const row = await api(`/api/v1/messages/${button.dataset.read}/read`, { method: "POST", body: {} });
        this.messages.set(row.id, row);
        this.renderMessages();
      } catch (error) { this.say(`${this.ui.failed}${error.message}`, true); }
    }));
  }

  // The unit tile's status badge, drawn by the server at load, kept current.
  renderUnit() {
    const badge = document.querySelector(".unit-tile .badge.status");
    if (!badge || !this.unit) return;
    badge.className = `badge status status-${this.unit.status}`;
    badge.textContent = this.labels.unit_status[this.unit.status] || this.unit.status;
    badge.dataset.status = this.unit.status;
  }

  say(text, problem) {
    this.message.textContent = text;
    this.message.dataset.kind = problem ? "problem" : "info";
  }

  showState(state) {
    const element = document.getElementById("live-state");
    element.dataset.state = state;
    element.textContent = state === "online" ? this.ui.online : this.ui.offline;
    if (state === "online") this.flush();
  }
}

function start() {
  const data = readJson("tablet-data");
  const labels = readJson("tablet-labels");
  if (!data || !data.unit || !labels) return null;
  return new Tablet(data.unit, labels);
}

export const tablet = start();
