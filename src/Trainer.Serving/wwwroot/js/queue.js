// The run queue (trainer dashboard --queue, or trainer agent --dashboard): every queued, running and finished run, with
// links to a running run's live page and a finished run's page, report and model, and a Cancel button while it can end.
import { request, getJson, token } from "./api.js";
import { duration, when } from "./format.js";
import { $, cell, showMessage } from "./page.js";

const CANCELLABLE = ["queued", "interrupted", "running"];

export function showQueueSection() { $("queue-section").hidden = false; }

export async function refreshQueue() {
  const runs = await getJson("/api/queue");
  const body = $("queue").tBodies[0];
  body.replaceChildren();
  for (const r of runs) {
    const row = body.insertRow();
    row.className = "state-" + r.state;
    row.dataset.id = String(r.id);
    cell(row, "q" + r.id);
    cell(row, r.name);
    cell(row, r.state + (r.cancelRequested && r.state === "running" ? " (cancelling)" : ""), "state");
    cell(row, String(r.priority), "number");
    cell(row, r.agent || "–");
    cell(row, String(r.attempts), "number");
    cell(row, when(r.submittedAt));
    cell(row, when(r.startedAt));
    cell(row, when(r.finishedAt));
    cell(row, duration(r.durationSeconds), "number");
    cell(row, megabytes(r.peakMemoryBytes), "number");
    links(cell(row, "", "links"), r);
    cell(row, r.message || "", "message");
    const action = cell(row, "");
    if (CANCELLABLE.includes(r.state) && !r.cancelRequested) action.appendChild(cancelButton(r));
  }
  $("no-queue").hidden = runs.length > 0;
}

function links(td, r) {
  const add = (text, href, newTab) => {
    const a = document.createElement("a");
    a.textContent = text;
    a.href = href;
    if (newTab) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    td.appendChild(a);
  };
  if (r.liveUrl) add("live", r.liveUrl, true);
  if (r.runId) {
    const run = "?run=" + encodeURIComponent(r.runId);
    add("run", run);
    // A link cannot carry the Authorization header; GET requests take the token as access_token instead (as EventSource does).
    if (r.hasReport) add("report", "/api/runs/" + encodeURIComponent(r.runId) + "/report" + (token() ? "?access_token=" + encodeURIComponent(token()) : ""), true);
    if (r.hasModel) add("model", run + "#model-section");
  }
}

function cancelButton(r) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "danger";
  button.textContent = "Cancel";
  button.title = r.state === "running" ? "Stop it: its agent writes a checkpoint and summary, then ends it." : "Take it out of the queue.";
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const response = await request("/api/queue/" + r.id, { method: "DELETE" });
      const after = await response.json();
      $("queue-result").textContent = after.state === "running"
        ? `Cancelling q${r.id} ${r.name}: its agent stops it at its next heartbeat.` : `Cancelled q${r.id} ${r.name}.`;
      await refreshQueue();
    } catch (e) {
      button.disabled = false;
      showMessage(e.message);
    }
  });
  return button;
}

function megabytes(bytes) {
  if (bytes === null || bytes === undefined) return "–";
  return (bytes / 1048576).toFixed(0) + " MB";
}
