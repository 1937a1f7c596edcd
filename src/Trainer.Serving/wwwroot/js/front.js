// A multi-objective study's extras in the study view: its objectives, the Pareto front table and each trial's objective values.
import { num } from "./format.js";
import { $, cell, linkCell } from "./page.js";

export function isMultiObjective(study) { return Array.isArray(study.objectives) && study.objectives.length > 1; }

export function objectivesText(study) {
  return study.objectives.map((o) => o.metric + " (" + o.direction + ")").join(", ");
}

// The trials table's objective columns: one per objective, then whether the trial is on the front.
export function objectiveTitles(study) {
  return isMultiObjective(study) ? study.objectives.map((o) => o.metric).concat(["pareto"]) : [study.objective];
}

export function objectiveCells(row, study, trial) {
  if (!isMultiObjective(study)) {
    cell(row, num(trial.value), "number");
    return;
  }
  study.objectives.forEach((_, i) => cell(row, num(trial.values ? trial.values[i] : null), "number"));
  cell(row, trial.pareto ? "yes" : "");
}

// The front's trials, sorted by the first objective (best first), in #front; the section stays hidden for one objective.
export function renderFront(study) {
  const multi = isMultiObjective(study);
  $("study-front").hidden = !multi;
  if (!multi) return;
  const front = study.trials.filter((t) => t.pareto && Array.isArray(t.values));
  const sign = study.objectives[0].direction === "maximize" ? -1 : 1;
  front.sort((a, b) => sign * (a.values[0] - b.values[0]));
  const names = study.parameters.map((p) => p.name);
  const head = $("front").tHead;
  head.replaceChildren();
  const headRow = head.insertRow();
  for (const title of ["trial"].concat(study.objectives.map((o) => o.metric), names, ["run"])) {
    const th = document.createElement("th");
    th.textContent = title;
    headRow.appendChild(th);
  }
  const body = $("front").tBodies[0];
  body.replaceChildren();
  for (const t of front) {
    const row = body.insertRow();
    cell(row, String(t.number), "number");
    t.values.forEach((v) => cell(row, num(v), "number"));
    for (const name of names) cell(row, t.params[name] === undefined ? "–" : t.params[name], "number");
    if (t.runId) linkCell(row, t.runId, "?run=" + encodeURIComponent(t.runId));
    else cell(row, "–");
  }
  $("study-best").textContent = front.length + " on the Pareto front";
}
