// The incident search page: the form's filters as the search API's query, a page of results in the
// table, every match (up to 5,000) on the map, an area drawn by clicking corners on the map.

import { api } from "./api.js";
import { escapeHtml } from "./dom.js";
import { drawIncidentPoints } from "./review_map.js";

const PAGE_SIZE = 25;

function queryOf(form, page) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (!value) continue;
    params.set(name, name === "since" || name === "until" ? value : String(value).trim());
  }
  params.set("page", String(page));
  params.set("page_size", String(PAGE_SIZE));
  return params;
}

export function traceUrl(id) {
  return `/analysis/incidents/${id}/`;
}

function row(incident) {
  const response = incident.dispatch_to_scene_s == null ? "–" : `${incident.dispatch_to_scene_s} s`;
  const verdict = incident.met_target == null ? "" : (incident.met_target ? " ✓" : " ✗");
  return `<tr data-id="${incident.id}"><th scope="row"><a href="${traceUrl(incident.id)}">${escapeHtml(incident.number)}</a></th>`
    + `<td>${escapeHtml(incident.received_at.slice(0, 16).replace("T", " "))}</td><td>${escapeHtml(incident.category_label)}</td>`
    + `<td>P${incident.priority}</td><td>${escapeHtml(incident.status_label)}</td><td>${escapeHtml(incident.address)}</td>`
    + `<td>${response}${verdict}</td></tr>`;
}

export class IncidentSearch {
  constructor({ form, map, table, status, previous, next, shown }) {
    Object.assign(this, { form, map, table, status, previous, next, shown, page: 1, corners: [], drawing: false });
    form.addEventListener("submit", (event) => { event.preventDefault(); this.run(1); });
    previous.addEventListener("click", () => this.run(this.page - 1));
    next.addEventListener("click", () => this.run(this.page + 1));
    if (map) map.on("click", (event) => this.addCorner(event.latlng));
  }

  toggleDrawing(button) {
    this.drawing = !this.drawing;
    button.setAttribute("aria-pressed", String(this.drawing));
  }

  addCorner(latlng) {
    if (!this.drawing) return;
    this.corners.push([Number(latlng.lng.toFixed(6)), Number(latlng.lat.toFixed(6))]);
    this.form.elements.area.value = this.corners.length >= 3 ? JSON.stringify(this.corners) : "";
    if (this.outline) this.outline.remove();
    this.outline = L.polygon(this.corners.map(([lon, lat]) => [lat, lon]), { color: "#6a1b9a", weight: 2, fillOpacity: 0.05 })
      .addTo(this.map);
  }

  clearArea() {
    this.corners = [];
    this.form.elements.area.value = "";
    if (this.outline) this.outline.remove();
  }

  async run(page) {
    const query = queryOf(this.form, page);
    this.status.textContent = this.status.dataset.searching;
    try {
      const found = await api(`/api/v1/analysis/incidents?${query}`);
      this.page = page;
      this.show(found);
      const points = await api(`/api/v1/analysis/incidents/points?${query}`);
      if (this.points) this.points.remove();
      if (this.map) this.points = drawIncidentPoints(this.map, points.points, traceUrl);
    } catch (error) {
      this.status.textContent = error.message;
      this.status.classList.add("error");
    }
  }

  show(found) {
    this.status.classList.remove("error");
    this.status.textContent = this.status.dataset.found.replace("{n}", `${found.count}${found.count_capped ? "+" : ""}`);
    this.table.tBodies[0].innerHTML = found.results.map(row).join("");
    const pages = Math.max(1, Math.ceil(found.count / found.page_size));
    this.shown.textContent = `${found.page} / ${pages}`;
    this.previous.disabled = found.page <= 1;
    this.next.disabled = found.page >= pages;
    this.table.dataset.count = String(found.count);
  }
}
