// Trainer dashboard. One page, three views chosen by the server's mode and the query string:
//   live mode (trainer run --serve):  the run's curves, status and controls, updated by Server-Sent Events
//                                     (or, with a token, by polling every 2 s: EventSource cannot send headers);
//   dashboard mode (trainer dashboard): the runs and studies lists (and the run queue, given one); ?run=ID one run read-only; ?study=NAME a study.
// This module is the entry (index.html): it wires the token field, asks the server its mode and starts a view.
// The modules: api.js (requests and the token), page.js and format.js (shared page helpers), charts.js (uPlot),
// run.js (the run view), live.js, dashboard.js, queue.js and study.js (the views).
// Charts are uPlot (vendored, see vendor/uplot/VERSION). Nothing is fetched from another origin.
import { getJson, saveToken, token } from "./api.js";
import { showLists, showRun } from "./dashboard.js";
import { showLive } from "./live.js";
import { $, showMessage } from "./page.js";
import { wireRunView } from "./run.js";
import { showStudy } from "./study.js";

function wireToken() {
  $("token-input").value = token();
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    saveToken($("token-input").value.trim());
    location.reload();
  });
}

async function start() {
  wireToken();
  wireRunView();
  const params = new URLSearchParams(location.search);
  try {
    const info = await getJson("/api/info");
    if (info.mode === "live") await showLive();
    else if (params.get("run")) await showRun(params.get("run"));
    else if (params.get("study")) await showStudy(params.get("study"));
    else await showLists(info);
  } catch (e) {
    showMessage(e.message);
  }
}

start();
