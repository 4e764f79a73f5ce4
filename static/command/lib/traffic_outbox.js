// What the traffic page sends, kept in localStorage until the server has it: an accident recorded or a
// settlement signed with no signal survives a reload and is sent, in order, when the connection is back
// (the browser's "online" event, or the next page load). Every write goes through here, online too: one
// path, one order. An entry is {url, method, body, key?, photo?}: key is the Idempotency-Key of a record,
// so a record whose answer was lost is not made twice; an accident is PUT whole, so sending it twice is
// harmless. A violation's photo waits in IndexedDB under the entry's key (tablet_photos.js) and goes as
// multipart with the record; it is dropped once the record is sent or refused.

import { api, csrfToken } from "./api.js";
import { dropPhoto, keptPhoto } from "./tablet_photos.js";
import { said } from "./tablet_queue.js";

export class Outbox {
  constructor(storageKey, { onSent = () => {}, onRefused = () => {}, onChange = () => {} } = {}) {
    Object.assign(this, { storageKey, onSent, onRefused, onChange, flushing: null });
    window.addEventListener("online", () => this.flush());
  }

  get entries() {
    return JSON.parse(localStorage.getItem(this.storageKey) || "[]");
  }

  set entries(list) {
    localStorage.setItem(this.storageKey, JSON.stringify(list));
    this.onChange(list.length);
  }

  get length() {
    return this.entries.length;
  }

  // Queue `entry` and send the queue; resolves to true once this entry reached the server.
  async add(entry) {
    this.entries = [...this.entries, { ...entry, id: `${Date.now()}-${Math.random().toString(36).slice(2)}` }];
    const id = this.entries.at(-1).id;
    await this.flush();
    return !this.entries.some((kept) => kept.id === id);
  }

  // Sends the entries in order; stops at the first network failure (the rest wait for the next reconnect).
  flush() {
    this.flushing ??= this.sendAll().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  async sendAll() {
    while (this.entries.length) {
      const [entry] = this.entries;
      try {
        const answer = await request(entry);
        this.entries = this.entries.slice(1);
        if (entry.photo) dropPhoto(entry.key).catch(() => {});
        this.onSent(entry, answer);
      } catch (error) {
        if (!error.status || error.status >= 500) return;  // no answer: kept for the next reconnect
        this.entries = this.entries.slice(1);
        if (entry.photo) dropPhoto(entry.key).catch(() => {});
        this.onRefused(entry, error);
      }
    }
  }
}

function request(entry) {
  if (!entry.photo) {
    return api(entry.url, { method: entry.method, body: entry.body, headers: entry.key ? { "Idempotency-Key": entry.key } : {} });
  }
  return sendWithPhoto(entry);
}

// The record as a form with its photo (multipart: the photo goes as a file, not as JSON).
async function sendWithPhoto(entry) {
  const form = new FormData();
  for (const [name, value] of Object.entries(entry.body)) if (value !== null && value !== undefined) form.append(name, value);
  const photo = await keptPhoto(entry.key);
  if (photo) form.append("photo", photo.blob, photo.name);
  const response = await fetch(entry.url, {
    method: entry.method, credentials: "same-origin", body: form,
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": entry.key },
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new Error(said(data) || `HTTP ${response.status}`), { status: response.status, body: data });
  return data;
}
