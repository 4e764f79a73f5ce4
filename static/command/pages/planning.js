// Entry module of the deployment planning page (/supervisor/planning/, templates/planning/planning.html):
// ask for a band's plan, follow its progress, show it beside today's placement, accept it. Every
// action goes through the REST API (/api/v1/deployment-plans/).

import { api } from "../lib/api.js";
import { readJson } from "../lib/dom.js";
import { drawPlacement, planningMap } from "../lib/planning_map.js";
import { coverageRows, extraText, fill, platformRows, summaryText, uncoveredText } from "../lib/planning_report.js";

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

class PlanningPage {
  constructor(data, words) {
    this.data = data;
    this.words = words;
    this.plan = null;
    this.views = null;
    $("plan-form").addEventListener("submit", (event) => { event.preventDefault(); this.run(); });
    $("plan-accept").addEventListener("click", () => this.accept());
    $("plan-list").addEventListener("click", (event) => this.pick(event));
    const wanted = window.location.hash.match(/^#plan-(\d+)$/);
    if (wanted) this.follow(Number(wanted[1]));
  }

  async run() {
    const body = { starts_at: $("plan-band").value };
    if ($("plan-district").value) body.district = Number($("plan-district").value);
    this.stage(this.words.stage.starting, 0);
    $("plan-run").disabled = true;
    try {
      this.show(await api("/api/v1/deployment-plans/", { method: "POST", body }));
      await this.follow(this.plan.id);
    } catch (error) {
      this.stage(error.message, null);
    } finally {
      $("plan-run").disabled = false;
    }
  }

  async follow(id) {
    for (;;) {
      this.show(await api(`/api/v1/deployment-plans/${id}/`));
      if (!["queued", "running"].includes(this.plan.status)) return;
      await new Promise((resolve) => { setTimeout(resolve, POLL_MS); });
    }
  }

  pick(event) {
    const link = event.target.closest("[data-plan]");
    if (!link) return;
    event.preventDefault();
    window.location.hash = `plan-${link.dataset.plan}`;
    this.follow(Number(link.dataset.plan)).catch((error) => this.stage(error.message, null));
  }

  show(plan) {
    this.plan = plan;
    document.body.dataset.planStatus = plan.status;
    document.body.dataset.planId = plan.id;
    if (plan.status === "failed") return this.stage(fill(this.words.failed, { error: plan.error }), null);
    const stage = this.words.stage[plan.stage] || this.words.status[plan.status] || plan.status;
    this.stage(plan.status === "queued" ? this.words.status.queued : stage, plan.progress);
    if (plan.result && plan.result.platforms) this.render(plan);
    return null;
  }

  stage(text, progress) {
    $("plan-stage").textContent = text;
    $("plan-progress").hidden = progress === null;
    if (progress !== null) $("plan-progress").value = progress;
  }

  render(plan) {
    const result = plan.result;
    $("plan-result").hidden = false;
    $("plan-summary").textContent = summaryText(result, this.words);
    $("plan-coverage").tBodies[0].innerHTML = coverageRows(result, this.words);
    $("plan-platforms").tBodies[0].innerHTML = platformRows(result, this.words);
    $("plan-uncovered").textContent = uncoveredText(result, this.words);
    $("plan-extra").textContent = extraText(result, this.words);
    this.drawMaps(result);
    this.decision(plan);
  }

  drawMaps(result) {
    if (!window.L) return;
    if (!this.views) {
      this.views = { today: planningMap($("plan-map-today"), this.data), plan: planningMap($("plan-map-plan"), this.data) };
    }
    drawPlacement(this.views.today, result.today || [], this.words);
    drawPlacement(this.views.plan, result.platforms, this.words);
  }

  decision(plan) {
    $("plan-accept").disabled = plan.status !== "ready";
    $("plan-decision").textContent = plan.status === "accepted"
      ? fill(this.words.accepted, { user: plan.accepted_by || "", at: (plan.accepted_at || "").slice(0, 16) })
      : (this.words.status[plan.status] || "");
  }

  async accept() {
    $("plan-accept").disabled = true;
    try {
      this.show(await api(`/api/v1/deployment-plans/${this.plan.id}/accept`, { method: "POST", body: {} }));
    } catch (error) {
      $("plan-decision").textContent = error.message;
      $("plan-accept").disabled = false;
    }
  }
}

function start() {
  const data = readJson("planning-map-data");
  const words = readJson("planning-words");
  if (!data || !words || !$("plan-form")) return null;
  return new PlanningPage(data, words);
}

export const planningPage = start();
