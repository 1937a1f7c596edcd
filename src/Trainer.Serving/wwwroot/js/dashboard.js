// Dashboard mode (trainer dashboard): the lists of runs, studies and (with a queue) the run queue, and one saved run read-only (?run=ID), each
// refreshed from the run directories while anything in it may still change.
import { getJson } from "./api.js";
import { num, when } from "./format.js";
import { showModel } from "./model.js";
import { $, cell, linkCell, startPolling } from "./page.js";
import { refreshQueue, showQueueSection } from "./queue.js";
import { addRows, currentStatus, loadRecipe, renderStatus, showRunView } from "./run.js";

const REFRESH_MS = 5000;

export async function showLists(info) {
  $("list-view").hidden = false;
  $("title").textContent = "· runs and studies";
  document.title = "Trainer · runs and studies";
  const withQueue = Boolean(info && info.queue);
  if (withQueue) showQueueSection();
  const refresh = () => Promise.all([refreshLists(), withQueue ? refreshQueue() : null]);
  await refresh();
  startPolling(refresh, REFRESH_MS);
}

export async function showRun(id) {
  showRunView();
  const base = "/api/runs/" + encodeURIComponent(id);
  const refresh = async () => {
    const [status, metrics] = await Promise.all([getJson(base), getJson(base + "/metrics")]);
    addRows(metrics);
    renderStatus(status);
  };
  await loadRecipe(base + "/recipe");
  await refresh();
  await showModel(base, currentStatus() && currentStatus().modelFiles);
  startPolling(refresh, REFRESH_MS, () => currentStatus() && ["running", "paused", "starting"].includes(currentStatus().status));
}

async function refreshLists() {
  const [runs, studies] = await Promise.all([getJson("/api/runs"), getJson("/api/studies")]);
  const runBody = $("runs").tBodies[0];
  runBody.replaceChildren();
  for (const r of runs) {
    const row = runBody.insertRow();
    row.className = "state-" + r.status;
    linkCell(row, r.runId, "?run=" + encodeURIComponent(r.runId));
    cell(row, r.recipe);
    cell(row, r.status);
    const model = cell(row, r.hasModel ? "model" : "", r.hasModel ? "model-marker" : "");
    if (r.hasModel) model.title = "This run has a model package (model/).";
    cell(row, String(r.epochs), "number");
    cell(row, r.bestEpoch ?? "–", "number");
    for (const m of ["val_loss", "val_accuracy", "test_accuracy"]) cell(row, num(r.finalMetrics ? r.finalMetrics[m] : null), "number");
    cell(row, when(r.startedAt));
    cell(row, r.directory);
  }
  $("no-runs").hidden = runs.length > 0;
  const studyBody = $("studies").tBodies[0];
  studyBody.replaceChildren();
  for (const s of studies) {
    const row = studyBody.insertRow();
    linkCell(row, s.name, "?study=" + encodeURIComponent(s.name));
    cell(row, s.objective);
    cell(row, s.direction);
    for (const n of [s.trials, s.complete, s.running, s.pruned, s.failed]) cell(row, String(n ?? 0), "number");
    cell(row, num(s.bestValue), "number");
  }
  $("no-studies").hidden = studies.length > 0;
}
