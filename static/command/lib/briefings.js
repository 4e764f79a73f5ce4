// The reports page: a briefing run on demand (POSTed, then polled for its progress until it is done).

import { api } from "./api.js";

const POLL_MS = 1000;

export class BriefingRunner {
  constructor(form, panel) {
    this.form = form;
    this.panel = panel;
    this.bar = panel.querySelector("progress");
    this.stage = panel.querySelector(".stage");
    this.link = panel.querySelector("a.open");
    form.addEventListener("submit", (event) => { event.preventDefault(); this.run(); });
  }

  async run() {
    const body = {};
    for (const [name, value] of new FormData(this.form)) if (value) body[name] = name === "platform" ? Number(value) : value;
    try {
      const briefing = await api("/api/v1/analysis/briefings", { method: "POST", body });
      this.bar.hidden = false;
      this.follow(briefing.id);
    } catch (error) {
      this.stage.textContent = error.message;
    }
  }

  async follow(id) {
    const briefing = await api(`/api/v1/analysis/briefings/${id}`);
    this.bar.value = briefing.progress;
    this.stage.textContent = `${briefing.status_label} · ${briefing.progress}% ${briefing.stage}`;
    this.panel.dataset.status = briefing.status;
    if (briefing.status === "done" || briefing.status === "failed") {
      this.link.href = briefing.page;
      this.link.hidden = briefing.status !== "done";
      return;
    }
    window.setTimeout(() => this.follow(id), POLL_MS);
  }
}
