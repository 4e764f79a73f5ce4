// Entry module of track playback (/analysis/tracks/, templates/analysis/tracks.html): any unit over a
// time range, its crew, its incidents in that range marked on the map.

import { api } from "../lib/api.js";
import { escapeHtml } from "../lib/dom.js";
import { Playback } from "../lib/playback.js";
import { drawTrack, reviewMap, TRACK_COLOURS } from "../lib/review_map.js";

function details(found) {
  const crew = found.crew.map((o) => escapeHtml(o.name)).join(", ");
  const jobs = found.incidents.map((i) => `<li><a href="/analysis/incidents/${i.id}/">${escapeHtml(i.number)}</a> · `
    + `${escapeHtml(i.category)} · ${escapeHtml((i.assigned_at || "").slice(11, 16))}</li>`).join("");
  return `<p><strong>${escapeHtml(found.unit.call_sign)}</strong> · ${escapeHtml(found.unit.platform)} · ${crew}</p><ol>${jobs}</ol>`;
}

async function show(page) {
  const params = new URLSearchParams(new FormData(page.form));
  page.status.textContent = "";
  let found;
  try {
    found = await api(`/api/v1/analysis/tracks?${params}`);
  } catch (error) {
    page.status.textContent = error.message;
    return;
  }
  page.layer.clearLayers();
  page.details.innerHTML = details(found);
  page.status.textContent = page.status.dataset.found.replace("{n}", String(found.track.length));
  for (const job of found.incidents) L.circleMarker([job.lat, job.lon], { radius: 7, color: "#c62828" }).bindTooltip(job.number).addTo(page.layer);
  if (found.track.length) {
    const line = drawTrack(page.layer, found.track, TRACK_COLOURS[0]);
    page.map.fitBounds(line.getBounds(), { padding: [30, 30], maxZoom: 17 });
  }
  if (page.playback) page.playback.pause();
  page.playback = new Playback(page.element, page.layer, [{ label: found.unit.call_sign, colour: TRACK_COLOURS[0], points: found.track }]);
}

function start() {
  const form = document.getElementById("track-form");
  const map = reviewMap("track-map");
  if (!form || !map) return null;
  const page = { form, map, layer: L.layerGroup().addTo(map), status: document.getElementById("track-status"),
                 details: document.getElementById("track-details"), element: document.getElementById("track-playback") };
  form.addEventListener("submit", (event) => { event.preventDefault(); show(page); });
  if (form.elements.unit.value) show(page);
  return page;
}

export const tracksPage = start();
