// Entry module of the officer's tablet (/tablet/, templates/command/tablet.html): started only when
// the page names the officer's unit.

import { readJson } from "../lib/dom.js";
import { Tablet } from "../lib/tablet.js";

function start() {
  const data = readJson("tablet-data");
  const labels = readJson("tablet-labels");
  if (!data || !data.unit || !labels) return null;
  return new Tablet(data.unit, labels, data);
}

export const tablet = start();
