// Live mode (trainer run --serve): the run's view updated by Server-Sent Events (or, with a token, by polling every
// 2 s: EventSource cannot send headers), with the controls, until the run ends.
import { getJson, request, token } from "./api.js";
import { $, showMessage, startPolling, stopPolling } from "./page.js";
import { addControlLog, addRows, currentStatus, loadRecipe, onStatus, renderProgress, renderStatus, showRunView } from "./run.js";

const POLL_MS = 2000;
const ENDED = ["completed", "stopped", "stopped-early", "failed", "interrupted"];

let source = null;
let ended = false;

export async function showLive() {
  showRunView();
  onStatus((s) => { if (ENDED.includes(s.status)) endLive(s.status); });
  wireControls();
  await loadRecipe("/api/run/recipe");
  await refreshLive();
  if (ended) return;
  if (token()) startPolling(refreshLive, POLL_MS);
  else startEvents();
}

async function refreshLive() {
  const [status, metrics] = await Promise.all([getJson("/api/run"), getJson("/api/run/metrics")]);
  addRows(metrics);
  showStatus(status);
}

// Answers to status requests and stream events travel on different connections, so an answer sent while the run was
// still running can arrive after the stream's final status: once the run has ended, its final status stays shown.
function showStatus(s) {
  if (!ended) renderStatus(s);
}

// An ended run sends nothing more and its server goes away: stop polling, and close the event stream when the server
// ends it, or the EventSource would reconnect to a closed port every few seconds, each attempt a failed request.
function endLive(status) {
  if (ended) return;
  ended = true;
  stopPolling();
  showMessage("The run has ended (" + status + "); this page no longer updates.");
}

function startEvents() {
  const events = new EventSource("/api/run/events");
  source = events;
  events.addEventListener("open", () => { showMessage(""); refreshLive().catch((e) => showMessage(e.message)); });
  events.addEventListener("epoch", (e) => {
    addRows([JSON.parse(e.data)]);
    getJson("/api/run").then(showStatus).catch(() => {});
  });
  events.addEventListener("status", (e) => showStatus(JSON.parse(e.data)));
  events.addEventListener("progress", (e) => renderProgress(JSON.parse(e.data)));
  events.addEventListener("control", (e) => {
    addControlLog(JSON.parse(e.data));
    getJson("/api/run").then(showStatus).catch(() => {});
  });
  events.addEventListener("error", () => {
    if (ended) {
      events.close();
      return;
    }
    const status = currentStatus();
    if (events.readyState === EventSource.CLOSED) showMessage("The live connection closed (the run ended or the server stopped). Reload to reconnect.");
    else if (!status || !ENDED.includes(status.status))
      showMessage("The live connection dropped; reconnecting…");
  });
}

async function control(body) {
  $("control-error").textContent = "";
  $("control-result").textContent = "sending " + body.action + "…";
  try {
    const response = await request("/api/run/control", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const reply = await response.json().catch(() => ({}));
    $("control-result").textContent = body.action + ": accepted" + (reply.message ? " — " + reply.message : ", applied at the next batch");
    if (!source && !ended) refreshLive().catch(() => {});
  } catch (e) {
    $("control-result").textContent = "";
    $("control-error").textContent = body.action + ": " + e.message;
  }
}

// "0.003", "3e-3" → {value}; "x0.5", "×0.5", "*0.5" → {factor}; anything else → null.
function parseLearningRate(text) {
  const t = text.trim();
  const factor = /^[x×*]\s*([0-9.eE+-]+)$/.exec(t);
  const n = Number(factor ? factor[1] : t);
  if (t === "" || (factor ? factor[1] : t) === "" || !Number.isFinite(n)) return null;
  return factor ? { action: "lr", factor: n } : { action: "lr", value: n };
}

function wireControls() {
  $("controls").hidden = false;
  $("lr-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const body = parseLearningRate($("lr-input").value);
    if (!body) {
      $("control-result").textContent = "";
      $("control-error").textContent = "Learning rate: write a number such as 0.003, or a factor such as x0.5.";
      return;
    }
    control(body);
  });
  $("pause").addEventListener("click", () => control({ action: "pause" }));
  $("resume").addEventListener("click", () => control({ action: "resume" }));
  $("checkpoint").addEventListener("click", () => control({ action: "checkpoint" }));
  $("stop").addEventListener("click", () => {
    if (confirm("Stop the run? It saves a checkpoint and its summary, ends with status 'stopped', and cannot be resumed from this page.")) control({ action: "stop" });
  });
}
