// The mobilization tool (集结): a point, a head count and a deadline → the proposed units by ETA
// (zone cover kept) and the arrival curve; the dispatcher confirms to send them all.

import { api } from "./api.js";
import { clock } from "./clock.js";
import { escapeHtml } from "./dom.js";

export function mobilizationForm(latlng, ui, panel) {
  const form = document.createElement("form");
  form.className = "mobilization-form";
  form.innerHTML = `<h3>${escapeHtml(ui.mobilize)}</h3>
    <label>${escapeHtml(ui.head_count)} <input name="head_count" type="number" min="1" max="5000" value="20" required></label>
    <label>${escapeHtml(ui.deadline_min)} <input name="deadline" type="number" min="1" max="120" value="10" required></label>
    <label>${escapeHtml(ui.reason)} <input name="reason" maxlength="200" required></label>
    <p class="form-error" role="alert"></p>
    <button type="submit">${escapeHtml(ui.propose)}</button>`;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { lon: Number(latlng.lng.toFixed(6)), lat: Number(latlng.lat.toFixed(6)),
                   head_count: Number(form.elements.head_count.value), deadline_s: Number(form.elements.deadline.value) * 60,
                   reason: form.elements.reason.value };
    try {
      showProposal(await api("/api/v1/mobilizations/", { method: "POST", body }), ui, panel);
    } catch (error) {
      form.querySelector(".form-error").textContent = `${ui.failed}${error.message}`;
    }
  });
  return form;
}

function showProposal(mobilization, ui, panel) {
  const proposal = mobilization.proposal;
  panel.hidden = false;
  panel.dataset.mobilization = mobilization.id;
  panel.dataset.status = mobilization.status;
  panel.querySelector(".mobilization-body").innerHTML = `
    <p><strong>${proposal.officers}</strong> ${escapeHtml(ui.officers_proposed)} / ${mobilization.head_count} ·
      <span class="${proposal.met ? "meets" : "misses"}">${escapeHtml(proposal.met ? ui.met : ui.not_met)}</span> ·
      ${proposal.reachable_in_time} ${escapeHtml(ui.reachable)}</p>
    ${curveSvg(proposal.curve, mobilization.deadline_s, mobilization.head_count)}
    <ol class="options">${proposal.units.map((unit) => `<li data-unit="${unit.unit}">${escapeHtml(unit.call_sign)} ·
      ${unit.officers} · ${escapeHtml(ui.eta)} ${clock(unit.eta_s)}</li>`).join("")}</ol>
    ${mobilization.status === "proposed" && proposal.units.length
      ? `<button type="button" class="confirm primary">${escapeHtml(ui.confirm)}</button>` : ""}
    <p class="form-error" role="alert"></p>`;
  panel.querySelector(".confirm")?.addEventListener("click", async () => {
    try {
      const confirmed = await api(`/api/v1/mobilizations/${mobilization.id}/confirm`, { method: "POST", body: {} });
      showProposal(confirmed, ui, panel);
      panel.querySelector(".mobilization-body").insertAdjacentHTML("afterbegin", `<p>${escapeHtml(ui.confirmed)}</p>`);
    } catch (error) {
      panel.querySelector(".form-error").textContent = `${ui.failed}${error.message}`;
    }
  });
}

// Officers on scene over time as a step line, with the deadline and the head count marked.
function curveSvg(curve, deadline, wanted) {
  const width = 300;
  const height = 120;
  const maxT = Math.max(deadline, ...curve.map(([t]) => t), 1);
  const maxN = Math.max(wanted, ...curve.map(([, n]) => n), 1);
  const x = (t) => (t / maxT) * (width - 10) + 5;
  const y = (n) => height - 5 - (n / maxN) * (height - 10);
  let path = `M${x(0)},${y(0)}`;
  for (const [t, n] of curve) path += ` H${x(t).toFixed(1)} V${y(n).toFixed(1)}`;
  return `<svg class="arrival-curve" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">
    <line x1="${x(deadline)}" y1="0" x2="${x(deadline)}" y2="${height}" stroke="#c62828" stroke-dasharray="4 3"/>
    <line x1="0" y1="${y(wanted)}" x2="${width}" y2="${y(wanted)}" stroke="#2e7d32" stroke-dasharray="4 3"/>
    <path d="${path}" fill="none" stroke="#0d2b4e" stroke-width="2"/></svg>`;
}
