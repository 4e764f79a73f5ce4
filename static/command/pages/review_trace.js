// Entry module of an incident's trace (/analysis/incidents/<id>/, templates/analysis/trace.html): the
// scene, each unit's track from its order until it cleared, and the playback slider over them.

import { readJson } from "../lib/dom.js";
import { incidentMarker } from "../lib/map.js";
import { Playback } from "../lib/playback.js";
import { drawTrack, reviewMap, TRACK_COLOURS } from "../lib/review_map.js";

function start() {
  const map = reviewMap("trace-map");
  const trace = readJson("trace-data");
  if (!map || !trace) return null;
  const { call } = trace;
  incidentMarker({ ...call, category: call.category_label, status: call.status_label, at_risk: false }).addTo(map);
  const tracks = trace.assignments.map((a, n) => ({ label: a.call_sign, colour: TRACK_COLOURS[n % TRACK_COLOURS.length],
                                                  points: a.track }));
  const bounds = L.latLngBounds([[call.lat, call.lon]]);
  for (const track of tracks) if (track.points.length) bounds.extend(drawTrack(map, track.points, track.colour).getBounds());
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
  const playback = new Playback(document.getElementById("trace-playback"), map, tracks);
  return { map, playback };
}

export const tracePage = start();
