// What the traffic page sends, kept in localStorage until the server has it: an accident recorded or a
// settlement signed with no signal survives a reload and is sent, in order, when the connection is back
// (the browser's "online" event, or the next page load). Every write goes through here, online too: one
// path, one order. An entry is {url, method, body, key?}: key is the Idempotency-Key of a record, so a
// record whose answer was lost is not made twice; an accident is PUT whole, so sending it twice is harmless.

import { api } from "./api.js";

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
        const answer = await api(entry.url, { method: entry.method, body: entry.body,
                                              headers: entry.key ? { "Idempotency-Key": entry.key } : {} });
        this.entries = this.entries.slice(1);
        this.onSent(entry, answer);
      } catch (error) {
        if (!error.status || error.status >= 500) return;  // no answer: kept for the next reconnect
        this.entries = this.entries.slice(1);
        this.onRefused(entry, error);
      }
    }
  }
}
