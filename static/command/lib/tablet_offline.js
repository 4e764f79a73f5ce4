// The tablet opens offline once visited: it registers its service worker (templates/command/tablet_sw.js,
// served at /tablet/sw.js), asks it to keep the basemap tiles of the unit's platform area after login
// (and shows how many are kept), keeps the worker's copy of the unit's snapshot in step with what the
// socket brings, and, when the page starts with no connection, shows the kept snapshot.

import { api } from "./api.js";

const COPY_AFTER_MS = 1500;  // news comes in bursts (an assignment, its incident, the unit's status)

export class OfflineCopy {
  constructor(tablet, { snapshotUrl, sw = null, map = {} }) {
    Object.assign(this, { tablet, snapshotUrl, sw, map });
    this.copyTimer = null;
    this.tiles = null;  // the worker's last word on the tiles: {done, kept, total}
  }

  async start() {
    if (!this.sw || !("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(this.sw.url, { scope: this.sw.scope });
    } catch (error) {
      return;  // not a secure context, or the browser refuses: the page works online as before
    }
    navigator.serviceWorker.addEventListener("message", (event) => this.heard(event.data));
    const ready = await navigator.serviceWorker.ready;
    this.keepTiles(ready.active);
    if (!navigator.serviceWorker.controller) {  // a first visit: the worker takes the page when it activates
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    this.keepCopy();  // the snapshot loaded before the worker was there
  }

  keepTiles(worker) {
    const { basemap, platform_area: area } = this.map;
    if (!worker || !basemap || !area) return;
    const version = new URL(basemap.url, location.href).searchParams.get("v");
    worker.postMessage({ type: "keep-tiles", urls: tileUrls(area, basemap), version });
  }

  heard(data) {
    if (!data || data.type !== "tiles") return;
    this.tiles = data;
    const element = document.getElementById("offline-map");
    if (!element) return;
    element.textContent = `${this.tablet.ui.offline_map}: ${data.kept}/${data.total} ${this.tablet.ui.tiles_kept}`;
    element.dataset.kept = String(data.kept);
    element.dataset.total = String(data.total);
  }

  // Fetched through the worker, which keeps it: the next offline start shows the job as it is now.
  keepCopy() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    clearTimeout(this.copyTimer);
    this.copyTimer = setTimeout(() => {
      if (this.tablet.feed.online) fetch(this.snapshotUrl, { credentials: "same-origin" }).catch(() => {});
    }, COPY_AFTER_MS);
  }

  async loadKept() {
    try {
      const snapshot = await api(this.snapshotUrl);  // the worker answers from its copy when offline
      if (!this.tablet.loaded) this.tablet.load(snapshot, { kept: true });
    } catch (error) { /* nothing kept yet */ }
  }
}

// Every tile URL of the basemap covering `area` ([min lon, min lat, max lon, max lat]) at each of its zooms.
export function tileUrls([minLon, minLat, maxLon, maxLat], basemap) {
  const urls = [];
  for (let z = basemap.min_zoom; z <= basemap.max_zoom; z++) {
    const [west, north] = tileOf(minLon, maxLat, z);
    const [east, south] = tileOf(maxLon, minLat, z);
    for (let x = west; x <= east; x++) {
      for (let y = north; y <= south; y++) {
        urls.push(basemap.url.replace("{z}", z).replace("{x}", x).replace("{y}", y));
      }
    }
  }
  return urls;
}

function tileOf(lon, lat, z) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.asinh(Math.tan(rad)) / Math.PI) / 2) * n)];
}
