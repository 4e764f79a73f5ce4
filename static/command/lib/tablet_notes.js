// Notes on the current job's timeline from the tablet (the console writes them too): the job's notes,
// oldest first, those still in the queue shown as waiting, and a box with a live count of the room
// left. A note over the limit is refused here with its count, never cut (as the server would).

import { wallTime } from "./clock.js";
import { escapeHtml } from "./dom.js";
import { api } from "./api.js";

const NOTE_MAX = 1000;  // dispatch.notes.NOTE_MAX

export class NotesPanel {
  constructor(element, tablet) {
    Object.assign(this, { element, tablet, ui: tablet.ui });
    this.incident = null;
    this.notes = new Map();  // incident id -> Map(note id -> {at, author, text})
    if (!element) return;
    this.form = element.querySelector("form");
    this.box = this.form.querySelector("textarea");
    this.box.addEventListener("input", () => this.count());
    this.form.addEventListener("submit", (event) => this.submit(event));
    this.count();
  }

  // The job whose notes are shown (null: none); its notes are read once from its timeline.
  show(incidentId) {
    if (!this.element) return;
    this.element.hidden = incidentId === null;
    if (incidentId !== this.incident) {
      this.incident = incidentId;
      if (incidentId !== null && !this.notes.has(incidentId)) this.load(incidentId);
    }
    this.render();
  }

  async load(incidentId) {
    this.notes.set(incidentId, new Map());
    try {
      const steps = await api(`/api/v1/incidents/${incidentId}/events`);
      for (const step of steps) if (step.kind === "note") this.heard({ ...step, incident: incidentId });
    } catch (error) {
      this.notes.delete(incidentId);  // offline: read again when the job is shown next
    }
  }

  // A note from the socket (incident.noted), from the timeline or the server's answer to ours.
  heard(row) {
    if (!this.notes.has(row.incident)) this.notes.set(row.incident, new Map());
    this.notes.get(row.incident).set(row.id, { at: row.at, author: row.actor_name ?? row.actor, text: row.data.text });
    if (row.incident === this.incident) this.render();
  }

  render() {
    if (!this.element || this.incident === null) return;
    const held = [...(this.notes.get(this.incident) || new Map()).values()].sort((a, b) => a.at.localeCompare(b.at));
    const waiting = this.tablet.actions.of("note").filter((entry) => entry.incident === this.incident);
    this.element.querySelector(".notes-list").innerHTML = [
      ...held.map((note) => `<li><time>${wallTime(note.at)}</time> <span class="muted">${escapeHtml(note.author || "")}</span>
        <span class="text">${escapeHtml(note.text)}</span></li>`),
      ...waiting.map((entry) => `<li class="pending"><span class="muted">${escapeHtml(this.ui.pending)}</span>
        <span class="text">${escapeHtml(entry.text)}</span></li>`)].join("");
  }

  count() {
    const left = NOTE_MAX - this.box.value.length;
    const counter = this.form.querySelector(".counter");
    counter.textContent = `${left} ${this.ui.characters_left}`;
    counter.classList.toggle("over", left < 0);
  }

  submit(event) {
    event.preventDefault();
    const text = this.box.value.trim();
    const error = this.form.querySelector(".form-error");
    error.textContent = text.length > NOTE_MAX ? this.ui.too_long.replace("%(over)s", text.length - NOTE_MAX) : "";
    if (!text || text.length > NOTE_MAX || this.incident === null) return;
    this.tablet.addNote(this.incident, text);
    this.box.value = "";
    this.count();
  }
}
