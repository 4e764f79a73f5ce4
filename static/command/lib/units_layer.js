// Units on one canvas, not one DOM marker each: thousands of units moving every second cost one
// redraw per animation frame, however many updates arrived in it (updates only mark the layer dirty).
// Leaflet (the global L) is a classic script the page loads first; it is read when a function runs,
// never at import.

export const STATUS_COLOURS = {
  available: "#2e7d32", dispatched: "#f9a825", en_route: "#ef6c00", on_scene: "#c62828",
  unavailable: "#6d4c41", off_duty: "#9e9e9e",
};

let UnitsLayer = null;  // the Leaflet class, made on first use from UNITS_LAYER below

// A new units layer; add it to a map with .addTo(map). `clock`: the map's shared FrameClock, if any.
export function createUnitsLayer({ clock = null } = {}) {
  UnitsLayer ??= L.Layer.extend(UNITS_LAYER);
  return new UnitsLayer({ clock });
}

// The layer's methods, as Leaflet's Layer.extend takes them.
const UNITS_LAYER = {
  initialize({ clock = null } = {}) {
    this.units = new Map();      // id -> {id, call_sign, status, lon, lat, stale, ...}
    this.clock = clock;
    this.frame = null;
    this.frameTimes = [];        // the last draws' durations in ms (read by the benchmark)
    this.selected = null;
    this.labelZoom = 15;         // call signs from this zoom on (a small fleet may show them sooner)
  },

  onAdd(map) {
    this.map = map;
    this.canvas = L.DomUtil.create("canvas", "units-canvas leaflet-zoom-hide");
    this.canvas.style.pointerEvents = "none";
    map.getPane("overlayPane").appendChild(this.canvas);
    map.on("moveend zoomend resize viewreset", this.reset, this);
    this.reset();
  },

  onRemove(map) {
    map.off("moveend zoomend resize viewreset", this.reset, this);
    this.canvas.remove();
  },

  // Merge rows (any subset of fields, keyed by id) and draw once in the next frame.
  update(rows) {
    for (const row of rows) this.units.set(row.id, { ...(this.units.get(row.id) || {}), ...row });
    this.schedule();
  },

  remove(ids) {
    for (const id of ids) this.units.delete(id);
    this.schedule();
  },

  replace(rows) {
    this.units = new Map(rows.map((row) => [row.id, row]));
    this.schedule();
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

  // One path per status colour (and per stale look): a few fill() calls a frame, not one a unit.
  draw() {
    const started = performance.now();
    const context = this.canvas.getContext("2d");
    const ratio = window.devicePixelRatio || 1;
    const size = this.map.getSize();
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, size.x, size.y);
    const groups = new Map();
    const labelled = [];
    const labels = this.map.getZoom() >= this.labelZoom;
    const project = this.projector();
    for (const unit of this.units.values()) {
      if (unit.lat == null || unit.lon == null) continue;
      const point = project(unit.lat, unit.lon);
      if (point.x < -20 || point.y < -20 || point.x > size.x + 20 || point.y > size.y + 20) continue;
      const key = `${STATUS_COLOURS[unit.status] || STATUS_COLOURS.off_duty}|${unit.stale ? 1 : 0}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push([point, unit.id === this.selected ? 7 : 5]);
      if (labels && unit.call_sign) labelled.push([unit, point]);
    }
    for (const [key, points] of groups) this.drawGroup(context, key, points);
    context.font = "11px sans-serif";
    for (const [unit, point] of labelled) {
      context.fillStyle = unit.stale ? "#757575" : "#212121";
      context.fillText(unit.call_sign, point.x + 7, point.y + 4);
    }
    this.frameTimes.push(performance.now() - started);
    if (this.frameTimes.length > 1000) this.frameTimes.shift();
  },

  // Web Mercator straight to container pixels, as Leaflet's latLngToContainerPoint computes them but
  // without its three objects per call: at thousands of units a frame those were most of the cost.
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

  // A stale unit is drawn hollow in its status colour: seen, but not trusted blindly.
  drawGroup(context, key, points) {
    const [colour, stale] = key.split("|");
    context.beginPath();
    for (const [point, radius] of points) {
      context.moveTo(point.x + radius, point.y);
      context.arc(point.x, point.y, radius, 0, 2 * Math.PI);
    }
    context.fillStyle = stale === "1" ? "#ffffff" : colour;
    context.fill();
    context.lineWidth = stale === "1" ? 2 : 1;
    context.strokeStyle = stale === "1" ? colour : "#ffffff";
    context.stroke();
  },

  // The unit drawn nearest a container point, within `pixels`.
  nearest(containerPoint, pixels = 8) {
    let best = null;
    let bestDistance = pixels;
    for (const unit of this.units.values()) {
      if (unit.lat == null) continue;
      const distance = this.map.latLngToContainerPoint([unit.lat, unit.lon]).distanceTo(containerPoint);
      if (distance <= bestDistance) { best = unit; bestDistance = distance; }
    }
    return best;
  },
};
