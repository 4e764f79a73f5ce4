// Entry module of the officer's tablet (/tablet/, templates/command/tablet.html): started only when
// the page names the officer's unit.

import { readJson } from "../lib/dom.js";
import { startHandset } from "../lib/handset.js";
import { Tablet } from "../lib/tablet.js";
import { TabletRelocation } from "../lib/tablet_relocation.js";

function start() {
  const data = readJson("tablet-data");
  const labels = readJson("tablet-labels");
  if (!data || !data.unit || !labels) return null;
  return new Tablet(data.unit, labels, data);
}

export const tablet = start();
// Issue 16: on a phone the page is the officer's own handset (the switch says otherwise).
export const handset = tablet ? startHandset(tablet, readJson("tablet-labels")) : null;
// Issue 17: a dispatcher's move-up order shows as a relocation task with its route.
export const relocation = tablet && document.getElementById("relocation-tile")
  ? new TabletRelocation(tablet, document.getElementById("relocation-tile")) : null;
