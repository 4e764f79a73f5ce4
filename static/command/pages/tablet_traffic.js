// Entry module of the officer's traffic page (/tablet/traffic/, templates/command/tablet_traffic.html):
// started only when the page names the officer's unit.

import { readJson } from "../lib/dom.js";
import { TrafficPage } from "../lib/traffic_forms.js";

function start() {
  const data = readJson("traffic-data");
  const words = readJson("traffic-words");
  if (!data || !data.unit || !words) return null;
  return new TrafficPage(data, words);
}

export const trafficPage = start();
