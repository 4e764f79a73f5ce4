// The officer's own handset (issue 16): on the tablet page opened on a phone, the device reports the
// officer's own position (POST /api/v1/handsets/fixes), not the unit's. A phone-sized screen starts as
// a handset; the switch on the page (kept per device) says otherwise. While it is a handset the tablet
// sends no unit fixes from it (tablet.handsetOnly): a car keeps its own position (its tracker or its
// tablet), and a unit on foot or on bicycles is moved by the server with its officers' handsets.
// Fixes go at most every SEND_EVERY_MS, the last one repeated while standing still so the console never
// shows it stale; a refusal (the officer is not on duty) is shown with the server's reason.

import { api } from "./api.js";

const SEND_EVERY_MS = 3000;
const STILL_EVERY_MS = 15000;   // a post held in one place: its fix is sent again this often
const RETRY_REFUSED_MS = 60000; // refused (not on duty): tried again this much later
const FIXES_KEPT = 40;          // under HANDSET_BATCH_MAX; the oldest dropped first
const PHONE = "(max-width: 600px)";
const STORED = "handset-mode";

export function handsetByDefault(matchMedia = window.matchMedia) {
  return Boolean(matchMedia && matchMedia(PHONE).matches);
}

export class Handset {
  // `element`: the page's handset partial (templates/command/partials/handset.html); `tablet`: the page's
  // Tablet (its unit fixes stop while this device is a handset); `ui`: the page's words.
  constructor(element, tablet, ui) {
    Object.assign(this, { element, tablet, ui });
    this.switch = element.querySelector("input[name=handset]");
    this.state = element.querySelector(".handset-state");
    this.fixes = [];
    this.last = null;            // the newest fix taken {lon, lat, accuracy, at}
    this.sentAt = 0;
    this.refusedUntil = 0;
    this.watchId = null;
    const stored = localStorage.getItem(STORED);
    this.switch.checked = stored ? stored === "on" : handsetByDefault();
    this.switch.addEventListener("change", () => { localStorage.setItem(STORED, this.switch.checked ? "on" : "off"); this.apply(); });
    setInterval(() => this.send(), SEND_EVERY_MS);
    this.apply();
  }

  get on() { return this.switch.checked; }

  apply() {
    if (this.tablet) this.tablet.handsetOnly = this.on;
    this.element.dataset.handset = this.on ? "on" : "off";
    this.say(this.on ? this.ui.handset_on : this.ui.handset_off, "info");
    if (this.on) this.watch();
    else this.stop();
  }

  watch() {
    if (this.watchId !== null || !navigator.geolocation) return;
    this.watchId = navigator.geolocation.watchPosition((position) => this.taken(position), () => {},
      { enableHighAccuracy: true, maximumAge: SEND_EVERY_MS });
  }

  stop() {
    if (this.watchId !== null) navigator.geolocation.clearWatch(this.watchId);
    this.watchId = null;
    this.fixes = [];
  }

  taken(position) {
    const { longitude: lon, latitude: lat, accuracy, speed } = position.coords;
    this.last = { lon, lat, at: Math.max(position.timestamp, (this.last?.at || 0) + 1),
                  accuracy: Number.isFinite(accuracy) ? accuracy : undefined, speed: speed ?? undefined };
    this.fixes.push(this.last);
    if (this.fixes.length > FIXES_KEPT) this.fixes.splice(0, this.fixes.length - FIXES_KEPT);
  }

  async send() {
    const now = Date.now();
    if (!this.on || now < this.refusedUntil) return;
    if (!this.fixes.length && this.last && now - this.last.at >= STILL_EVERY_MS) this.taken({
      coords: { longitude: this.last.lon, latitude: this.last.lat, accuracy: this.last.accuracy }, timestamp: now });
    if (!this.fixes.length) return;
    const batch = this.fixes.splice(0, this.fixes.length);
    const fixes = batch.map(({ at, ...rest }) => ({ ...rest, at: new Date(at).toISOString() }));
    try {
      await api("/api/v1/handsets/fixes", { method: "POST", body: { fixes } });
      this.sentAt = now;
      this.element.dataset.sentAt = String(now);
      this.say(this.ui.handset_on, "info");
    } catch (error) {
      if (error.status === 403) {
        this.refusedUntil = now + RETRY_REFUSED_MS;
        this.say(this.ui.handset_refused.replace("%(reason)s", error.message), "error");
      } else if (!error.status) {
        this.fixes = [...batch, ...this.fixes].slice(-FIXES_KEPT);  // offline: kept and sent later
      }
    }
  }

  say(text, kind) {
    this.state.textContent = text;
    this.state.dataset.kind = kind;
  }
}

// Starts the handset on a page that has its partial; null otherwise.
export function startHandset(tablet, labels) {
  const element = document.getElementById("handset");
  return element && labels ? new Handset(element, tablet, labels.ui) : null;
}
