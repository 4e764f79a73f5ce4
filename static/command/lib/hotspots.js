// The hot-spot page: the analysis of the form's period, category and band as map layers (Gi* hot and
// cold spots, the smoothed density, emerging spots), each toggled; the significant spots listed, and
// for a supervisor the one-step hot-spot patrol form.

import { api } from "./api.js";
import { escapeHtml } from "./dom.js";
import { drawCells } from "./review_map.js";

const HOT = Object.freeze({ 99: "#b71c1c", 95: "#e53935", 90: "#ef9a9a", "-90": "#90caf9", "-95": "#1e88e5", "-99": "#0d47a1" });
const TRENDS = Object.freeze({ new: "#ff6f00", intensifying: "#d50000", persistent: "#6a1b9a", diminishing: "#78909c" });

export function giStyle(cell) {
  return cell.class ? { color: HOT[cell.class], fillColor: HOT[cell.class], fillOpacity: 0.55 } : null;
}

function densityStyle(top) {
  return (cell) => (cell.density > 0
    ? { color: "#ff7043", weight: 0, fillColor: "#ff7043", fillOpacity: Math.min(0.75, 0.08 + 0.7 * (cell.density / top)) }
    : null);
}

function queryOf(form) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) params.set(name, value);
  return params;
}

export class HotSpots {
  constructor({ map, form, status, list, layers, patrolForm }) {
    Object.assign(this, { map, form, status, list, layers, patrolForm, drawn: {} });
    form.addEventListener("submit", (event) => { event.preventDefault(); this.run(); });
    for (const box of layers.querySelectorAll("input[name=layer]")) box.addEventListener("change", () => this.toggle());
    if (patrolForm) patrolForm.addEventListener("submit", (event) => { event.preventDefault(); this.sendPatrol(); });
    if (map) map.on("cellclick", (event) => this.choose(event.cell));
  }

  async run() {
    this.status.textContent = this.status.dataset.working;
    try {
      this.result = await api(`/api/v1/analysis/hotspots?${queryOf(this.form)}`);
    } catch (error) {
      this.status.textContent = error.message;
      return;
    }
    this.status.textContent = this.status.dataset.done.replace("{n}", String(this.result.incidents))
      .replace("{hot}", String(this.result.hot_spots.length));
    this.draw();
    this.listSpots();
  }

  draw() {
    Object.values(this.drawn).forEach((layer) => layer.remove());
    const { cells, emerging } = this.result;
    const top = Math.max(0.01, ...cells.map((c) => c.density));
    const label = (c) => `${c.cell} · ${c.incidents ?? c.last_week} · z ${c.z}`;
    this.drawn = {
      density: drawCells(this.map, cells, densityStyle(top), label),
      gi: drawCells(this.map, cells, giStyle, label),
      emerging: drawCells(this.map, emerging, (c) => ({ color: TRENDS[c.trend], weight: 3, fill: false, dashArray: "4 3" }),
                          (c) => `${c.cell} · ${c.trend} · ${c.last_week} / ${c.weekly_before}`),
    };
    this.toggle();
    this.map.getContainer().dataset.cells = String(cells.length);
  }

  toggle() {
    for (const box of this.layers.querySelectorAll("input[name=layer]")) {
      const layer = this.drawn[box.value];
      if (layer && box.checked) layer.addTo(this.map); else if (layer) layer.remove();
    }
  }

  listSpots() {
    const trends = new Map(this.result.emerging.map((e) => [e.cell, e.trend]));
    const send = this.patrolForm ? `<button type="button" class="send">${escapeHtml(this.patrolForm.dataset.send)}</button>` : "";
    this.list.tBodies[0].innerHTML = this.result.hot_spots.map((s) => `<tr data-cell="${s.cell}"><th scope="row">${s.cell}</th>`
      + `<td>${s.incidents}</td><td>${s.z.toFixed(2)}</td><td>${s.p_norm.toFixed(4)}</td>`
      + `<td>${escapeHtml(trends.get(s.cell) || "")}</td><td>${send}</td></tr>`).join("");
    for (const button of this.list.querySelectorAll("button.send")) {
      button.addEventListener("click", () => this.choose({ cell: button.closest("tr").dataset.cell }));
    }
  }

  choose(cell) {
    if (!this.patrolForm) return;
    this.patrolForm.hidden = false;
    this.patrolForm.elements.cell.value = cell.cell;
    this.patrolForm.elements.cell_shown.value = cell.cell;
  }

  async sendPatrol() {
    const form = this.patrolForm;
    const bands = [...form.querySelectorAll("input[name=band]:checked")].map((box) => box.value.split("-").map(Number));
    const category = this.form.elements.category.value;
    const status = form.querySelector("#patrol-status");
    try {
      const sent = await api("/api/v1/analysis/hotspot-patrols", { method: "POST", body: {
        cell: form.elements.cell.value, platform: Number(form.elements.platform.value), starts_on: form.elements.starts_on.value,
        ends_on: form.elements.ends_on.value, bands, category } });
      status.innerHTML = `<a href="${sent.page}">${escapeHtml(sent.point.code)} ${escapeHtml(sent.point.name)}</a> · `
        + escapeHtml(form.dataset.sent.replace("{n}", String(sent.effect.tasks.length)));
      status.dataset.patrol = String(sent.id);
    } catch (error) {
      status.textContent = error.message;
    }
  }
}
