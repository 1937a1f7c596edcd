// The run view, shared by the live page and a saved run in the dashboard: status facts, the loss, accuracy and
// learning-rate curves by epoch, the recipe and the log of control actions.
import { request } from "./api.js";
import { colors, fitWidth, lineChart } from "./charts.js";
import { duration, num, when } from "./format.js";
import { $ } from "./page.js";

const rows = new Map();
let chartMetric = "accuracy"; // the primary metric the second chart shows, chosen when the charts are made
const charts = {};
const statusListeners = [];
let status = null;

export function showRunView() { $("run-view").hidden = false; }

/** The last status shown, or null. */
export function currentStatus() { return status; }

/** Calls listener with each status after it is shown. */
export function onStatus(listener) { statusListeners.push(listener); }

/** Redraws the loss chart when the EWMA β changes, and fits the charts to the window when it is resized. */
export function wireRunView() {
  $("ewma-beta").addEventListener("change", () => { if (rows.size) drawRunCharts(); });
  window.addEventListener("resize", () => {
    for (const chart of Object.values(charts)) fitWidth(chart);
  });
}

export function renderStatus(s) {
  if (!s) return;
  status = s;
  $("status").textContent = s.status;
  $("epoch").textContent = (s.epoch ?? 0) + (s.epochs ? " / " + s.epochs : "");
  $("step").textContent = s.step === null || s.step === undefined ? "–"
    : s.step + (s.batch !== null && s.batch !== undefined && s.stepsPerEpoch ? " (batch " + s.batch + " / " + s.stepsPerEpoch + ")" : "");
  $("eta").textContent = s.status === "paused" ? "paused" : duration(s.etaSeconds);
  $("samples").textContent = s.samplesPerSecond ? Math.round(s.samplesPerSecond).toString() : "–";
  $("lr").textContent = num(s.learningRate);
  $("best").textContent = s.best ? s.best.metric + " " + num(s.best.value) + " @ epoch " + s.best.epoch : "–";
  $("title").textContent = "· " + (s.recipe || "") + " · " + s.runId;
  document.title = "Trainer · " + (s.recipe || s.runId) + " · " + s.status;
  if (s.lastEpoch) addRows([s.lastEpoch]);
  for (const listener of statusListeners) listener(s);
}

export function renderProgress(p) {
  if (!p) return;
  if (p.epoch !== undefined) $("epoch").textContent = p.epoch + (status && status.epochs ? " / " + status.epochs : "");
  if (p.step !== undefined) $("step").textContent = p.step + (p.batches ? " (batch " + p.batch + " / " + p.batches + ")" : "");
}

/** Adds (or replaces) epoch rows of metrics.csv, keyed by epoch, and redraws the charts. */
export function addRows(added) {
  let changed = false;
  for (const row of added || []) {
    if (!row || typeof row.epoch !== "number") continue;
    rows.set(row.epoch, row);
    changed = true;
  }
  if (changed) drawRunCharts();
}

function value(row, name) {
  const v = row.values ? row.values[name] : undefined;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

// EWMA of the epoch training losses with bias correction: v_t = β v_{t−1} + (1−β) x_t, shown as v_t / (1 − β^t).
function ewma(values, beta) {
  let v = 0, t = 0;
  return values.map((x) => {
    if (x === null) return null;
    t += 1;
    v = beta * v + (1 - beta) * x;
    return v / (1 - Math.pow(beta, t));
  });
}

function beta() {
  const b = parseFloat($("ewma-beta").value);
  return Number.isFinite(b) && b >= 0 && b < 1 ? b : 0.7;
}

function ensureRunCharts() {
  if (charts.loss) return;
  charts.loss = lineChart($("loss-chart"), [
    { label: "train_loss", color: colors.train },
    { label: "val_loss", color: colors.val },
    { label: "train_loss EWMA", color: colors.ewma, width: 2, dash: [6, 4] },
  ]);
  const metric = primaryMetric();
  charts.accuracy = lineChart($("accuracy-chart"), [
    { label: "train_" + metric, color: colors.train },
    { label: "val_" + metric, color: colors.val },
  ]);
  chartMetric = metric;
  if (metric !== "accuracy") {
    $("accuracy-chart").previousElementSibling.textContent = metric;
    $("accuracy-chart").setAttribute("aria-label", "Training and validation " + metric + " by epoch");
  }
  charts.lr = lineChart($("lr-chart"), [{ label: "lr", color: colors.lr }], true);
}

// The task's primary metric as the rows show it: accuracy for a classifier, else the first training metric other than the
// loss (rmse for regression, …).
function primaryMetric() {
  const first = Array.from(rows.values())[0];
  const keys = first && first.values ? Object.keys(first.values) : [];
  if (keys.length === 0 || keys.includes("train_accuracy")) return "accuracy";
  const key = keys.find((k) => k.startsWith("train_") && k !== "train_loss");
  return key ? key.slice("train_".length) : "accuracy";
}

function drawRunCharts() {
  ensureRunCharts();
  const sorted = Array.from(rows.values()).sort((a, b) => a.epoch - b.epoch);
  const x = sorted.map((r) => r.epoch);
  const trainLoss = sorted.map((r) => value(r, "train_loss"));
  charts.loss.setData([x, trainLoss, sorted.map((r) => value(r, "val_loss")), ewma(trainLoss, beta())]);
  const metric = chartMetric;
  charts.accuracy.setData([x, sorted.map((r) => value(r, "train_" + metric)), sorted.map((r) => value(r, "val_" + metric))]);
  charts.lr.setData([x, sorted.map((r) => { const v = value(r, "lr"); return v !== null && v > 0 ? v : null; })]);
  for (const id of ["loss-chart", "accuracy-chart", "lr-chart"]) $(id).dataset.points = String(sorted.length);
}

function renderRecipe(text) {
  try {
    $("recipe").textContent = JSON.stringify(typeof text === "string" ? JSON.parse(text) : text, null, 2);
  } catch (e) {
    $("recipe").textContent = String(text);
  }
}

export async function loadRecipe(path) {
  try {
    renderRecipe(await (await request(path)).text());
  } catch (e) {
    $("recipe").textContent = "(no recipe: " + e.message + ")";
  }
}

export function addControlLog(event) {
  if (!event) return;
  $("control-log-section").hidden = false;
  const item = document.createElement("li");
  const change = event.field ? (event.field === event.action ? "" : event.field + " ") + num(event.oldValue) + " → " + num(event.newValue) : "";
  item.textContent = [when(event.time), event.action, change, event.source ? "from " + event.source : "", event.epoch ? "at epoch " + event.epoch + ", step " + event.step : ""]
    .filter(Boolean).join(" · ");
  $("control-log").appendChild(item);
}
