// The officer's traffic page (templates/command/tablet_traffic.html): the accident or congestion the
// crew is on, quick settlement signed by both parties on the pad, traffic flowing, and the enforcement
// and help records with the tablet's position. Every write goes through the Outbox (traffic_outbox.js),
// so an accident completed with no signal is sent when the connection is back.

import { api } from "./api.js";
import { escapeHtml } from "./dom.js";
import { SignaturePad } from "./signature_pad.js";
import { MAX_PHOTO_BYTES, keepPhoto, photoKind } from "./tablet_photos.js";
import { Outbox } from "./traffic_outbox.js";

const PARTIES = 2;  // quick settlement is for two parties; more go to a full accident case
const INCIDENT = (id) => `/api/v1/traffic/incidents/${id}`;

function options(select, pairs) {
  select.innerHTML = pairs.map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`).join("");
}

function newKey() {
  return window.crypto?.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function partyFieldset(position, choices, words) {
  const set = document.createElement("fieldset");
  set.className = "party";
  set.dataset.position = position;
  set.innerHTML = `<legend>${escapeHtml(words.party.replace("%(n)s", position))}</legend>
    <input name="name" maxlength="50" aria-label="name"><input name="phone" maxlength="20" inputmode="tel" aria-label="phone">
    <input name="licence_number" maxlength="30" aria-label="licence"><input name="plate" maxlength="20" aria-label="plate">
    <select name="vehicle_kind" aria-label="vehicle"></select>`;
  for (const [name, label] of Object.entries(words.party_fields || {})) set.querySelector(`[name=${name}]`).placeholder = label;
  options(set.querySelector("select"), choices.vehicle_kinds);
  return set;
}

export class TrafficPage {
  constructor(data, words) {
    Object.assign(this, { data, words, position: null, accident: null, congestion: null, pads: {} });
    this.message = document.getElementById("traffic-message");
    this.outbox = new Outbox(`traffic-outbox-${data.unit}`, {
      onSent: (entry, answer) => this.sent(entry, answer),
      onRefused: (entry, error) => this.refused(entry, error),
      onChange: (count) => this.showPending(count),
    });
    this.job = data.jobs[0] || null;
    this.fillChoices();
    this.showJob();
    this.bindRecords();
    this.showControlPoints();
    this.locate();
    this.showPending(this.outbox.length);
    this.outbox.flush();
  }

  say(text, kind = "info") {
    this.message.textContent = text;
    this.message.dataset.kind = kind;
  }

  showPending(count) {
    const pending = document.getElementById("traffic-pending");
    pending.dataset.count = count;
    pending.textContent = count ? this.words.pending.replace("%(n)s", count) : "";
  }

  fillChoices() {
    const c = this.data.choices;
    const fill = (selector, pairs) => document.querySelectorAll(selector).forEach((select) => options(select, pairs));
    fill("select[name=injuries]", c.injuries);
    fill("select[name=responsibility]", c.responsibility);
    fill("select[name=rule]", c.rules);
    fill("select[name=cause]", c.causes);
    fill("select[name=kind]", c.help_kinds);
    fill("select[name=violation_type]", c.violation_types);
    fill(".record-form select[name=vehicle_kind]", c.vehicle_kinds);
  }

  showJob() {
    const jobs = document.getElementById("traffic-jobs");
    if (!this.job) return;
    jobs.innerHTML = this.data.jobs.map((job) => `<p data-incident="${job.incident}">${escapeHtml(job.number)} · ${
      escapeHtml(job.address)}</p>`).join("");
    const tile = document.getElementById(this.job.category === "traffic_accident" ? "accident-tile" : "congestion-tile");
    tile.hidden = false;
    tile.dataset.incident = this.job.incident;
    tile.querySelector(".number").textContent = this.job.number;
    if (this.job.category === "traffic_accident") this.startAccident(); else this.startCongestion();
  }

  // --- accident and quick settlement ------------------------------------------------------------

  startAccident() {
    const form = document.getElementById("accident-form");
    const parties = form.querySelector(".parties");
    for (let n = 1; n <= PARTIES; n += 1) parties.append(partyFieldset(n, this.data.choices, this.words));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.saveAccident(form); });
    const settle = document.getElementById("settlement-form");
    const signatures = settle.querySelector(".signatures");
    for (let n = 1; n <= PARTIES; n += 1) {
      const box = document.createElement("div");
      box.className = "signature";
      box.innerHTML = `<p>${escapeHtml(this.words.party.replace("%(n)s", n))}</p>
        <canvas width="360" height="140" data-position="${n}"></canvas><button type="button">${escapeHtml(this.words.clear)}</button>`;
      signatures.append(box);
      this.pads[n] = new SignaturePad(box.querySelector("canvas"));
      box.querySelector("button").addEventListener("click", () => this.pads[n].clear());
    }
    settle.addEventListener("submit", (event) => { event.preventDefault(); this.settle(settle); });
    document.getElementById("escalate-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.send({ url: `${INCIDENT(this.job.incident)}/accident/escalate`, method: "POST",
                  body: { reason: event.target.reason.value } }, event.target);
    });
    api(`${INCIDENT(this.job.incident)}/accident`).then((accident) => this.showAccident(accident)).catch(() => {});
  }

  saveAccident(form) {
    const parties = [...form.querySelectorAll(".party")].map((set) => Object.fromEntries(
      ["name", "phone", "licence_number", "plate", "vehicle_kind"].map((name) => [name, set.querySelector(`[name=${name}]`).value])));
    const body = { injuries: form.injuries.value, lanes_blocked: Number(form.lanes_blocked.value || 0),
                   tow_requested: form.tow_requested.checked, parties };
    this.send({ url: `${INCIDENT(this.job.incident)}/accident`, method: "PUT", body }, form);
    document.getElementById("settlement-form").hidden = body.injuries !== "none";
  }

  settle(form) {
    const signatures = Object.fromEntries(Object.entries(this.pads).map(([n, pad]) => [n, pad.dataUrl()]));
    if (Object.values(signatures).some((ink) => !ink)) {
      form.querySelector(".form-error").textContent = this.words.sign_both;
      return;
    }
    const body = { responsibility: form.responsibility.value, rule: form.rule.value, agreement: form.agreement.value,
                   responsible_party: form.responsibility.value === "one" ? Number(form.responsible_party.value) : null,
                   signatures, at: new Date().toISOString() };
    this.send({ url: `${INCIDENT(this.job.incident)}/accident/settlement`, method: "POST", body }, form);
  }

  showAccident(accident) {
    this.accident = accident;
    const tile = document.getElementById("accident-tile");
    tile.dataset.status = accident.status;
    document.getElementById("settlement-form").hidden = accident.status !== "open" || accident.injuries !== "none";
    document.getElementById("escalate-form").hidden = accident.status !== "open";
    document.getElementById("accident-form").hidden = accident.status !== "open";
    const settled = tile.querySelector(".settled");
    settled.hidden = !accident.settlement;
    if (accident.settlement) settled.querySelector("a.pdf").href = accident.settlement.pdf;
  }

  // --- congestion -------------------------------------------------------------------------------

  startCongestion() {
    const form = document.getElementById("congestion-form");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send({ url: `${INCIDENT(this.job.incident)}/congestion`, method: "PUT",
                  body: { cause: form.cause.value, lanes_affected: Number(form.lanes_affected.value || 0) } }, form);
    });
    document.getElementById("flowing-button").addEventListener("click", () => this.send(
      { url: `${INCIDENT(this.job.incident)}/congestion/flowing`, method: "POST", body: { at: new Date().toISOString() } },
      form));
    api(`${INCIDENT(this.job.incident)}/congestion`).then((record) => this.showCongestion(record)).catch(() => {});
  }

  showCongestion(record) {
    const tile = document.getElementById("congestion-tile");
    tile.dataset.flowing = record.flowing_at ? "true" : "false";
    tile.querySelector(".clearance").textContent = record.clearance_s === null ? ""
      : this.words.clearance.replace("%(s)s", Math.round(record.clearance_s));
  }

  // --- control points: where the crew is posted and which roads are closed ------------------------

  async showControlPoints() {
    const list = document.getElementById("control-points");
    const points = await api("/api/v1/traffic/control-points").catch(() => null);
    if (!list || !points || !points.length) return;
    const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    list.innerHTML = points.map((p) => `<li data-point="${p.id}"${p.units.includes(this.data.unit) ? ' class="posted"' : ""}>
      <strong>${escapeHtml(p.name)}</strong> ${time(p.starts_at)}–${time(p.ends_at)}
      ${p.units.includes(this.data.unit) ? `<span class="badge">${escapeHtml(this.words.posted)}</span>` : ""}
      ${p.closures.filter((c) => !c.cancelled).map((c) => `<br><span class="closure">${escapeHtml(this.words.closed)} ${
        escapeHtml(c.road_name)} (${c.length_m} m)</span>`).join("")}</li>`).join("");
  }

  // --- enforcement and help ---------------------------------------------------------------------

  locate() {
    const shown = document.querySelector(".position");
    if (!shown || !navigator.geolocation) return;
    navigator.geolocation.watchPosition((fix) => {
      this.position = { lon: fix.coords.longitude, lat: fix.coords.latitude };
      shown.dataset.located = "true";
      shown.textContent = `${fix.coords.latitude.toFixed(5)}, ${fix.coords.longitude.toFixed(5)}`;
    }, () => {}, { enableHighAccuracy: true, maximumAge: 10_000 });
  }

  bindRecords() {
    document.querySelectorAll(".record-form").forEach((form) => form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.record(form);
    }));
  }

  async record(form) {
    const error = form.querySelector(".form-error");
    if (!this.position) { error.textContent = this.words.no_position; return; }
    const photo = form.photo?.files[0];
    if (photo && (photo.size > MAX_PHOTO_BYTES || !(await photoKind(photo)))) { error.textContent = this.words.bad_photo; return; }
    const fields = Object.fromEntries([...new FormData(form)].filter(([name, value]) => value !== "" && name !== "photo"));
    for (const name of ["measured_speed_kmh", "alcohol_mg_100ml", "people", "violation_type"]) {
      if (name in fields) fields[name] = Number(fields[name]);
    }
    const key = newKey();
    if (photo) await keepPhoto(key, photo);
    const body = { ...fields, ...this.position, unit: this.data.unit, at: new Date().toISOString() };
    this.send({ url: `/api/v1/traffic/${form.dataset.kind}`, method: "POST", body, key, photo: Boolean(photo) }, form);
  }

  // --- sending ------------------------------------------------------------------------------------

  async send(entry, form) {
    form.querySelector(".form-error") && (form.querySelector(".form-error").textContent = "");
    this.lastForm = form;
    const reached = await this.outbox.add({ ...entry, form: form.id });
    if (!reached && this.outbox.entries.some((kept) => kept.url === entry.url)) this.say(this.words.kept, "warning");
  }

  sent(entry, answer) {
    if (entry.url.includes("/accident")) {
      this.showAccident(answer);
      this.say(entry.url.endsWith("/settlement") ? this.words.settled
        : entry.url.endsWith("/escalate") ? this.words.escalated : this.words.saved);
    } else if (entry.url.includes("/congestion")) {
      this.showCongestion(answer);
      this.say(entry.url.endsWith("/flowing") ? this.words.flowing : this.words.saved);
    } else {
      const form = document.getElementById(entry.form);
      form?.reset();
      this.say(this.words.recorded);
    }
  }

  refused(entry, error) {
    const form = document.getElementById(entry.form);
    const place = form?.querySelector(".form-error");
    if (place) place.textContent = error.message; else this.say(error.message, "error");
  }
}
