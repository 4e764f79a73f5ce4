// The forms of the selected incident, each named for what it does and each one confirmation:
// replace a unit (改派: the first released with the reason), recall a unit, add a unit as backup,
// cancel (撤销) with a reason, close (结警) with a disposition and a result, reopen, and a note.
// Which appear follows the incident's status; the server checks every rule again.

import { api } from "./api.js";
import { bindCounter, escapeHtml } from "./dom.js";
import { ACTIVE_ASSIGNMENT, OPEN_INCIDENT } from "./statuses.js";

const RELEASABLE = Object.freeze(["assigned", "acknowledged", "en_route"]);

export function actionForms(live, incident, assignments) {
  const forms = [];
  const active = assignments.filter((row) => ACTIVE_ASSIGNMENT.includes(row.status));
  if (OPEN_INCIDENT.includes(incident.status)) {
    for (const row of active.filter((a) => RELEASABLE.includes(a.status))) forms.push(replaceForm(live, row), recallForm(live, row));
    forms.push(backupForm(live, incident), cancelForm(live, incident));
  }
  if (incident.status === "cleared") forms.push(closeForm(live, incident));
  if (["cleared", "closed", "cancelled"].includes(incident.status)) forms.push(reopenForm(live, incident));
  forms.push(noteForm(live, incident));
  return forms;
}

// A titled form that posts what `body()` gives to `url` and hands the answer to `done`.
function actionForm(live, { name, title, fields, submit, url, body, done = () => {} }) {
  const form = document.createElement("form");
  form.className = `incident-action ${name}`;
  form.dataset.action = name;
  form.innerHTML = `<h3>${escapeHtml(title)}</h3>${fields}<p class="form-error" role="alert"></p>
    <button type="submit" class="primary">${escapeHtml(submit)}</button>`;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      done(await api(url(), { method: "POST", body: body(form.elements) }));
      form.querySelector(".form-error").textContent = "";
    } catch (error) {
      form.querySelector(".form-error").textContent = `${live.ui.failed}${error.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function options(choices, blank) {
  return `<option value="">${escapeHtml(blank)}</option>` +
    Object.entries(choices).map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`).join("");
}

function unitOptions(live, blank) {
  return options(Object.fromEntries(live.availableUnits().map((unit) => [unit.id, unit.call_sign])), blank);
}

function replaceForm(live, row) {
  const ui = live.ui;
  const sign = live.units.get(row.unit)?.call_sign || `#${row.unit}`;
  return actionForm(live, {
    name: "reassign", title: `${ui.reassign} ${sign}`, submit: ui.reassign_confirm,
    fields: `<label>${escapeHtml(ui.new_unit)} <select name="unit" required>${unitOptions(live, ui.choose)}</select></label>
      <label>${escapeHtml(ui.reason)} <input name="reason" maxlength="300" required></label>`,
    url: () => `/api/v1/assignments/${row.id}/reassign`,
    body: (e) => ({ unit: Number(e.unit.value), reason: e.reason.value }),
    done: (made) => live.assignments.offer(made),
  });
}

function recallForm(live, row) {
  const ui = live.ui;
  const sign = live.units.get(row.unit)?.call_sign || `#${row.unit}`;
  return actionForm(live, {
    name: "recall", title: `${ui.recall} ${sign}`, submit: ui.recall_confirm,
    fields: `<label>${escapeHtml(ui.reason)} <input name="reason" maxlength="300" required></label>`,
    url: () => `/api/v1/assignments/${row.id}/recall`,
    body: (e) => ({ reason: e.reason.value }),
    done: (released) => live.assignments.offer(released),
  });
}

function backupForm(live, incident) {
  const ui = live.ui;
  return actionForm(live, {
    name: "backup", title: ui.add_unit, submit: ui.add_unit_confirm,
    fields: `<label>${escapeHtml(ui.unit)} <select name="unit" required>${unitOptions(live, ui.choose)}</select></label>`,
    url: () => "/api/v1/assignments/",
    body: (e) => ({ incident: incident.id, unit: Number(e.unit.value) }),
    done: (made) => live.assignments.offer(made),
  });
}

function cancelForm(live, incident) {
  const ui = live.ui;
  return actionForm(live, {
    name: "cancel", title: ui.cancel_incident, submit: ui.cancel_confirm,
    fields: `<label>${escapeHtml(ui.reason)} <select name="reason" required>${options(live.labels.cancel_reason, ui.choose)}</select></label>
      <label>${escapeHtml(ui.notes)} <input name="note" maxlength="300"></label>`,
    url: () => `/api/v1/incidents/${incident.id}/cancel`,
    body: (e) => ({ reason: e.reason.value, note: e.note.value }),
    done: (row) => live.incidentChanged(row),
  });
}

function closeForm(live, incident) {
  const ui = live.ui;
  const form = actionForm(live, {
    name: "close", title: ui.close_incident, submit: ui.close_confirm,
    fields: `<label>${escapeHtml(ui.disposition)} <select name="disposition" required>${options(live.labels.disposition, ui.choose)}</select></label>
      <label>${escapeHtml(ui.result)} <textarea name="result" maxlength="2000" rows="2" required data-counter="close-result-count"></textarea></label>
      <p class="counter muted" id="close-result-count"></p>`,
    url: () => `/api/v1/incidents/${incident.id}/close`,
    body: (e) => ({ disposition: e.disposition.value, result: e.result.value }),
    done: (row) => live.incidentChanged(row),
  });
  bindCounter(form.elements.result);
  return form;
}

function reopenForm(live, incident) {
  const ui = live.ui;
  return actionForm(live, {
    name: "reopen", title: ui.reopen, submit: ui.reopen_confirm,
    fields: `<label>${escapeHtml(ui.reason)} <input name="reason" maxlength="300" required></label>`,
    url: () => `/api/v1/incidents/${incident.id}/reopen`,
    body: (e) => ({ reason: e.reason.value }),
    done: (row) => live.incidentChanged(row),
  });
}

function noteForm(live, incident) {
  const ui = live.ui;
  const form = actionForm(live, {
    name: "note", title: ui.add_note, submit: ui.add_note,
    fields: `<label class="visually-hidden" for="note-text">${escapeHtml(ui.add_note)}</label>
      <textarea id="note-text" name="text" maxlength="1000" rows="2" required data-counter="note-count"></textarea>
      <p class="counter muted" id="note-count"></p>`,
    url: () => `/api/v1/incidents/${incident.id}/notes`,
    body: (e) => ({ text: e.text.value }),
    done: () => { form.elements.text.value = ""; form.elements.text.dispatchEvent(new Event("input")); live.changed(true); },
  });
  bindCounter(form.elements.text);
  return form;
}
