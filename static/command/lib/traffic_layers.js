// The console's traffic layers on a Leaflet map (Leaflet's own layer switch turns each on and off): the
// fleet's live speeds per road segment (this 15-minute slot and the one before, coloured by measured
// time over free-flow time), congestion incidents with their age, and control points with their closed
// segments. Each reads its endpoint under /api/v1/traffic/ and is read again every REFRESH_MS.

import { api } from "./api.js";
import { escapeHtml } from "./dom.js";

const REFRESH_MS = 30_000;
const SLOW = 2.0;      // twice the free-flow time or more: congested (red)
const SLOWER = 1.3;    // 30% over: slow (orange)

export function speedColour(factor) {
  if (factor >= SLOW) return "#c62828";
  if (factor >= SLOWER) return "#ef6c00";
  return "#2e7d32";
}

export class TrafficLayers {
  constructor(map, words, { refreshMs = REFRESH_MS } = {}) {
    Object.assign(this, { map, words, segments: [], jams: [], points: [] });
    this.speeds = L.layerGroup();
    this.congestion = L.layerGroup().addTo(map);
    this.control = L.layerGroup().addTo(map);
    this.switch = L.control.layers(null, { [words.speeds]: this.speeds, [words.congestion]: this.congestion,
                                           [words.control]: this.control }, { collapsed: false }).addTo(map);
    this.refresh();
    this.timer = setInterval(() => this.refresh(), refreshMs);
  }

  showSpeeds(on = true) {
    if (on) this.speeds.addTo(this.map); else this.speeds.remove();
    return this.refresh();
  }

  refresh() {
    return Promise.all([
      api("/api/v1/traffic/layers/speeds").then((layer) => this.drawSpeeds(layer.segments)),
      api("/api/v1/traffic/layers/congestion").then((jams) => this.drawJams(jams)),
      api("/api/v1/traffic/control-points").then((points) => this.drawControl(points)),
    ]).catch(() => {});  // the next refresh tries again
  }

  drawSpeeds(segments) {
    this.segments = segments;
    this.speeds.clearLayers();
    for (const s of segments) {
      L.polyline([[s.start[1], s.start[0]], [s.end[1], s.end[0]]], { color: speedColour(s.factor), weight: 5, opacity: 0.8 })
        .bindTooltip(`${s.speed_kmh} / ${s.free_flow_kmh} km/h`).addTo(this.speeds);
    }
  }

  drawJams(jams) {
    this.jams = jams;
    this.congestion.clearLayers();
    for (const jam of jams) {
      const minutes = Math.floor(jam.age_s / 60);
      const text = jam.flowing_at ? this.words.flowing : this.words.age.replace("%(m)s", minutes);
      L.circleMarker([jam.lat, jam.lon], { radius: 10, color: jam.flowing_at ? "#2e7d32" : "#c62828", fillOpacity: 0.5 })
        .bindTooltip(`${escapeHtml(jam.number)} · ${escapeHtml(text)}`, { permanent: true, direction: "right" })
        .addTo(this.congestion);
    }
  }

  drawControl(points) {
    this.points = points;
    this.control.clearLayers();
    for (const point of points) {
      L.circleMarker([point.lat, point.lon], { radius: 8, color: "#1565c0", fillOpacity: 0.9 })
        .bindTooltip(escapeHtml(point.name)).addTo(this.control);
      for (const closure of point.closures.filter((c) => !c.cancelled)) {
        L.geoJSON(closure.line, { style: { color: "#000", weight: 6, dashArray: "6 6" } })
          .bindTooltip(escapeHtml(`${this.words.closed} ${closure.road_name}`)).addTo(this.control);
      }
    }
  }
}
