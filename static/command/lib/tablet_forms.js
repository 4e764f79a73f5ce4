// The tablet's two forms: the unit's own status (a meal break, unavailable with a reason, available
// again) and the on-view report (路面见警情: an incident the officer found, with their position and an
// optional photo). Both hand what the officer entered to the tablet, which queues it (tablet.js); what
// would be refused anyway (no category, no position yet, a note too long, a photo over 5 MB or not an
// image by its bytes) is said here first, in the officer's words. Nothing is cut: the note's box has
// no maxlength (a paste would be cut silently), only a count of the room left.

import { escapeHtml } from "./dom.js";
import { MAX_PHOTO_BYTES, photoKind } from "./tablet_photos.js";

const CREW_SETS = Object.freeze({ available: ["meal_break", "unavailable"], unavailable: ["available"] });
const NOTE_MAX = 2000;   // the incident's description
const REASON_MAX = 200;  // platforms.services.REASON_MAX

export class StatusControls {
  constructor(element, tablet) {
    Object.assign(this, { element, tablet, ui: tablet.ui });
    this.shown = null;
  }

  render(status, onJob) {
    const key = `${status}/${onJob}`;
    if (!this.element || this.shown === key) return;  // a reason being typed survives other news
    this.shown = key;
    const choices = onJob ? [] : CREW_SETS[status] || [];
    const names = { meal_break: this.ui.meal_break, unavailable: this.ui.set_unavailable, available: this.ui.set_available };
    this.element.innerHTML = onJob ? `<p class="muted">${escapeHtml(this.ui.status_on_job)}</p>` : `
      ${choices.map((choice) => `<button type="button" class="status-choice" data-set="${choice}">${escapeHtml(names[choice])}</button>`).join("")}
      <form class="status-reason-form" hidden>
        <label>${escapeHtml(this.ui.unavailable_reason)} <input name="reason" required></label>
        <button type="submit">${escapeHtml(this.ui.confirm)}</button>
        <p class="form-error" role="alert"></p>
      </form>`;
    this.element.querySelectorAll("[data-set]").forEach((button) => button.addEventListener("click", () => this.chosen(button.dataset.set)));
    const form = this.element.querySelector("form");
    if (form) form.addEventListener("submit", (event) => this.withReason(event, form));
  }

  chosen(choice) {
    if (choice === "unavailable") {
      const form = this.element.querySelector("form");
      form.hidden = false;
      form.querySelector("input").focus();
    } else if (choice === "meal_break") {
      this.tablet.setStatus("unavailable", this.ui.meal_break_reason);
    } else {
      this.tablet.setStatus("available");
    }
  }

  withReason(event, form) {
    event.preventDefault();
    const reason = form.querySelector("input").value.trim();
    const problem = !reason ? this.ui.reason_needed
      : reason.length > REASON_MAX ? this.ui.too_long.replace("%(over)s", reason.length - REASON_MAX) : "";
    form.querySelector(".form-error").textContent = problem;
    if (!problem) this.tablet.setStatus("unavailable", reason);
  }
}

export class OnViewForm {
  constructor(form, tablet) {
    Object.assign(this, { form, tablet, ui: tablet.ui });
    if (!form) return;
    this.note = form.querySelector("[name=description]");
    this.error = form.querySelector(".form-error");
    form.addEventListener("submit", (event) => this.submit(event));
    this.note.addEventListener("input", () => this.count());
    this.count();
  }

  // Reports are for a crew free to take the incident on: one on a job clears it first.
  enable(free) {
    if (!this.form) return;
    this.form.querySelector("fieldset").disabled = !free;
    document.getElementById("on-view-busy").hidden = free;
  }

  showPosition(located) {
    const element = this.form && this.form.querySelector(".position");
    if (!element) return;
    element.textContent = `${this.ui.your_position}: ${located.lat.toFixed(5)}, ${located.lon.toFixed(5)}`
      + (Number.isFinite(located.accuracy) ? ` (±${Math.round(located.accuracy)} m)` : "");
    element.dataset.located = "true";
  }

  // Never cut silently: the officer sees how much room is left.
  count() {
    const left = NOTE_MAX - this.note.value.length;
    const counter = this.form.querySelector(".counter");
    counter.textContent = `${left} ${this.ui.characters_left}`;
    counter.classList.toggle("over", left < 0);
  }

  async submit(event) {
    event.preventDefault();
    const fields = Object.fromEntries(["category", "priority", "description", "address"]
      .map((name) => [name, this.form.elements[name].value.trim()]));
    const photo = this.form.elements.photo.files[0] || null;
    const problem = await this.problem(fields, photo);
    this.error.textContent = problem;
    if (problem) return;
    try {
      await this.tablet.reportOnView(fields, photo);
    } catch (error) {  // the photo could not be kept on this device (storage full, private mode)
      this.error.textContent = `${this.ui.failed}${error.message}`;
      return;
    }
    this.form.reset();
    this.count();
  }

  async problem(fields, photo) {
    if (!fields.category) return this.ui.category_needed;
    if (fields.description.length > NOTE_MAX) return this.ui.too_long.replace("%(over)s", fields.description.length - NOTE_MAX);
    if (!this.tablet.located) return this.ui.no_position;
    if (photo && photo.size > MAX_PHOTO_BYTES) return this.ui.photo_too_large;
    if (photo && !(await photoKind(photo))) return this.ui.photo_not_image;
    return "";
  }
}
