// Move-up suggestions (动态补位) in a console panel: who moves where, the coverage gained, and one
// click to order the move (POST /api/v1/move-ups/<id>/order; the crew's tablet then gets a
// `unit.relocation` with the route). Export only: the console wires it to its panel.
//
//   renderMoveUps(element, live, suggestions)
//     element      the panel's container; its content is replaced on every call
//     live         the console (LiveConsole) or null: its `labels.moveup` words are used when present
//                  (command.planning_views.moveup_words() gives them in the page's language), and
//                  `live.onMoveUpOrdered(moveUp, route)` is called after an order, if it exists
//     suggestions  the `data` of a `coverage.moveup` event ({coverage, suggestions: [...]}), or the rows of
//                  GET /api/v1/move-ups/ (a list, or the paginated {results: [...]})
//   returns the suggestions shown, normalised: {id, unit, call_sign, status, to: {lon, lat, label},
//   drive_s, gain, coverage_before, coverage_after, version}

import { api } from "./api.js";
import { escapeHtml } from "./dom.js";

const WORDS = Object.freeze({
  title: "Move-up", coverage: "Free units reach {share} of the demand within target ({free} free units).",
  none: "No move-up needed: the free units cover what they can.", order: "Order the move",
  ordered: "Ordered", moves_to: "{unit} → {place}", drive: "{minutes} min drive", gain: "+{gain} coverage",
  status: { open: "Suggested", ordered: "Ordered", arrived: "Arrived", missed: "Not carried out", dropped: "No longer needed" },
});

export function normaliseMoveUps(suggestions) {
  const rows = Array.isArray(suggestions) ? suggestions : (suggestions?.suggestions || suggestions?.results || []);
  return rows.map((row) => ({
    id: row.id, unit: row.unit, call_sign: row.call_sign, status: row.status, version: row.version,
    to: row.to || { lon: row.to_lon, lat: row.to_lat, label: row.to_label },
    drive_s: row.drive_s, gain: row.gain, coverage_before: row.coverage_before, coverage_after: row.coverage_after,
  }));
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function percent(value) {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
}

export function renderMoveUps(element, live, suggestions) {
  const words = { ...WORDS, ...(live?.labels?.moveup || {}) };
  const rows = normaliseMoveUps(suggestions);
  const coverage = suggestions?.coverage;
  const head = coverage && coverage.expected !== undefined
    ? `<p class="moveup-coverage">${escapeHtml(fill(words.coverage, { share: percent(coverage.expected), free: coverage.free_units }))}</p>`
    : "";
  const items = rows.map((row) => rowHtml(row, words)).join("");
  element.innerHTML = `${head}${rows.length ? `<ul class="moveup-list">${items}</ul>` : `<p class="empty">${escapeHtml(words.none)}</p>`}`;
  element.dataset.moveUps = String(rows.length);
  for (const button of element.querySelectorAll("button[data-move-up]")) {
    button.addEventListener("click", () => order(button, live, words));
  }
  return rows;
}

function rowHtml(row, words) {
  const what = fill(words.moves_to, { unit: row.call_sign, place: row.to.label });
  const detail = `${fill(words.drive, { minutes: Math.max(1, Math.round(row.drive_s / 60)) })} · `
    + `${fill(words.gain, { gain: percent(row.gain) })}`;
  const action = row.status === "open"
    ? `<button type="button" data-move-up="${row.id}">${escapeHtml(words.order)}</button>`
    : `<span class="moveup-status">${escapeHtml(words.status[row.status] || row.status)}</span>`;
  return `<li data-move-up-id="${row.id}" data-unit="${row.unit}" data-status="${escapeHtml(row.status)}">`
    + `<strong>${escapeHtml(what)}</strong> <span class="moveup-detail">${escapeHtml(detail)}</span> ${action}`
    + `<span class="moveup-error" role="alert"></span></li>`;
}

async function order(button, live, words) {
  const item = button.closest("li");
  button.disabled = true;
  try {
    const answer = await api(`/api/v1/move-ups/${button.dataset.moveUp}/order`, { method: "POST", body: {} });
    item.dataset.status = "ordered";
    button.replaceWith(Object.assign(document.createElement("span"), { className: "moveup-status", textContent: words.ordered }));
    if (typeof live?.onMoveUpOrdered === "function") live.onMoveUpOrdered(answer.move_up, answer.route);
  } catch (error) {
    item.querySelector(".moveup-error").textContent = error.message;
    button.disabled = false;
  }
}
