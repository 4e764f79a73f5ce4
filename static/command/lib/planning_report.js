// The deployment planning page's words and tables from a plan's report (planning.report): the
// solver's account, the coverage by class beside today's placement and the greedy plan, what each
// platform does, the calls left uncovered and the extra crews the goals would take.

import { escapeHtml } from "./dom.js";

const CLASSES = ["60", "180", "300", "overall"];

export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function percent(value) {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(1)}%`;
}

export function summaryText(result, words) {
  const solver = result.solver;
  const claim = solver.proven_optimal ? words.proven : fill(words.not_proven, { gap: percent(solver.gap) });
  return fill(words.summary, {
    claim, cells: result.size.cells, candidates: result.size.candidates, crews: result.size.crews,
    busy: percent(result.size.busy_fraction), source: words.source[result.demand.source] || result.demand.source,
    calls: result.demand.calls, seconds: result.timing ? result.timing.total_seconds : solver.solve_seconds,
  });
}

export function coverageRows(result, words) {
  const cell = (shares, name) => {
    const row = shares && shares[name];
    return row ? `${percent(row.expected)} (${percent(row.reach)})` : "–";
  };
  return CLASSES.map((name) => `<tr data-class="${name}"><th scope="row">${escapeHtml(words.class[name])}</th>`
    + `<td class="num">${cell(result.coverage.today, name)}</td><td class="num">${cell(result.coverage.plan, name)}</td>`
    + `<td class="num">${cell(result.coverage.greedy, name)}</td></tr>`).join("");
}

export function platformRows(result, words) {
  return result.platforms.map((row) => {
    const where = row.moves ? fill(words.moves, { metres: row.distance_m, stand: `${row.stand.code} ${row.stand.name}` })
      : words.stays;
    const posts = row.tasks.filter((t) => t.kind === "post").map((t) => t.code).join(", ") || "–";
    const others = row.tasks.filter((t) => t.kind !== "post").map((t) => `${t.code}×${t.crews}`).join(", ") || "–";
    const reserve = row.reserve ? ` · ${fill(words.reserve, { n: row.reserve })}` : "";
    return `<tr data-platform="${escapeHtml(row.code)}" data-stand="${escapeHtml(row.stand.code)}"><th scope="row">`
      + `${escapeHtml(row.code)} ${escapeHtml(row.name)}</th><td>${escapeHtml(where)}</td>`
      + `<td class="num">${row.crews}${escapeHtml(reserve)}</td><td>${escapeHtml(posts)}</td><td>${escapeHtml(others)}</td></tr>`;
  }).join("");
}

export function uncoveredText(result, words) {
  const plan = result.uncovered.plan;
  if (!plan) return "";
  return fill(words.uncovered, { calls: plan.calls, share: percent(plan.share),
                                 today: percent(result.uncovered.today && result.uncovered.today.share) });
}

export function extraText(result, words) {
  const extra = result.extra_crews;
  if (!extra) return "";
  const goals = { overall: percent(extra.goals.overall), key: percent(extra.goals["60"]) };
  if (extra.crews === null) return fill(words.extra_unreachable, { best: percent(extra.best_possible.overall) });
  if (extra.crews === 0) return fill(words.extra_none, goals);
  const where = extra.where.map((w) => `${w.near || `${w.lon.toFixed(5)}, ${w.lat.toFixed(5)}`}`).join("; ");
  return fill(words.extra, { ...goals, crews: extra.crews, where });
}
