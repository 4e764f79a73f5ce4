// The officer's tablet: the current assignment live over the unit's websocket, with its map (the unit,
// the scene, the road route) and turn list; the four steps sent with the assignment's version (a
// stale one comes back 409 and is shown); the unit's own status (available, a meal break, unavailable
// with a reason); notes on the job; an incident found on patrol reported with an optional photo;
// replies to the command centre's messages and its broadcasts read. Every action is queued in order (tablet_queue.js) and
// sent at once, or on reconnect when taken offline. The page opens offline once visited
// (tablet_offline.js: a service worker keeps the page, the snapshot and the platform's map tiles).
// The browser's position is reported over the socket while the page is open (each new fix, at most
// one message a second; a parked car's position repeated every 5 s; fixes taken offline kept, up to
// a bound, and sent in order on reconnect).

import { api } from "./api.js";
import { clock, timeLeft } from "./clock.js";
import { escapeHtml } from "./dom.js";
import { Versioned, openFeed, showFeedState } from "./feed.js";
import { ACTIVE_ASSIGNMENT } from "./statuses.js";
import { TabletMap } from "./tablet_map.js";
import { renderBroadcasts, renderMessages } from "./tablet_messages.js";
import { NotesPanel } from "./tablet_notes.js";
import { OfflineCopy } from "./tablet_offline.js";
import { keepPhoto } from "./tablet_photos.js";
import { ActionQueue, forgetPhoto, said, send } from "./tablet_queue.js";
import { OnViewForm, StatusControls } from "./tablet_forms.js";

const NEXT_STEPS = Object.freeze({
  assigned: ["acknowledged", "en_route", "on_scene"], acknowledged: ["en_route", "on_scene"],
  en_route: ["on_scene"], on_scene: ["cleared"],
});
// Position reporting (see "position" below).
const SEND_EVERY_MS = 1000;      // a moving car's fixes go out at most about once a second
const PARKED_EVERY_MS = 5000;    // a parked car's newest fix is never older than this (stale after STALE_FIX_AFTER_S)
const FIXES_KEPT = 300;          // fixes held while the socket is down: 5 minutes at 1 Hz, oldest dropped first
const FIXES_PER_MESSAGE = 50;    // well under the server's AVL_BATCH_MAX
const REPLY_WAIT_MS = 15000;     // a batch the server has not answered by then is sent again
const WATCH_RETRY_MS = 10000;    // a watch the browser ended while permitted is started again after this
const CLOCK_TRUSTED_MS = 4000;   // a tablet clock further off the server's than this is corrected

const onTheWay = (assignment) => assignment.status !== "on_scene";

export class Tablet {
  constructor(unitId, labels, data = {}) {
    Object.assign(this, { unitId, labels, ui: labels.ui });
    this.assignments = new Versioned();
    this.incidents = new Map();
    this.messages = new Map();
    this.broadcasts = new Map();
    this.unit = null;
    this.loaded = false;     // a snapshot, live or kept, is shown
    this.actions = new ActionQueue(`tablet-queue-${unitId}`);
    this.flushing = false;
    this.fixes = [];         // taken, not yet sent (oldest first)
    this.inFlight = null;    // { fixes, sentAt }: sent, not yet answered
    this.lastFixes = null;   // the server's last answer
    this.watchId = null;
    this.awaitingPermission = false;
    this.geo = "waiting";    // waiting | ok | unavailable | denied | unsupported
    this.lastAt = 0;         // the newest fix time queued (the tablet's clock, ms)
    this.routeKey = `tablet-route-${unitId}`;
    ({ assignment: this.routeFor = null, route: this.route = null } = JSON.parse(localStorage.getItem(this.routeKey) || "{}"));
    this.position = null;    // where the unit is: the tablet's own fix, else the server's last
    this.located = null;     // the tablet's own last fix {lon, lat, accuracy}: what a report or a step says
    this.element = document.getElementById("live-assignment");
    this.message = document.getElementById("tablet-message");
    this.map = new TabletMap(document.getElementById("tablet-map"), data.map || {}, this.ui);
    this.statusControls = new StatusControls(document.getElementById("unit-status-controls"), this);
    this.reportForm = new OnViewForm(document.getElementById("on-view-form"), this);
    this.notesPanel = new NotesPanel(document.getElementById("assignment-notes"), this);
    setInterval(() => this.renderClock(), 1000);
    setInterval(() => this.sendFixes(), SEND_EVERY_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.showGeo("waiting");  // Chromium pauses the watch: no repeats
      else this.watchPosition();
    });
    this.watchPosition();
    const snapshotUrl = `/api/v1/units/${unitId}/snapshot`;
    this.offline = new OfflineCopy(this, { ...data, snapshotUrl });
    this.feed = openFeed(this, { socketPath: `/ws/unit/${unitId}/`, snapshotUrl });
    this.offline.start();
  }

  load(snapshot, { kept = false } = {}) {
    this.loaded = true;
    this.unit = snapshot.unit;
    if (snapshot.unit.lat != null && !this.position) this.position = { lon: snapshot.unit.lon, lat: snapshot.unit.lat };
    this.assignments.clear();
    for (const row of snapshot.assignments) {
      this.incidents.set(row.incident, row.incident_detail);
      this.assignments.offer(row);
    }
    this.messages = new Map((snapshot.messages || []).map((row) => [row.id, row]));
    this.broadcasts = new Map((snapshot.broadcasts || []).map((row) => [row.id, row]));
    this.reapplyQueue();
    this.renderAll();
    if (kept) this.say(this.ui.offline_copy, false);
  }

  apply(message) {
    if (message.type) { this.fixesAnswered(message); return; }  // a reply: fixes.result, fixes.refused or error
    const { event, data } = message;
    if (event === "assignment.created" || event === "assignment.updated") this.assignmentChanged(data);
    else if (event === "unit.status") this.unitChanged(data);
    else if (event === "unit.message" || event === "unit.message_read") {
      this.messages.set(data.id, data);
      this.renderMessages();
    } else if (event === "broadcast.sent" || (event === "broadcast.read" && data.unit === this.unitId)) {
      this.broadcasts.set(data.id, { ...this.broadcasts.get(data.id), ...data });
      this.renderBroadcasts();
    } else if (event === "incident.noted") {
      this.notesPanel.heard(data);
    } else if (event === "incident.updated" && this.incidents.has(data.id)) {
      this.incidents.set(data.id, { ...this.incidents.get(data.id), ...data });
      this.render();
    } else return;
    this.offline.keepCopy();  // the snapshot kept for an offline start follows what the tablet shows
  }

  unitChanged(row) {
    if (!this.unit || row.version < this.unit.version) return;
    this.unit = { ...this.unit, status: row.status, status_reason: row.status_reason ?? "", version: row.version };
    this.renderUnit();
  }

  async assignmentChanged(row) {
    if (!this.assignments.offer(row)) return;
    if (!this.incidents.has(row.incident)) {
      try { this.incidents.set(row.incident, await api(`/api/v1/incidents/${row.incident}/`)); } catch (error) { /* shown without details */ }
    }
    this.render();
  }

  current() {
    return [...this.assignments.values()].filter((row) => ACTIVE_ASSIGNMENT.includes(row.status))
      .sort((a, b) => b.assigned_at.localeCompare(a.assigned_at))[0] || null;
  }

  // --- actions, through the queue ------------------------------------------------------------

  act(entry) {
    this.actions.add(entry);
    if (!this.feed.online) this.say(entry.kind === "report" ? this.ui.report_queued : this.ui.queued, false);
    this.flush();
  }

  step(status) {
    const assignment = this.current();
    if (!assignment) return;
    const disposition = status === "cleared" ? this.element.querySelector("[name=disposition]").value.trim() : "";
    if (status === "cleared" && !disposition) { this.say(this.ui.disposition, true); return; }
    // Made against the version the officer saw; each queued step counts one more. Where the tablet was
    // goes with it: an arrival reported far from the scene is marked unverified.
    this.act({ kind: "step", assignment: assignment.id, status, disposition, expected_version: assignment.version,
               ...(this.located ? { lon: this.located.lon, lat: this.located.lat } : {}) });
    this.assignments.set(assignment.id, { ...assignment, status, version: assignment.version + 1, pending: true });
    this.render();
  }

  setStatus(status, reason = "") {
    this.act({ kind: "status", status, reason });
    this.renderUnit();
  }

  // An incident found on patrol: where the tablet is, with the photo (kept in IndexedDB until sent).
  async reportOnView(fields, photo) {
    const key = `on-view-${this.unitId}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
    if (photo) await keepPhoto(key, photo);
    this.act({ kind: "report", key, photo: Boolean(photo),
               fields: { ...fields, unit: this.unitId, lon: this.located.lon, lat: this.located.lat } });
  }

  addNote(incident, text) {
    this.act({ kind: "note", incident, text });
    this.notesPanel.render();
  }

  reply(message, text) {
    this.act({ kind: "reply", message, text });
    this.renderMessages();
  }

  markRead(message) {
    this.act({ kind: "read", message });
  }

  markBroadcastRead(broadcast) {
    this.act({ kind: "broadcast_read", broadcast });
  }

  // Queued steps and status shown over a fresh snapshot until the server has taken them.
  reapplyQueue() {
    for (const entry of this.actions.of("step")) {
      const held = this.assignments.get(entry.assignment);
      if (held && held.version === entry.expected_version) {
        this.assignments.set(held.id, { ...held, status: entry.status, version: held.version + 1, pending: true });
      }
    }
  }

  // One at a time, in order; a network failure leaves the rest for the next reconnect. A refused one
  // is dropped (a step with the later steps of its assignment, made on top of it), the officer is
  // told why, and the tablet reloads the server's truth.
  async flush() {
    if (this.flushing || !this.feed.online) return;
    this.flushing = true;
    try {
      for (let entry = this.actions.entries[0]; entry; entry = this.actions.entries[0]) {
        let answer;
        try {
          answer = await send(entry, this.unitId);
        } catch (error) {
          if (error.status) this.refused(entry, error);
          break;
        }
        this.actions.done();
        forgetPhoto(entry);
        this.taken(entry, answer);
      }
    } finally {
      this.flushing = false;
      this.renderAll();
    }
  }

  refused(entry, error) {
    this.actions.done((other, first) => first.kind === "step" && other.kind === "step" && other.assignment === first.assignment);
    forgetPhoto(entry);
    this.say(`${this.ui.failed}${said(error.body) || error.message}`, true);
    this.feed.drop();
  }

  taken(entry, answer) {
    if (entry.kind === "step") this.assignments.offer(answer);
    else if (entry.kind === "status") this.unitChanged(answer);
    else if (entry.kind === "reply" || entry.kind === "read") this.messages.set(answer.id, answer);
    else if (entry.kind === "broadcast_read") this.broadcasts.set(answer.id, answer);
    else if (entry.kind === "note") this.notesPanel.heard({ ...answer, incident: entry.incident });
    else if (entry.kind === "report") {
      this.incidents.set(answer.incident.id, answer.incident);
      this.assignments.offer(answer.assignment);
      this.say(this.ui.report_sent, false);
      return;
    }
    this.say(this.ui.sent, false);
  }

  // --- position -------------------------------------------------------------------------------

  // The browser calls back when the position changes, not on a clock: a parked car may hear
  // nothing for minutes (and Chromium's emulated position is told once). So while the watch is
  // healthy and the page visible (Chromium stops a hidden page's watch), the last position is sent
  // again, with the time of sending, so that the newest fix is never older than PARKED_EVERY_MS.
  // After an error it is not: the unit goes stale on the console rather than be shown where it may
  // no longer be.
  // Offline, fixes are kept (up to FIXES_KEPT, at most one a second) and sent in order on
  // reconnect: the track they make is what patrol coverage is judged from, and the server keeps
  // the newest as the live position. One batch is in flight at a time until the server answers;
  // one lost with its socket is sent again, which is harmless: the server ignores a fix that is
  // not newer than the unit's last.

  watchPosition() {
    if (!navigator.geolocation) { this.showGeo("unsupported"); return; }
    if (this.watchId !== null || document.visibilityState === "hidden") return;
    this.watchId = navigator.geolocation.watchPosition((position) => this.fixTaken(position),
      (error) => this.fixFailed(error), { enableHighAccuracy: true, maximumAge: SEND_EVERY_MS });
  }

  fixTaken(position) {
    const { longitude: lon, latitude: lat, speed, heading, accuracy } = position.coords;
    this.position = { lon, lat };
    this.located = { lon, lat, accuracy };
    this.showGeo("ok");
    this.showOnMap();
    this.reportForm.showPosition(this.located);
    this.queueFix({ lon, lat, at: position.timestamp, speed: speed ?? undefined,
                    bearing: Number.isFinite(heading) ? heading : undefined,
                    accuracy: Number.isFinite(accuracy) ? accuracy : undefined });
  }

  fixFailed(error) {
    if (error.code === error.PERMISSION_DENIED) {
      // The browser has ended this watch for good: watch again once the officer allows it.
      navigator.geolocation.clearWatch(this.watchId);
      this.watchId = null;
      this.showGeo("denied");
      this.watchAgainWhenAllowed();
    } else {
      this.showGeo("unavailable");  // the watch goes on and its next fix makes it "ok" again
    }
  }

  // When the permission changes to granted, not on a clock: asking again while it is "prompt" would
  // put the browser's question in front of the officer every few seconds. A refusal while granted
  // (the browser's location service went away) is retried after WATCH_RETRY_MS.
  async watchAgainWhenAllowed() {
    if (this.awaitingPermission) return;
    this.awaitingPermission = true;
    let status = null;
    try { status = await navigator.permissions.query({ name: "geolocation" }); } catch (error) { /* no Permissions API */ }
    const again = () => { this.awaitingPermission = false; this.watchPosition(); };
    if (!status || status.state === "granted") { setTimeout(again, WATCH_RETRY_MS); return; }
    const changed = () => {
      if (status.state !== "granted") return;
      status.removeEventListener("change", changed);
      again();
    };
    status.addEventListener("change", changed);
  }

  // A time of the tablet's clock on the server's, as it is sent, when the tablet's clock is clearly
  // off (the server refuses fixes more than AVL_MAX_CLOCK_SKEW_S, 5 s, in the future); a smaller
  // difference may be only the snapshot's time on the network, so it is left alone.
  serverMs(deviceMs) {
    const offsetMs = this.feed.offsetMs;
    return Math.abs(offsetMs) > CLOCK_TRUSTED_MS ? deviceMs + offsetMs : deviceMs;
  }

  queueFix(fix) {
    fix.at = Math.max(fix.at, this.lastAt + 1);  // never behind one sent already: it would be ignored
    const last = this.fixes[this.fixes.length - 1];
    if (last && fix.at - last.at < SEND_EVERY_MS) this.fixes[this.fixes.length - 1] = fix;  // at most one a second
    else this.fixes.push(fix);
    if (this.fixes.length > FIXES_KEPT) this.fixes.splice(0, this.fixes.length - FIXES_KEPT);
    this.lastAt = fix.at;
  }

  sendFixes() {
    const now = Date.now();
    if (this.inFlight && now - this.inFlight.sentAt < REPLY_WAIT_MS) return;
    if (this.inFlight) this.requeueInFlight();
    if (this.handsetOnly) { this.fixes = []; return; }  // issue 16: this device is the officer's handset (handset.js)
    if (!this.feed || !this.feed.online) return;
    // Parked: still here, repeated on the last tick before the newest fix would be PARKED_EVERY_MS old.
    if (!this.fixes.length && this.geo === "ok" && this.position && document.visibilityState !== "hidden"
        && now - this.lastAt + SEND_EVERY_MS > PARKED_EVERY_MS) {
      this.queueFix({ ...this.position, at: now });
    }
    if (!this.fixes.length) return;
    const batch = this.fixes.slice(0, FIXES_PER_MESSAGE);
    const message = batch.map(({ at, ...rest }) => ({ ...rest, at: new Date(this.serverMs(at)).toISOString() }));
    if (!this.feed.send({ type: "fixes", fixes: message })) return;
    this.fixes = this.fixes.slice(batch.length);
    this.inFlight = { fixes: batch, sentAt: now };
  }

  // The server's answer to the batch in flight (one at a time, on an ordered socket; the tablet
  // sends nothing else on it). A refused batch is dropped: sending it again would be refused again.
  fixesAnswered(message) {
    this.lastFixes = message;
    this.inFlight = null;
    if (this.fixes.length >= FIXES_PER_MESSAGE) this.sendFixes();  // a backlog goes at once, the rest on the clock
  }

  requeueInFlight() {
    if (!this.inFlight) return;
    this.fixes = [...this.inFlight.fixes, ...this.fixes].slice(-FIXES_KEPT);
    this.inFlight = null;
  }

  // The watch's state for the officer; "held" is "ok" while the socket is down.
  showGeo(state = this.geo) {
    this.geo = state;
    const element = document.getElementById("geo-state");
    const shown = state === "ok" && !(this.feed && this.feed.online) ? "held" : state;
    if (!element || element.dataset.state === shown) return;
    element.dataset.state = shown;
    element.dataset.kind = state === "denied" || state === "unavailable" ? "problem" : "info";
    element.textContent = element.dataset[shown] || "";
  }

  // The road from here to the scene, for a crew still on its way (one on scene needs none).
  async loadRoute(assignment) {
    const incident = this.incidents.get(assignment.incident);
    if (!incident || !this.position || this.routeFor === assignment.id || !onTheWay(assignment)) return;
    this.routeFor = assignment.id;
    const query = new URLSearchParams({ from_lon: this.position.lon, from_lat: this.position.lat,
                                        to_lon: incident.lon, to_lat: incident.lat });
    try {
      this.route = await api(`/api/v1/travel/route?${query}`);
      localStorage.setItem(this.routeKey, JSON.stringify({ assignment: assignment.id, route: this.route }));
    } catch (error) {
      this.route = null;  // offline: the route kept for this job, if any, is gone with it; the map shows the scene
    }
    this.render();
  }

  // --- drawing --------------------------------------------------------------------------------

  renderAll() {
    this.render();
    this.renderUnit();
    this.renderMessages();
    this.renderBroadcasts();
  }

  render() {
    const assignment = this.current();
    this.reportForm.enable(!assignment);
    this.notesPanel.show(assignment ? assignment.incident : null);
    this.showOnMap();
    if (!assignment) {
      this.element.innerHTML = `<p class="no-assignment">${escapeHtml(this.ui.no_assignment)}</p>`;
      this.element.dataset.assignment = "";
      this.element.dataset.status = "";
      return;
    }
    // A live update re-draws the card: what the officer is typing as the disposition stays (it was
    // wiped, and "clear" then refused for want of one).
    const typing = this.element.querySelector("[name=disposition]");
    const typed = typing && this.element.dataset.assignment === String(assignment.id) ? typing.value : "";
    const focused = typing !== null && document.activeElement === typing;
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
    const disposition = this.element.querySelector("[name=disposition]");
    if (disposition && typed) disposition.value = typed;
    if (disposition && focused) disposition.focus();
    this.renderClock();
    this.loadRoute(assignment);
  }

  routeHtml(assignment) {
    if (!this.route || this.routeFor !== assignment.id || !onTheWay(assignment)) return "";
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
    const left = incident.target_s - (this.feed.now() - Date.parse(assignment.assigned_at)) / 1000;
    element.textContent = `${left >= 0 ? `${this.ui.target} ` : ""}${timeLeft(left, this.ui)}`;
    element.classList.toggle("late", left < 0);
  }

  // The assignment card's map: the unit, the scene and the route of the current job.
  showOnMap() {
    const assignment = this.current();
    const incident = assignment ? this.incidents.get(assignment.incident) : null;
    const route = assignment && this.routeFor === assignment.id && onTheWay(assignment) ? this.route : null;
    this.map.show({ position: this.position, incident: incident && incident.lat != null ? incident : null, route,
                    assignmentId: assignment ? assignment.id : null });
  }

  renderMessages() {
    const element = document.getElementById("unit-messages");
    if (element) renderMessages(element, this);
  }

  renderBroadcasts() {
    const element = document.getElementById("unit-broadcasts");
    if (element) renderBroadcasts(element, this);
  }

  // The unit tile: its status badge (drawn by the server at load, kept current; a status still to be
  // sent shown as it will be), the reason, and the buttons for what the crew may set now.
  renderUnit() {
    const badge = document.querySelector(".unit-tile .badge.status");
    if (!badge || !this.unit) return;
    const pending = this.actions.of("status").at(-1);
    const status = pending ? pending.status : this.unit.status;
    const reason = pending ? pending.reason : this.unit.status_reason;
    badge.className = `badge status status-${status}`;
    badge.textContent = `${this.labels.unit_status[status] || status}${pending ? " …" : ""}`;
    badge.dataset.status = status;
    badge.dataset.pending = pending ? "true" : "";
    const because = document.getElementById("unit-status-reason");
    if (because) because.textContent = status === "unavailable" && reason ? reason : "";
    this.statusControls.render(status, Boolean(this.current()));
  }

  say(text, problem) {
    this.message.textContent = text;
    this.message.dataset.kind = problem ? "problem" : "info";
  }

  showState(state) {
    showFeedState(state, this.ui);
    if (state === "online") this.flush();
    else {
      this.requeueInFlight();  // its answer will not come on this socket
      if (!this.loaded) this.offline.loadKept();  // opened offline: show what was last received
    }
    this.showGeo();
  }
}
