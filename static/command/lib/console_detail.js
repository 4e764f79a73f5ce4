// The selected incident in the console: what it is, who called (the phone masked, revealed on demand
// and recorded), the units on it with what can be done to each (replace, recall, add a backup), the
// recommendation, the closing-out actions its status allows (cancel, close, reopen), notes and the
// timeline. The forms live in their own section, rebuilt only when the incident's state changes, so
// an event arriving while the dispatcher types never wipes what they wrote.

import { api } from "./api.js";
import { clock, wallTime } from "./clock.js";
import { escapeHtml } from "./dom.js";
import { ACTIVE_ASSIGNMENT, OPEN_INCIDENT } from "./statuses.js";
import { actionForms } from "./console_actions.js";

const CLOSED_STATES = Object.freeze(["cleared", "closed", "cancelled"]);

export class IncidentDetail {
  constructor(element, live) {
    Object.assign(this, { element, live, ui: live.ui, labels: live.labels, formsKey: null });
    element.innerHTML = `<div class="detail-body"></div><div class="detail-photos"></div><div class="detail-actions"></div>
      <div class="detail-timeline"></div>`;
  }

  render(incident, timeline) {
    if (!incident) {
      this.element.querySelector(".detail-body").innerHTML = `<p class="empty">${escapeHtml(this.ui.select_incident)}</p>`;
      this.element.querySelector(".detail-actions").innerHTML = "";
      this.element.querySelector(".detail-timeline").innerHTML = "";
      Object.assign(this.element.dataset, { incident: "", status: "" });
      this.formsKey = null;
      return;
    }
    Object.assign(this.element.dataset, { incident: incident.id, status: incident.status });
    const assignments = this.live.assignmentsOf(incident.id);
    this.element.querySelector(".detail-body").innerHTML = this.bodyHtml(incident, assignments);
    this.bindBody(incident);
    const key = `${incident.id}:${incident.status}:${assignments.filter((a) => ACTIVE_ASSIGNMENT.includes(a.status)).map((a) => `${a.id}/${a.status}`).join(",")}:${this.live.readOnly}`;
    if (key !== this.formsKey) {
      if (!this.formsKey?.startsWith(`${incident.id}:`)) this.loadPhotos(incident);
      this.formsKey = key;
      const actions = this.element.querySelector(".detail-actions");
      actions.replaceChildren(...(this.live.readOnly ? [] : actionForms(this.live, incident, assignments)));
    }
    this.element.querySelector(".detail-timeline").innerHTML = this.timelineHtml(timeline);
  }

  bodyHtml(incident, assignments) {
    const countdown = this.live.countdown(incident);
    const badges = [incident.origin === "on_view" ? `<span class="badge on-view">${escapeHtml(this.ui.on_view)}</span>` : "",
                    incident.at_risk ? `<span class="badge risk">${escapeHtml(this.ui.at_risk)}</span>` : ""].join("");
    return `
      <p class="incident-head"><span class="badge priority priority-${incident.priority}">${escapeHtml(this.labels.priority[incident.priority])}</span>
        <strong class="number">${escapeHtml(incident.number)}</strong> ${badges}
        <a class="trace" href="/analysis/incidents/${incident.id}/" target="_blank" rel="noopener">${escapeHtml(this.ui.trace)}</a>
        <span class="countdown${countdown.late ? " late" : ""}" data-countdown="${incident.id}">${escapeHtml(countdown.text)}</span></p>
      <p>${escapeHtml(this.labels.category[incident.category])} · <span class="status">${escapeHtml(this.labels.incident_status[incident.status])}</span>
        · ${escapeHtml(this.ui.target)} ${clock(incident.target_s)}</p>
      ${incident.address ? `<p class="address">${escapeHtml(incident.address)}</p>` : ""}
      ${incident.description ? `<p class="muted description">${escapeHtml(incident.description)}</p>` : ""}
      ${this.callerHtml(incident)}
      ${incident.related_to ? `<p class="related">${escapeHtml(this.ui.related_to)} <a href="#" data-select="${incident.related_to}">#${incident.related_to}</a></p>` : ""}
      ${this.outcomeHtml(incident)}
      <ul class="assignments">${assignments.map((row) => this.assignmentHtml(row)).join("")}</ul>
      ${OPEN_INCIDENT.includes(incident.status) ? this.live.recommendationHtml(incident) : ""}`;
  }

  callerHtml(incident) {
    const callers = [{ id: null, name: incident.caller_name, phone: incident.caller_phone, masked: incident.caller_phone_masked },
      ...(incident.further_callers || []).map((c) => ({ id: c.id, name: c.name, masked: c.phone_masked, notes: c.notes }))];
    const rows = callers.filter((c) => c.name || c.masked).map((c) => `<li data-caller="${c.id ?? ""}">
      ${escapeHtml(c.name || "")} <span class="phone">${escapeHtml(c.phone || c.masked || "")}</span>
      ${!c.phone && c.masked && !this.live.readOnly ? `<button type="button" class="reveal" data-reveal="${c.id ?? ""}">${escapeHtml(this.ui.show_number)}</button>` : ""}
      ${c.notes ? `<br><span class="muted">${escapeHtml(c.notes)}</span>` : ""}</li>`).join("");
    return rows ? `<ul class="callers" aria-label="${escapeHtml(this.ui.callers)}">${rows}</ul>` : "";
  }

  outcomeHtml(incident) {
    if (incident.status === "closed") {
      return `<p class="outcome">${escapeHtml(this.labels.disposition[incident.closing] || "")}${incident.result ? ` · ${escapeHtml(incident.result)}` : ""}</p>`;
    }
    if (incident.status === "cancelled") return `<p class="outcome">${escapeHtml(this.labels.cancel_reason[incident.cancel_reason] || "")}</p>`;
    return incident.disposition ? `<p class="outcome">${escapeHtml(incident.disposition)}</p>` : "";
  }

  assignmentHtml(row) {
    const unverified = row.arrival_verified === false ? ` <span class="badge unverified" title="${escapeHtml(this.ui.unverified_hint)}">${escapeHtml(this.ui.unverified)}</span>` : "";
    return `<li data-assignment="${row.id}" data-status="${row.status}">
      ${escapeHtml(this.live.units.get(row.unit)?.call_sign || `#${row.unit}`)} ·
      <span class="badge status-${row.status}">${escapeHtml(this.labels.assignment_status[row.status])}</span>${unverified}</li>`;
  }

  bindBody(incident) {
    const body = this.element.querySelector(".detail-body");
    body.querySelector(".accept")?.addEventListener("click", () => this.live.accept(null));
    body.querySelectorAll("[data-send]").forEach((button) =>
      button.addEventListener("click", () => this.live.accept([Number(button.dataset.send)])));
    body.querySelector(".recommend")?.addEventListener("click", () => this.live.recommend(incident.id));
    body.querySelectorAll("[data-select]").forEach((link) => link.addEventListener("click", (event) => {
      event.preventDefault();
      this.live.select(Number(link.dataset.select));
    }));
    body.querySelectorAll("[data-reveal]").forEach((button) => button.addEventListener("click", () => this.reveal(incident, button)));
  }

  // Photos a crew attached (an on-view report's): served by the API to those who may read the incident.
  async loadPhotos(incident) {
    const box = this.element.querySelector(".detail-photos");
    box.innerHTML = "";
    const photos = await api(`/api/v1/incidents/${incident.id}/photos`).catch(() => []);
    if (this.element.dataset.incident !== String(incident.id)) return;
    box.innerHTML = (photos.results || photos).map((photo) => `<a href="${escapeHtml(photo.url)}" target="_blank" rel="noopener">
      <img src="${escapeHtml(photo.url)}" alt="${escapeHtml(this.ui.photo)}" loading="lazy"></a>`).join("");
  }

  // The full number, for whoever must ring: the server records who read it and when.
  async reveal(incident, button) {
    const caller = button.dataset.reveal ? Number(button.dataset.reveal) : null;
    try {
      const { phone } = await api(`/api/v1/incidents/${incident.id}/reveal-phone`, { method: "POST", body: { caller } });
      button.closest("li").querySelector(".phone").textContent = phone;
      button.remove();
    } catch (error) {
      button.textContent = `${this.ui.failed}${error.message}`;
    }
  }

  timelineHtml(rows) {
    return `<h3>${escapeHtml(this.ui.timeline)}</h3><ol class="timeline">${rows.map((row) => `<li data-kind="${row.kind}">
      <time>${wallTime(row.at)}</time> ${escapeHtml(this.labels.event_kind[row.kind] || row.kind)}
      ${row.unit ? ` · ${escapeHtml(this.live.units.get(row.unit)?.call_sign || `#${row.unit}`)}` : ""}
      ${row.actor_name ? ` · <span class="actor">${escapeHtml(row.actor_name)}</span>` : ""}
      ${this.detailText(row)}</li>`).join("")}</ol>`;
  }

  // The words a person gave with the step (the engine's own reasons are for the log, not the timeline).
  detailText(row) {
    const data = row.data || {};
    const said = {
      note: data.text, caller_added: data.notes, reopened: data.reason, reassigned: data.reason, recalled: data.reason,
      cancelled: [this.labels.cancel_reason[data.reason], data.note].filter(Boolean).join(" · "),
      closed: [this.labels.disposition[data.disposition], data.result].filter(Boolean).join(" · "),
      cleared: data.disposition, related: data.number,
    }[row.kind];
    return said ? `<p class="step-detail">${escapeHtml(said)}</p>` : "";
  }

  static isClosed(incident) {
    return CLOSED_STATES.includes(incident.status);
  }
}
