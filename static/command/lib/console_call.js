// Taking a 110 call (接警) in the console's "New call" tab: the caller, where (an address picked from
// the lookup, or a map click filled by reverse lookup), what and how urgent. Before it is saved the
// form shows which zone, key site and target the point falls in, and any open incident it probably
// repeats: one click attaches the call there (no unit sent) or saves it as a new incident linked as
// related. Posted with an Idempotency-Key, so a retry never makes two incidents.

import { attachAddressLookup, locatePoint, reverseLookup } from "./address_lookup.js";
import { api } from "./api.js";
import { clock } from "./clock.js";
import { bindCounter, escapeHtml } from "./dom.js";

const DUPLICATE_DELAY_MS = 300;

export class CallForm {
  constructor(form, live) {
    Object.assign(this, { form, live, ui: live.ui, point: null, related: null, timer: null });
    this.key = newKey();
    attachAddressLookup(form.elements.address, { onPick: (place) => this.placed(place.lon, place.lat, null),
                                                 labels: { empty: live.ui.no_place_found } });
    form.elements.category.addEventListener("change", () => this.checkDuplicates());
    form.addEventListener("submit", (event) => { event.preventDefault(); this.create(); });
    form.addEventListener("reset", () => setTimeout(() => this.cleared(), 0));
    bindCounter(form.elements.description);
  }

  // The map was clicked here: the address comes from the nearest junction or named place.
  async pointAt(lon, lat) {
    this.placed(lon, lat, null);
    try {
      const found = await reverseLookup(lon, lat);
      if (found?.address && !this.form.elements.address.value.trim()) this.form.elements.address.value = found.address;
    } catch (error) { /* the point stands without a name */ }
  }

  async placed(lon, lat, label) {
    this.point = { lon: Number(lon.toFixed(6)), lat: Number(lat.toFixed(6)) };
    if (label) this.form.elements.address.value = label;
    this.form.querySelector(".call-point").textContent = `${this.point.lat.toFixed(5)}, ${this.point.lon.toFixed(5)}`;
    this.live.markCallPoint(this.point);
    this.checkDuplicates();
    try {
      this.showWhere(await locatePoint(this.point.lon, this.point.lat));
    } catch (error) {
      this.showWhere(null, error.message);
    }
  }

  showWhere(where, problem = "") {
    const line = this.form.querySelector(".call-where");
    if (!where) { line.textContent = problem; line.dataset.target = ""; return; }
    const zone = where.zone ? `${where.zone.code} ${where.zone.name}` : this.ui.no_zone;
    const parts = [zone, where.key_site?.name, where.target_label || `${this.ui.target} ${clock(where.target_s)}`];
    line.textContent = parts.filter(Boolean).join(" · ");
    line.dataset.target = where.target_s;
  }

  checkDuplicates() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.loadDuplicates(), DUPLICATE_DELAY_MS);
  }

  async loadDuplicates() {
    const category = this.form.elements.category.value;
    const box = this.form.querySelector(".duplicates");
    if (!this.point || !category) { box.hidden = true; return; }
    const query = new URLSearchParams({ ...this.point, category });
    const rows = await api(`/api/v1/incidents/duplicates?${query}`).catch(() => []);
    box.hidden = rows.length === 0;
    box.querySelector(".duplicate-list").innerHTML = rows.map((row) => `<li data-duplicate="${row.id}">
      <strong>${escapeHtml(row.number)}</strong> ${escapeHtml(this.live.labels.category[row.category] || row.category)}
      · ${Math.round(row.distance_m)} m · ${escapeHtml(row.address || "")}
      <button type="button" class="attach primary" data-attach="${row.id}">${escapeHtml(this.ui.attach)}</button>
      <button type="button" class="relate" data-relate="${row.id}">${escapeHtml(this.ui.save_related)}</button></li>`).join("");
    box.querySelectorAll("[data-attach]").forEach((button) => button.addEventListener("click", () => this.attach(Number(button.dataset.attach))));
    box.querySelectorAll("[data-relate]").forEach((button) => button.addEventListener("click", () => this.create(Number(button.dataset.relate))));
  }

  body() {
    const elements = this.form.elements;
    return { category: elements.category.value, priority: Number(elements.priority.value),
             caller_name: elements.caller_name.value.trim(), caller_phone: elements.caller_phone.value.trim(),
             address: elements.address.value.trim(), description: elements.description.value.trim(),
             ...(this.point || {}) };
  }

  // Checked here too, so the dispatcher is told at once; the server checks again.
  problems(body) {
    const problems = [];
    if (!body.category) problems.push(this.ui.choose_category);
    if (!this.point && !body.address) problems.push(this.ui.choose_place);
    return problems;
  }

  async create(relatedTo = null) {
    const body = { ...this.body(), ...(relatedTo ? { related_to: relatedTo } : {}) };
    const problems = this.problems(body);
    if (problems.length) { this.fail(problems.join(" ")); return; }
    await this.send(() => api("/api/v1/incidents/", { method: "POST", body, headers: { "Idempotency-Key": this.key } }),
      (incident) => { this.live.incidentCreated(incident); });
  }

  async attach(incidentId) {
    const body = { caller_name: this.form.elements.caller_name.value.trim(), caller_phone: this.form.elements.caller_phone.value.trim(),
                   notes: this.form.elements.description.value.trim() };
    await this.send(() => api(`/api/v1/incidents/${incidentId}/callers`, { method: "POST", body }),
      (incident) => { this.live.incidents.offer(incident); this.live.select(incident.id); });
  }

  async send(request, done) {
    const buttons = [...this.form.querySelectorAll("button")];
    buttons.forEach((button) => { button.disabled = true; });
    try {
      done(await request());
      this.form.reset();
    } catch (error) {
      this.fail(`${this.ui.failed}${error.message}`);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  fail(message) {
    this.form.querySelector(".form-error").textContent = message;
  }

  cleared() {
    Object.assign(this, { point: null, key: newKey() });
    const pointLine = this.form.querySelector(".call-point");
    pointLine.textContent = pointLine.dataset.empty;
    this.showWhere(null);
    this.form.querySelector(".duplicates").hidden = true;
    this.fail("");
    this.form.elements.description.dispatchEvent(new Event("input"));
    this.live.markCallPoint(null);
  }
}

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}
