// A study in dashboard mode (?study=NAME): its best value, a plot of the objective against each parameter on that
// parameter's scale, and the trials, refreshed while trials are running.
import { getJson } from "./api.js";
import { colors, scatterChart } from "./charts.js";
import { num } from "./format.js";
import { $, cell, linkCell, startPolling } from "./page.js";
import { renderImportance } from "./importance.js";
import { isMultiObjective, objectiveCells, objectivesText, objectiveTitles, renderFront } from "./front.js";

const REFRESH_MS = 3000;

export async function showStudy(name) {
  $("study-view").hidden = false;
  const path = "/api/studies/" + encodeURIComponent(name);
  let entries = null;
  let running = false;
  const refresh = async () => {
    const study = await getJson(path);
    $("title").textContent = "· study " + study.name;
    document.title = "Trainer · study " + study.name;
    const values = study.trials.filter((t) => (t.state === "complete" || t.state === "pruned") && typeof t.value === "number").map((t) => t.value);
    const best = values.length === 0 ? null : study.direction === "maximize" ? Math.max(...values) : Math.min(...values);
    $("study-objective").textContent = study.objective + " (" + study.direction + ")";
    const runningTrials = study.trials.filter((t) => t.state === "running").length;
    $("study-trials").textContent = study.trials.length + (runningTrials ? " (" + runningTrials + " running)" : "");
    $("study-best").textContent = num(best);
    if (!entries) entries = study.parameters.map((p, i) => parameterChart(study, p, i));
    for (const entry of entries) plotParameter(entry, study.trials);
    renderImportance(study);
    renderTrials(study);
    if (isMultiObjective(study)) $("study-objective").textContent = objectivesText(study);
    renderFront(study);
    running = runningTrials > 0;
  };
  await refresh();
  startPolling(refresh, REFRESH_MS, () => running);
}

// Where a trial's value of a parameter sits on that parameter's axis.
function axisValue(parameter, text) {
  if (parameter.scale === "categorical") {
    const index = (parameter.choices || []).indexOf(text);
    return index < 0 ? null : index;
  }
  const v = Number(text);
  if (!Number.isFinite(v)) return null;
  if (parameter.scale === "one-minus-log") return 1 - v > 0 ? 1 - v : null;
  if (parameter.scale === "log") return v > 0 ? v : null;
  return v;
}

function axisLabel(parameter) {
  if (parameter.scale === "one-minus-log") return "1 − " + parameter.name + " (log)";
  if (parameter.scale === "log") return parameter.name + " (log)";
  return parameter.name;
}

function isLogAxis(parameter) { return parameter.scale === "log" || parameter.scale === "one-minus-log"; }

function parameterChart(study, parameter, index) {
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  caption.textContent = study.objective + " vs " + axisLabel(parameter);
  const element = document.createElement("div");
  element.id = "param-chart-" + index;
  element.className = "param-chart";
  element.dataset.param = parameter.name;
  element.dataset.scale = parameter.scale;
  element.dataset.xDistr = isLogAxis(parameter) ? "log" : "linear";
  element.setAttribute("role", "img");
  element.setAttribute("aria-label", study.objective + " against " + axisLabel(parameter));
  figure.append(caption, element);
  $("study-charts").appendChild(figure);
  const x = {
    name: parameter.name,
    label: axisLabel(parameter),
    log: isLogAxis(parameter),
    categories: parameter.scale === "categorical" ? parameter.choices || [] : null,
  };
  const chart = scatterChart(element, x, study.objective, [
    { label: "complete", color: colors.complete },
    { label: "pruned", color: colors.pruned },
  ]);
  return { chart, element, parameter };
}

function plotParameter(entry, trials) {
  const points = trials
    .filter((t) => (t.state === "complete" || t.state === "pruned") && typeof t.value === "number")
    .map((t) => ({ x: axisValue(entry.parameter, t.params[entry.parameter.name]), y: t.value, state: t.state }))
    .filter((p) => p.x !== null)
    .sort((a, b) => a.x - b.x);
  entry.chart.setData([
    points.map((p) => p.x),
    points.map((p) => (p.state === "complete" ? p.y : null)),
    points.map((p) => (p.state === "pruned" ? p.y : null)),
  ]);
  entry.element.dataset.points = String(points.length);
}

function renderTrials(study) {
  const names = study.parameters.map((p) => p.name);
  const head = $("trials").tHead;
  head.replaceChildren();
  const headRow = head.insertRow();
  for (const title of ["trial", "state"].concat(objectiveTitles(study), names, ["run"])) {
    const th = document.createElement("th");
    th.textContent = title;
    headRow.appendChild(th);
  }
  const body = $("trials").tBodies[0];
  body.replaceChildren();
  for (const t of study.trials) {
    const row = body.insertRow();
    row.className = "state-" + t.state;
    cell(row, String(t.number), "number");
    const stateCell = cell(row, t.state);
    if (t.failure) stateCell.title = t.failure;
    objectiveCells(row, study, t);
    for (const name of names) {
      const raw = t.params[name];
      const n = Number(raw);
      const shown = raw === undefined ? "–" : raw.trim() !== "" && Number.isFinite(n) ? num(n) : raw;
      const td = cell(row, shown, "number");
      if (raw !== undefined && shown !== raw) td.title = raw;
    }
    if (t.runId) linkCell(row, t.runId, "?run=" + encodeURIComponent(t.runId));
    else cell(row, "–");
  }
}
