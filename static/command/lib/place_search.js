// The console's place search: suggestions from the address lookup as the dispatcher types (streets,
// junctions, house numbers, named places, in Chinese, pinyin or initials); on submit, the page's own
// named places first (key sites, platforms, patrol points, zones' centres), then the lookup's best.
// The map goes to the place and the new-incident form opens there.

import { attachAddressLookup, searchPlaces } from "./address_lookup.js";

export function placeSearch(liveConsole, data) {
  const form = document.getElementById("place-search");
  if (!form) return;
  const places = namedPlaces(data);
  const error = form.querySelector(".form-error");
  const goTo = (target) => {
    error.textContent = target ? "" : liveConsole.ui.not_found;
    if (!target) return;
    liveConsole.map.setView([target.lat, target.lon], Math.max(liveConsole.map.getZoom(), 16), { animate: false });
    liveConsole.openNewIncident(L.latLng(target.lat, target.lon));
  };
  attachAddressLookup(form.elements.q, { onPick: goTo, labels: { empty: liveConsole.ui.not_found } });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = form.elements.q.value.trim().toLowerCase();
    if (!query) return;
    const place = places.find((row) => row.name.toLowerCase() === query) || places.find((row) => row.name.toLowerCase().includes(query));
    const found = place ? Promise.resolve(place)
      : searchPlaces(query, { limit: 1 }).then((rows) => rows[0] || null).catch(() => null);
    found.then(goTo);
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
