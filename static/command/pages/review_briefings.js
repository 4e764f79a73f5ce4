// Entry module of the briefings (reports) page (/analysis/briefings/, templates/analysis/briefings.html).

import { BriefingRunner } from "../lib/briefings.js";

function start() {
  const form = document.getElementById("briefing-form");
  const panel = document.getElementById("briefing-run");
  return form && panel ? new BriefingRunner(form, panel) : null;
}

export const briefingsPage = start();
