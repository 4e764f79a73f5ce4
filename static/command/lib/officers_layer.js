// Officers on one canvas (issue 16), beside the units' (units_layer.js): every officer on duty with a
// handset, where their own phone or tracker says they are, as a small square in their kind's colour
// (sworn police, auxiliary, traffic assistant); a stale fix hollow. A crew whose members are spread out
// (platforms/crews_live.py: an officer farther than CREW_SPREAD_M from the crew's vehicle) is outlined
// in red, with a thin red line from each of its officers to the vehicle. As with the units, updates only
// mark the layer dirty and one redraw per animation frame draws them all; frameTimes feeds
// `manage.py bench fanout`. Leaflet (the global L) is read when a function runs, never at import.

export const OFFICER_COLOURS = { police: "#1565c0", auxiliary: "#00897b", traffic_assistant: "#f57c00" };
export const SPREAD_COLOUR = "#d32f2f";

let OfficersLayer = null;

// A new officers layer; `unitAt(id)` gives a unit's {lat, lon} (the console's units) for spread lines;
// `clock`: the map's shared FrameClock, if any.
export function createOfficersLayer({ unitAt = () => null, clock = null } = {}) {
  OfficersLayer ??= L.Layer.extend(OFFICERS_LAYER);
  return new OfficersLayer({ unitAt, clock });
}

// The snapshot's rows ({id, name, kind, unit, call_sign, lon, lat, at_ms, stale, away_m, spread}) and
// `officers.moved` rows ([id, lon, lat, at_ms, stale, unit, away_m, spread, name?, call_sign?, kind?]).
export function officerFromRow(row) {
  const [id, lon, lat, at_ms, stale, unit, away_m, spread, name, call_sign, kind] = row;
  const officer = { id, lon, lat, at_ms, stale, unit, away_m, spread };
  if (name !== undefined) Object.assign(officer, { name, call_sign, kind });
  return officer;
}

// "12 s", "3 min", "2 h": how long ago a fix was taken.
export function ageText(atMs, nowMs = Date.now()) {
  const seconds = Math.max(0, Math.round((nowMs - atMs) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h`;
}

const OFFICERS_LAYER = {
  initialize({ unitAt, clock }) {
    this.officers = new Map();
    this.unitAt = unitAt;
    this.clock = clock;
    this.frame = null;
    this.frameTimes = [];        // the last draws' durations in ms (read by the benchmark)
    this.labelZoom = 17;         // names from this zoom on
  },

  onAdd(map) {
    this.map = map;
    this.canvas = L.DomUtil.create("canvas", "officers-canvas leaflet-zoom-hide");
    this.canvas.style.pointerEvents = "none";
    map.getPane("overlayPane").appendChild(this.canvas);
    map.on("moveend zoomend resize viewreset", this.reset, this);
    this.reset();
  },

  onRemove(map) {
    map.off("moveend zoomend resize viewreset", this.reset, this);
    this.canvas.remove();
  },

  replace(rows) {
    this.officers = new Map(rows.map((row) => [row.id, { ...row }]));
    this.schedule();
  },

  // An `officers.moved` message: rows merged, the gone removed, one redraw.
  moved({ officers, gone }) {
    for (const row of officers) {
      const officer = officerFromRow(row);
      this.officers.set(officer.id, { ...(this.officers.get(officer.id) || {}), ...officer });
    }
    for (const id of gone) this.officers.delete(id);
    this.schedule();
  },

  // The units moved: spread lines follow their vehicles.
  unitsMoved() {
    if ([...this.officers.values()].some((officer) => officer.spread)) this.schedule();
  },

  // Drawn in the map's shared frame (frame_clock.js) when it has one, else in a frame of its own.
  schedule() {
    if (!this.map) return;
    if (this.clock) this.clock.request(this);
    else if (this.frame === null) this.frame = requestAnimationFrame(() => { this.frame = null; this.draw(); });
  },

  reset() {
    const size = this.map.getSize();
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = size.x * ratio;
    this.canvas.height = size.y * ratio;
    this.canvas.style.width = `${size.x}px`;
    this.canvas.style.height = `${size.y}px`;
    L.DomUtil.setPosition(this.canvas, this.map.containerPointToLayerPoint([0, 0]));
    this.draw();
  },

  // One path per colour and look, then the spread crews' lines and outlines: a few strokes a frame.
  draw() {
    const started = performance.now();
    const context = this.canvas.getContext("2d");
    const ratio = window.devicePixelRatio || 1;
    const size = this.map.getSize();
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.x, size.y);
    const project = this.projector();
    const groups = new Map();
    const spread = [];
    const labelled = [];
    const labels = this.map.getZoom() >= this.labelZoom;
    for (const officer of this.officers.values()) {
      if (officer.lat == null || officer.lon == null) continue;
      const point = project(officer.lat, officer.lon);
      if (point.x < -20 || point.y < -20 || point.x > size.x + 20 || point.y > size.y + 20) continue;
      const key = `${OFFICER_COLOURS[officer.kind] || OFFICER_COLOURS.police}|${officer.stale ? 1 : 0}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(point);
      if (officer.spread) spread.push([officer, point]);
      if (labels) labelled.push([officer, point]);
    }
    this.drawSpread(context, spread, project);
    for (const [key, points] of groups) this.drawGroup(context, key, points);
    this.drawLabels(context, labelled);
    this.frameTimes.push(performance.now() - started);
    if (this.frameTimes.length > 1000) this.frameTimes.shift();
  },

  drawGroup(context, key, points) {
    const [colour, stale] = key.split("|");
    context.beginPath();
    // Squares, not diamonds or circles: 5,000 of them in one path rasterise in about 10 ms in Chromium's
    // software canvas, against about 50 ms for circles and 85 ms for diamonds (measured with a pixel read
    // forcing the raster, 2026-12-04).
    for (const point of points) context.rect(point.x - 4, point.y - 4, 8, 8);
    context.fillStyle = stale === "1" ? "#ffffff" : colour;
    context.fill();
    context.lineWidth = stale === "1" ? 1.5 : 1;
    context.strokeStyle = stale === "1" ? colour : "#ffffff";
    context.stroke();
  },

  // A spread crew: a thin line from each officer to the crew's vehicle, and a red square round the officer.
  // Solid lines and squares, not dashes and arcs: cheaper to stroke by the thousand on Chromium's
  // software canvas (`manage.py bench fanout`, README).
  drawSpread(context, spread, project) {
    if (!spread.length) return;
    context.beginPath();
    for (const [officer, point] of spread) {
      const unit = this.unitAt(officer.unit);
      if (!unit || unit.lat == null) continue;
      const vehicle = project(unit.lat, unit.lon);
      context.moveTo(point.x, point.y);
      context.lineTo(vehicle.x, vehicle.y);
    }
    context.lineWidth = 1;
    context.strokeStyle = SPREAD_COLOUR;
    context.stroke();
    context.beginPath();
    for (const [, point] of spread) context.rect(point.x - 7, point.y - 7, 14, 14);
    context.lineWidth = 2;
    context.stroke();
  },

  drawLabels(context, labelled) {
    if (!labelled.length) return;
    const now = Date.now();
    context.font = "10px sans-serif";
    for (const [officer, point] of labelled) {
      context.fillStyle = officer.stale ? "#757575" : "#0d47a1";
      context.fillText(`${officer.name || ""} ${officer.call_sign || ""} · ${ageText(officer.at_ms, now)}`,
        point.x + 7, point.y - 5);
    }
  },

  // Web Mercator to container pixels (as units_layer.js: no Leaflet objects per officer).
  projector() {
    const scale = 256 * 2 ** this.map.getZoom();
    const origin = this.map.getPixelOrigin();
    const pane = this.map.containerPointToLayerPoint([0, 0]);
    const dx = origin.x + pane.x;
    const dy = origin.y + pane.y;
    const limit = 85.0511287798;
    return (lat, lon) => {
      const sin = Math.sin((Math.max(-limit, Math.min(limit, lat)) * Math.PI) / 180);
      return { x: ((lon + 180) / 360) * scale - dx,
               y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale - dy };
    };
  },

  // The officer drawn nearest a container point, within `pixels`.
  nearest(containerPoint, pixels = 7) {
    let best = null;
    let bestDistance = pixels;
    for (const officer of this.officers.values()) {
      if (officer.lat == null) continue;
      const distance = this.map.latLngToContainerPoint([officer.lat, officer.lon]).distanceTo(containerPoint);
      if (distance <= bestDistance) { best = officer; bestDistance = distance; }
    }
    return best;
  },
};

// The popup's text for an officer: who, which crew, how long ago, how far from the crew's vehicle.
// `labels` are the page's words (command/officer_labels.py: ui.officer_* and officer_kind).
export function officerSummary(officer, labels, escape) {
  const ui = labels.ui;
  const kind = (labels.officer_kind || {})[officer.kind] || "";
  const away = officer.away_m == null ? "" : `<br>${escape(ui.officer_away.replace("%(m)s", officer.away_m))}`;
  const spread = officer.spread ? `<br><strong class="crew-spread">${escape(ui.officer_crew_spread)}</strong>` : "";
  return `<strong>${escape(officer.name || "")}</strong> ${escape(kind)}<br>` +
    `${escape(ui.officer_crew)} ${escape(officer.call_sign || "")}<br>` +
    `${escape(ui.officer_fix_age.replace("%(age)s", ageText(officer.at_ms)))}${away}${spread}`;
}
