// Address lookup (grid's /api/v1/places/): suggestions under a text input as the dispatcher types
// (an ARIA 1.2 combobox with a listbox popup, driven by the keyboard or the mouse), and two helpers
// for a map point: its address (reverseLookup) and its zone, key site and response target
// (locatePoint). Everything here only answers or draws when called.
//
//   const lookup = attachAddressLookup(input, { onPick: (place) => ..., labels: { empty: "无匹配地点" } });
//   const address = await reverseLookup(lon, lat);   // {address, street, nearest, ...}
//   const where = await locatePoint(lon, lat);       // {zone, key_site, target_s, target_label, ...}

import { api } from "./api.js";

const SEARCH_URL = "/api/v1/places/search";
const DEFAULTS = Object.freeze({ limit: 8, delayMs: 150, minChars: 1, fill: true });
// Words a page may give in its own language; empty ones are not shown.
const LABELS = Object.freeze({ empty: "", error: "", count: "" });
let lists = 0;

// Places for what was typed, best first: [{id, name, kind, kind_label, street, cross_street, lon, lat,
// match, score}]. Throws like api() (with `status` and the server's message) on a refusal.
export async function searchPlaces(query, { limit = DEFAULTS.limit, signal } = {}) {
  const url = `${SEARCH_URL}?${new URLSearchParams({ q: query, limit: String(limit) })}`;
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal });
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw Object.assign(new Error((data && data.detail) || `HTTP ${response.status}`), { status: response.status, body: data });
  }
  return data;
}

// The address a dispatcher would write for a map point: {address, street, street_distance_m,
// nearest: {name, kind, kind_label, distance_m, ...} | null, lon, lat}.
export function reverseLookup(lon, lat) {
  return api(`/api/v1/places/reverse?${new URLSearchParams({ lon: String(lon), lat: String(lat) })}`);
}

// Where a point falls before a call placed there is saved: {zone: {id, code, name, response_class,
// response_class_label} | null, key_site: {id, code, name, kind, kind_label} | null, target_s, target_label}.
export function locatePoint(lon, lat) {
  return api(`/api/v1/places/locate?${new URLSearchParams({ lon: String(lon), lat: String(lat) })}`);
}

// Suggestions under `input`. `onPick(place)` is called with the chosen place (after the input shows its
// name, unless `fill: false`). Enter with no suggestion highlighted is left to the form. Returns
// {close, search(text), destroy}.
export function attachAddressLookup(input, options = {}) {
  const settings = { ...DEFAULTS, ...options, labels: { ...LABELS, ...(options.labels || {}) } };
  const state = { places: [], active: -1, timer: null, request: null, sequence: 0 };
  const { list, status } = popup(input);
  const view = { input, list, status, settings, state };
  const handlers = {
    input: () => schedule(view),
    keydown: (event) => onKey(view, event),
    blur: () => setTimeout(() => close(view), 150),  // after a click on a suggestion has landed
  };
  const onMouseDown = (event) => {
    const option = event.target.closest("[role=option]");
    if (!option) return;
    event.preventDefault();  // keep the focus in the input
    pick(view, Number(option.dataset.index));
  };
  Object.entries(handlers).forEach(([name, handler]) => input.addEventListener(name, handler));
  list.addEventListener("mousedown", onMouseDown);
  return {
    close: () => close(view),
    search: (text) => { input.value = text; return run(view); },
    destroy: () => {
      close(view);
      Object.entries(handlers).forEach(([name, handler]) => input.removeEventListener(name, handler));
      list.removeEventListener("mousedown", onMouseDown);
      list.remove();
      status.remove();
      ["role", "aria-autocomplete", "aria-expanded", "aria-controls", "aria-activedescendant"].forEach((name) => input.removeAttribute(name));
    },
  };
}

function popup(input) {
  lists += 1;
  const list = document.createElement("ul");
  Object.assign(list, { id: `address-suggestions-${lists}`, className: "address-suggestions", hidden: true });
  list.setAttribute("role", "listbox");
  const status = document.createElement("p");
  status.className = "address-status";
  status.setAttribute("role", "status");
  input.after(list, status);
  input.removeAttribute("list");  // a <datalist> would open a second popup over ours
  Object.entries({ role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": list.id,
                   autocomplete: "off" }).forEach(([name, value]) => input.setAttribute(name, value));
  return { list, status };
}

function schedule(view) {
  clearTimeout(view.state.timer);
  view.state.timer = setTimeout(() => run(view), view.settings.delayMs);
}

async function run(view) {
  const { input, settings, state } = view;
  const text = input.value.trim();
  if (state.request) state.request.abort();
  if (text.length < settings.minChars) return close(view);
  const sequence = ++state.sequence;
  state.request = new AbortController();
  try {
    const places = await searchPlaces(text, { limit: settings.limit, signal: state.request.signal });
    if (sequence === state.sequence) show(view, places);
  } catch (error) {
    if (error.name === "AbortError" || sequence !== state.sequence) return;
    show(view, []);
    view.status.textContent = (error.status === 400 && error.message) || view.settings.labels.error;
  }
}

function show(view, places) {
  const { input, list, status, settings, state } = view;
  Object.assign(state, { places, active: -1 });
  list.replaceChildren(...places.map((place, index) => option(list.id, place, index)));
  list.hidden = places.length === 0;
  input.setAttribute("aria-expanded", String(places.length > 0));
  input.removeAttribute("aria-activedescendant");
  if (!places.length) {
    status.textContent = settings.labels.empty;
  } else {
    status.textContent = settings.labels.count ? `${places.length} ${settings.labels.count}` : "";
    place(view);
  }
}

function option(listId, place, index) {
  const item = document.createElement("li");
  Object.assign(item, { id: `${listId}-${index}`, className: `address-option kind-${place.kind}` });
  item.dataset.index = String(index);
  item.setAttribute("role", "option");
  item.setAttribute("aria-selected", "false");
  const name = document.createElement("span");
  Object.assign(name, { className: "address-name", textContent: place.name });
  const kind = document.createElement("span");
  Object.assign(kind, { className: "address-kind", textContent: place.kind_label });
  item.append(name, " ", kind);
  return item;
}

// The popup sits under the input, as wide as it: both share the same positioned ancestor.
function place(view) {
  const { input, list } = view;
  Object.assign(list.style, { top: `${input.offsetTop + input.offsetHeight}px`, left: `${input.offsetLeft}px`,
                              minWidth: `${input.offsetWidth}px` });
}

function onKey(view, event) {
  const { state, list } = view;
  const open = !list.hidden;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (!open) return void run(view);
    // Round the list and back to the input: slots -1 (the input), 0 .. n-1 (the suggestions).
    const slots = state.places.length + 1;
    const step = event.key === "ArrowDown" ? 1 : -1;
    highlight(view, ((state.active + 1 + step + slots) % slots) - 1);
  } else if (event.key === "Enter" && open && state.active >= 0) {
    event.preventDefault();
    pick(view, state.active);
  } else if (event.key === "Escape" && open) {
    event.preventDefault();
    close(view);
  } else if (event.key === "Tab") {
    close(view);
  }
}

// `index` -1 is the input itself: no suggestion highlighted.
function highlight(view, index) {
  const { input, list, state } = view;
  state.active = index >= 0 && index < state.places.length ? index : -1;
  [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === state.active)));
  const current = list.children[state.active];
  if (current) {
    input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

function pick(view, index) {
  const chosen = view.state.places[index];
  if (!chosen) return;
  if (view.settings.fill) view.input.value = chosen.name;
  close(view);
  if (view.settings.onPick) view.settings.onPick(chosen);
}

function close(view) {
  const { input, list, state } = view;
  clearTimeout(state.timer);
  state.sequence += 1;  // an answer still on its way is dropped
  if (state.request) state.request.abort();
  Object.assign(state, { places: [], active: -1, request: null });
  view.status.textContent = "";
  list.replaceChildren();
  list.hidden = true;
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
}
