// The tablet's actions in the order the officer took them: assignment steps, the unit's status, notes,
// on-view reports, replies and read marks. Each is kept in localStorage (a report's photo in IndexedDB, see
// tablet_photos.js) until the server has it, so that a step taken in a tunnel or a report written
// with no signal survives a reload and is sent, in order, when the connection is back. Every action
// goes through the queue, online too: one path, one order.
//
// An entry is {kind, ...}: "step" {assignment, status, disposition, expected_version, lon?, lat?}
// (entries from before kinds existed are steps), "status" {status, reason}, "note" {incident, text},
// "report" {key, fields, photo} (key: the Idempotency-Key, so a report whose answer was lost is not
// made twice), "reply" {message, text}, "read" {message}, "broadcast_read" {broadcast}.

import { api, csrfToken } from "./api.js";
import { dropPhoto, keptPhoto } from "./tablet_photos.js";

export class ActionQueue {
  constructor(storageKey) {
    this.storageKey = storageKey;
  }

  get entries() {
    return JSON.parse(localStorage.getItem(this.storageKey) || "[]").map((entry) => ({ kind: "step", ...entry }));
  }

  set entries(list) {
    localStorage.setItem(this.storageKey, JSON.stringify(list));
  }

  get length() {
    return this.entries.length;
  }

  add(entry) {
    this.entries = [...this.entries, entry];
  }

  // The first entry is done (sent, or refused and dropped): it leaves, with `alsoDropped` of the rest.
  done(alsoDropped = () => false) {
    const [first, ...rest] = this.entries;
    this.entries = rest.filter((entry) => !alsoDropped(entry, first));
  }

  of(kind) {
    return this.entries.filter((entry) => entry.kind === kind);
  }
}

// What the server answers for an entry (its answer's JSON), or an Error with `status` (none: the
// network failed, so the entry stays for the next reconnect).
export function send(entry, unitId) {
  const post = (url, body = {}) => api(url, { method: "POST", body });
  switch (entry.kind) {
    case "step":
      return post(`/api/v1/assignments/${entry.assignment}/status`,
                  { status: entry.status, disposition: entry.disposition, expected_version: entry.expected_version });
    case "status":
      return post(`/api/v1/units/${unitId}/status`, { status: entry.status, reason: entry.reason });
    case "report":
      return sendReport(entry);
    case "note":
      return post(`/api/v1/incidents/${entry.incident}/notes`, { text: entry.text });
    case "reply":
      return post(`/api/v1/messages/${entry.message}/reply`, { text: entry.text });
    case "read":
      return post(`/api/v1/messages/${entry.message}/read`);
    case "broadcast_read":
      return post(`/api/v1/units/${unitId}/broadcasts/${entry.broadcast}/read`);
    default:
      return Promise.reject(Object.assign(new Error(`unknown action ${entry.kind}`), { status: 400 }));
  }
}

// The report as a form with its photo (multipart: the photo goes as a file, not as JSON).
async function sendReport(entry) {
  const form = new FormData();
  for (const [name, value] of Object.entries(entry.fields)) form.append(name, value);
  const photo = entry.photo ? await keptPhoto(entry.key) : null;
  if (photo) form.append("photo", photo.blob, photo.name);
  const response = await fetch("/api/v1/on-view-reports", {
    method: "POST", credentials: "same-origin", body: form,
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), "Idempotency-Key": entry.key },
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw Object.assign(new Error(said(data) || `HTTP ${response.status}`), { status: response.status, body: data });
  return data;
}

// The server's words for a refusal, without the field names it keys them by (the officer reads the
// sentences, not "lon:"): {"detail": "..."} or {"field": ["...", ...], ...}.
export function said(body) {
  if (!body) return "";
  if (typeof body.detail === "string") return body.detail;
  return Object.values(body).flat(Infinity).filter((part) => typeof part === "string").join(" ");
}

// A queued report's photo is dropped once the report is sent or refused.
export function forgetPhoto(entry) {
  if (entry.kind === "report" && entry.photo) dropPhoto(entry.key).catch(() => {});
}
