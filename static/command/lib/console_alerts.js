// What the dispatcher must notice: the alert list, and the signals that carry it off the screen. A
// new call, a call at risk, an order not acknowledged in time and a message from an officer each play
// their own short sound (static/command/sounds/, no network), flash the tab's title, and raise a
// desktop notification while the page is hidden (permission asked once, on the first click). A mute
// toggle silences the sounds; it is kept per user in this browser.

import { api } from "./api.js";
import { escapeHtml } from "./dom.js";

// Alert kinds (dispatch.models.AlertKind) and the sound each makes.
export const ALERT_SOUND = Object.freeze({
  at_risk: "at_risk", no_unit: "at_risk", not_acknowledged: "ack_timeout", officer_message: "officer_message",
  preempted: "at_risk",
});
const FLASH_MS = 900;
const FLASHES = 10;

export class AlertSignals {
  constructor(username, button) {
    Object.assign(this, { key: `console-muted:${username}`, button, title: document.title, flashing: null });
    this.played = [];  // what was played, newest last (read by the browser tests)
    this.muted = localStorage.getItem(this.key) === "1";
    button?.addEventListener("click", () => this.setMuted(!this.muted));
    this.showMuted();
    document.addEventListener("click", () => this.askOnce(), { once: true });
    window.addEventListener("focus", () => this.stopFlashing());
  }

  setMuted(muted) {
    this.muted = muted;
    localStorage.setItem(this.key, muted ? "1" : "0");
    this.showMuted();
  }

  showMuted() {
    if (!this.button) return;
    this.button.setAttribute("aria-pressed", String(this.muted));
    this.button.textContent = this.muted ? this.button.dataset.off : this.button.dataset.on;
  }

  askOnce() {
    if (!("Notification" in window) || Notification.permission !== "default" || localStorage.getItem("console-notify-asked")) return;
    localStorage.setItem("console-notify-asked", "1");
    Notification.requestPermission().catch(() => null);
  }

  signal(sound, text) {
    if (!this.muted) this.play(sound);
    this.flash(text);
    if (document.hidden && "Notification" in window && Notification.permission === "granted") {
      new Notification(document.title.replace(/^\S+ /, ""), { body: text, tag: sound });
    }
  }

  play(sound) {
    const audio = document.getElementById(`sound-${sound}`);
    if (!audio) return;
    this.played.push(sound);
    audio.currentTime = 0;
    audio.play().catch(() => null);  // refused before the first click on the page: the title still flashes
  }

  flash(text) {
    this.stopFlashing();
    let count = 0;
    this.flashing = setInterval(() => {
      document.title = count % 2 === 0 ? `● ${text}` : this.title;
      count += 1;
      if (count > FLASHES * 2 || document.hasFocus()) this.stopFlashing();
    }, FLASH_MS);
  }

  stopFlashing() {
    if (this.flashing) clearInterval(this.flashing);
    this.flashing = null;
    document.title = this.title;
  }
}

// The engine's alerts, then units on a job whose position has gone quiet (a quiet tablet on a job is
// what a dispatcher must chase; quiet available units show on the unit board).
export function renderAlerts(live) {
  const element = document.getElementById("alert-list");
  if (!element) return;
  const quiet = [...live.units.values()].filter((unit) => unit.stale && unit.status !== "available" && unit.status !== "off_duty");
  const count = live.alerts.size + quiet.length;
  for (const id of ["alert-count", "alert-tab-count"]) {
    const badge = document.getElementById(id);
    if (badge) badge.textContent = count;
  }
  element.innerHTML = [...live.alerts.values()].map((alert) => `<li class="alert" data-alert="${alert.id}" data-kind="${alert.kind}">
    <span class="badge risk">${escapeHtml(live.labels.alert_kind[alert.kind] || alert.kind)}</span> ${escapeHtml(alert.message)}
    ${alert.incident ? `<a href="#" data-incident="${alert.incident}">${escapeHtml(live.ui.open)}</a>` : ""}
    ${live.readOnly ? "" : `<button type="button" data-close="${alert.id}">${escapeHtml(live.ui.close)}</button>`}</li>`).join("") +
    quiet.slice(0, 20).map((unit) => `<li class="alert" data-kind="stale_unit" data-unit="${unit.id}">
    <span class="badge risk">${escapeHtml(live.ui.stale)}</span> ${escapeHtml(unit.call_sign || `#${unit.id}`)}</li>`).join("");
  element.querySelectorAll("[data-close]").forEach((button) => button.addEventListener("click", async () => {
    await api(`/api/v1/alerts/${button.dataset.close}/close`, { method: "POST", body: {} }).catch(() => null);
    live.alerts.delete(Number(button.dataset.close));
    live.changed();
  }));
  element.querySelectorAll("[data-incident]").forEach((link) => link.addEventListener("click", (event) => {
    event.preventDefault();
    live.select(Number(link.dataset.incident));
  }));
}
