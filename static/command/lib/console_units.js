// The unit board (警力): every unit on duty with its status, how long it has had it and why, how old
// its last position is, and the incident it is on; filtered by platform and status, found by call
// sign (the map centres on it). The command centre sets a unit available, unavailable (with the
// reason) or off duty, and sends a broadcast to a platform's units or to all; the supervisor's map
// shows the same board read-only.

import { api } from "./api.js";
import { clock } from "./clock.js";
import { escapeHtml, say } from "./dom.js";
import { STATUS_COLOURS } from "./units_layer.js";

export class UnitBoard {
  constructor(element, live, platforms = []) {
    Object.assign(this, { element, live, ui: live.ui, labels: live.labels });
    this.filter = { platform: "", status: "", sign: "" };
    element.innerHTML = `${this.controlsHtml(platforms)}<p class="board-summary"></p>
      <ul class="status-counts"></ul>${live.readOnly ? "" : this.reasonFormHtml()}
      <table class="unit-table"><tbody></tbody></table>${live.readOnly ? "" : this.broadcastHtml(platforms)}`;
    this.bindControls();
  }

  controlsHtml(platforms) {
    const platformOptions = platforms.map((p) => `<option value="${p.id}">${escapeHtml(p.code)} ${escapeHtml(p.name)}</option>`).join("");
    const statusOptions = Object.entries(this.labels.unit_status).map(([value, label]) => `<option value="${value}">${escapeHtml(label)}</option>`).join("");
    return `<form class="board-filters" role="search">
      <label>${escapeHtml(this.ui.find_unit)} <input name="sign" autocomplete="off"></label>
      <label>${escapeHtml(this.ui.platform)} <select name="platform"><option value="">${escapeHtml(this.ui.all)}</option>${platformOptions}</select></label>
      <label>${escapeHtml(this.ui.status)} <select name="status"><option value="">${escapeHtml(this.ui.all)}</option>${statusOptions}</select></label>
      <p class="form-error" role="alert"></p></form>`;
  }

  // Outside the table, which redraws as units move: what the dispatcher types here stays.
  reasonFormHtml() {
    return `<form class="unit-status-form" hidden><h3></h3>
      <label>${escapeHtml(this.ui.reason)} <input name="reason" maxlength="200" required></label>
      <p class="form-error" role="alert"></p>
      <button type="submit" class="primary">${escapeHtml(this.ui.set_unavailable)}</button>
      <button type="button" class="dismiss">${escapeHtml(this.ui.cancel)}</button></form>`;
  }

  broadcastHtml(platforms) {
    const choices = platforms.map((p) => `<option value="${p.id}">${escapeHtml(p.code)} ${escapeHtml(p.name)}</option>`).join("");
    return `<form class="broadcast-form"><h3>${escapeHtml(this.ui.broadcast)}</h3>
      <label>${escapeHtml(this.ui.to)} <select name="platform"><option value="">${escapeHtml(this.ui.all_units)}</option>${choices}</select></label>
      <label>${escapeHtml(this.ui.new_message)} <input name="text" maxlength="500" required></label>
      <p class="form-error" role="status"></p><button type="submit">${escapeHtml(this.ui.send_message)}</button></form>`;
  }

  bindControls() {
    const filters = this.element.querySelector(".board-filters");
    filters.addEventListener("input", () => {
      Object.assign(this.filter, { platform: filters.elements.platform.value, status: filters.elements.status.value,
                                   sign: filters.elements.sign.value.trim() });
      this.render();
    });
    filters.addEventListener("submit", (event) => { event.preventDefault(); this.find(filters); });
    this.element.querySelector(".broadcast-form")?.addEventListener("submit", (event) => this.broadcast(event));
    const reasonForm = this.element.querySelector(".unit-status-form");
    reasonForm?.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send(Number(reasonForm.dataset.unit), "unavailable", reasonForm.elements.reason.value.trim(), reasonForm);
    });
    reasonForm?.querySelector(".dismiss").addEventListener("click", () => { reasonForm.hidden = true; });
  }

  // Enter in the search box: the unit of that call sign (or the only match), centred on the map.
  find(filters) {
    const sign = this.filter.sign.toLowerCase();
    const matches = [...this.live.units.values()].filter((unit) => (unit.call_sign || "").toLowerCase().includes(sign));
    const unit = matches.find((row) => row.call_sign.toLowerCase() === sign) || (matches.length === 1 ? matches[0] : null);
    filters.querySelector(".form-error").textContent = unit ? "" : this.ui.no_such_unit;
    if (unit) this.live.showUnit(unit.id);
  }

  shown() {
    const { platform, status, sign } = this.filter;
    return [...this.live.units.values()]
      .filter((unit) => (!platform || String(unit.platform) === platform) && (!status || unit.status === status)
        && (!sign || (unit.call_sign || "").toLowerCase().includes(sign.toLowerCase())))
      .sort((a, b) => (a.call_sign || "").localeCompare(b.call_sign || ""));
  }

  render() {
    const units = [...this.live.units.values()];
    const counts = {};
    for (const unit of units) counts[unit.status] = (counts[unit.status] || 0) + 1;
    this.element.querySelector(".board-summary").innerHTML = `<strong>${units.length}</strong> ${escapeHtml(this.ui.units_on_duty)}
      · ${units.filter((unit) => unit.stale).length} ${escapeHtml(this.ui.stale)}`;
    this.element.querySelector(".status-counts").innerHTML = Object.entries(counts).map(([status, count]) => `<li data-status="${status}">
      <span class="dot" style="background:${STATUS_COLOURS[status] || "#999"}"></span>
      ${escapeHtml(this.labels.unit_status[status] || status)} <strong>${count}</strong></li>`).join("");
    const body = this.element.querySelector("tbody");
    body.innerHTML = this.shown().slice(0, 300).map((unit) => this.rowHtml(unit)).join("");
    body.querySelectorAll("[data-locate]").forEach((button) => button.addEventListener("click", () => this.live.showUnit(Number(button.dataset.locate))));
    body.querySelectorAll("[data-set]").forEach((button) => button.addEventListener("click", () => this.setStatus(button)));
    body.querySelectorAll("[data-incident]").forEach((link) => link.addEventListener("click", (event) => {
      event.preventDefault();
      this.live.select(Number(link.dataset.incident));
    }));
  }

  rowHtml(unit) {
    const incident = unit.incident ? this.live.incidents.get(unit.incident) : null;
    const actions = this.live.readOnly ? "" : this.actionsHtml(unit);
    return `<tr data-unit="${unit.id}" data-status="${unit.status}">
      <th scope="row"><button type="button" class="link" data-locate="${unit.id}">${escapeHtml(unit.call_sign || `#${unit.id}`)}</button></th>
      <td><span class="dot" style="background:${STATUS_COLOURS[unit.status] || "#999"}"></span>
        ${escapeHtml(this.labels.unit_status[unit.status] || unit.status)}${unit.status_reason ? `<br><span class="muted reason">${escapeHtml(unit.status_reason)}</span>` : ""}</td>
      <td class="num" data-since="${escapeHtml(unit.status_changed_at || "")}">${this.since(unit.status_changed_at)}</td>
      <td class="num${unit.stale ? " late" : ""}" data-fix="${unit.fix_at ?? ""}">${this.fixAge(unit)}</td>
      <td>${unit.incident ? `<a href="#" data-incident="${unit.incident}">${escapeHtml(incident?.number || `#${unit.incident}`)}</a>` : ""}</td>
      <td class="unit-actions">${actions}</td></tr>`;
  }

  actionsHtml(unit) {
    const buttons = [];
    if (unit.status === "unavailable" || unit.status === "off_duty") buttons.push(["available", this.ui.set_available]);
    if (unit.status === "available") buttons.push(["unavailable", this.ui.set_unavailable], ["off_duty", this.ui.set_off_duty]);
    if (unit.status === "unavailable") buttons.push(["off_duty", this.ui.set_off_duty]);
    return buttons.map(([status, label]) => `<button type="button" data-set="${status}" data-unit="${unit.id}">${escapeHtml(label)}</button>`).join("");
  }

  since(iso) {
    return iso ? clock((this.live.feed.now() - Date.parse(iso)) / 1000) : "";
  }

  fixAge(unit) {
    if (unit.fix_at == null) return escapeHtml(this.ui.no_fix);
    const at = typeof unit.fix_at === "number" ? unit.fix_at : Date.parse(unit.fix_at);
    return `${clock((this.live.feed.now() - at) / 1000)}`;
  }

  renderClocks() {
    this.element.querySelectorAll("[data-since]").forEach((cell) => { cell.textContent = this.since(cell.dataset.since); });
  }

  // Unavailable asks why (shown on the board and the supervisor's map); the server refuses a unit on a job.
  setStatus(button) {
    const unit = Number(button.dataset.unit);
    if (button.dataset.set !== "unavailable") {
      this.send(unit, button.dataset.set, "", this.element.querySelector(".board-filters"));
      return;
    }
    const form = this.element.querySelector(".unit-status-form");
    form.dataset.unit = unit;
    form.querySelector("h3").textContent = `${this.live.units.get(unit)?.call_sign || `#${unit}`} · ${this.ui.set_unavailable}`;
    form.elements.reason.value = "";
    form.hidden = false;
    form.elements.reason.focus();
  }

  async send(unitId, status, reason, form) {
    try {
      const unit = await api(`/api/v1/units/${unitId}/status`, { method: "POST", body: { status, reason } });
      this.live.unitChanged(unit);
      if (form.classList.contains("unit-status-form")) form.hidden = true;
      form.querySelector(".form-error").textContent = "";
    } catch (error) {
      say(form, `${this.ui.failed}${error.message}`, false);
    }
  }

  async broadcast(event) {
    event.preventDefault();
    const form = event.target;
    const platform = form.elements.platform.value;
    try {
      await api("/api/v1/broadcasts", { method: "POST", body: { text: form.elements.text.value, platform: platform ? Number(platform) : null } });
      form.elements.text.value = "";
      say(form, this.ui.sent, true);
    } catch (error) {
      say(form, `${this.ui.failed}${error.message}`, false);
    }
  }
}
