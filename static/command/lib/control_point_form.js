// A supervisor places a traffic control point on the live map (templates/command/partials/control_point_form.html):
// the form's pick buttons say what the next click on the map is (the point, or a closure's start or end
// along one road); submitting places the point (POST /api/v1/traffic/control-points) and, when both ends
// were picked, closes that stretch (.../closures), which every route then goes around.

import { api } from "./api.js";

const COLOURS = { point: "#1565c0", from: "#000", to: "#000" };

export class ControlPointForm {
  constructor(map, form) {
    Object.assign(this, { map, form, picked: {}, markers: {}, layer: L.layerGroup().addTo(map) });
    form.querySelectorAll("button[data-pick]").forEach((button) => button.addEventListener("click", () => this.pickNext(button.dataset.pick)));
    map.on("click", (event) => this.pick([event.latlng.lng, event.latlng.lat]));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.place(); });
  }

  pickNext(what) {
    this.form.dataset.pick = what;
    this.form.querySelectorAll("button[data-pick]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.pick === what)));
  }

  pick(lonLat) {
    const what = this.form.dataset.pick;
    this.picked[what] = lonLat;
    this.markers[what]?.remove();
    this.markers[what] = L.circleMarker([lonLat[1], lonLat[0]], { radius: 7, color: COLOURS[what] }).addTo(this.layer);
    this.form.querySelector(".picked").dataset[what] = lonLat.map((v) => v.toFixed(5)).join(",");
    if (what === "point") this.pickNext("from"); else if (what === "from") this.pickNext("to");
  }

  async place() {
    const [error, done] = [this.form.querySelector(".form-error"), this.form.querySelector(".form-done")];
    error.textContent = done.textContent = "";
    const point = this.picked.point;
    const when = (name) => (this.form[name].value ? new Date(this.form[name].value).toISOString() : null);
    try {
      const placed = await api("/api/v1/traffic/control-points", { method: "POST", body: {
        name: this.form.name.value, reason: this.form.reason.value, lon: point?.[0], lat: point?.[1],
        ...(this.form.platform ? { platform: Number(this.form.platform.value) } : {}),
        starts_at: when("starts_at"), ends_at: when("ends_at") } });
      this.form.dataset.placed = placed.id;
      if (this.picked.from && this.picked.to) await this.close(placed.id);
      done.textContent = this.form.dataset.doneText || "";
    } catch (failed) {
      error.textContent = failed.message;
    }
  }

  async close(pointId) {
    const [from, to] = [this.picked.from, this.picked.to];
    const closure = await api(`/api/v1/traffic/control-points/${pointId}/closures`, { method: "POST", body: {
      from_lon: from[0], from_lat: from[1], to_lon: to[0], to_lat: to[1] } });
    this.form.dataset.closure = closure.id;
    L.geoJSON(closure.line, { style: { color: "#000", weight: 6, dashArray: "6 6" } }).addTo(this.layer);
  }
}
