// The console's place search: named places from the page's map data, then streets of the road
// network. Type a name, the map goes there and the new-incident form opens at it (key sites,
// platforms, patrol points, zones' centres, streets).

import { escapeHtml } from "./dom.js";

export function placeSearch(liveConsole, data) {
  const form = document.getElementById("place-search");
  if (!form) return;
  const places = namedPlaces(data);
  document.getElementById("place-names").innerHTML = places.map((place) => `<option value="${escapeHtml(place.name)}">`).join("");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = form.elements.q.value.trim().toLowerCase();
    if (!query) return;
    const place = places.find((row) => row.name.toLowerCase() === query) || places.find((row) => row.name.toLowerCase().includes(query));
    // Not a named place: a street of the road network (南京东路), from the server's street index.
    const found = place ? Promise.resolve(place) : fetch(`/api/v1/places/search?q=${encodeURIComponent(query)}&limit=1`,
      { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : [])).then((rows) => rows[0] || null).catch(() => null);
    found.then((target) => {
      form.querySelector(".form-error").textContent = target ? "" : liveConsole.ui.not_found;
      if (!target) return;
      liveConsole.map.setView([target.lat, target.lon], Math.max(liveConsole.map.getZoom(), 16), { animate: false });
      liveConsole.openNewIncident(L.latLng(target.lat, target.lon));
    });
  });
}

function namedPlaces(data) {
  return [
    ...(data.key_sites || []).map((site) => ({ name: `${site.name} (${site.code})`, lat: site.lat, lon: site.lon })),
    ...(data.platforms || []).map((platform) => ({ name: `${platform.name} (${platform.code})`, lat: platform.lat, lon: platform.lon })),
    ...(data.patrol_points || []).map((point) => ({ name: `${point.name} (${point.code})`, lat: point.lat, lon: point.lon })),
    ...(data.zones || []).map((zone) => {
      const centre = L.geoJSON(zone.polygon).getBounds().getCenter();
      return { name: `${zone.name} (${zone.code})`, lat: centre.lat, lon: centre.lng };
    }),
  ];
}
