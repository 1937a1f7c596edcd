// A study's hyperparameter importance (random forest, mean decrease in impurity): one row per parameter, largest
// share first, with its share and a bar; or why there is none yet.
import { $, cell } from "./page.js";

export function renderImportance(study) {
  const importance = study.importance || [];
  const note = $("study-importance-note");
  note.textContent = importance.length === 0 ? "No importance yet: " + (study.importanceReason || "no complete trials") + "." : "";
  note.hidden = importance.length > 0;
  const table = $("study-importance");
  table.hidden = importance.length === 0;
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const entry of importance) {
    const row = body.insertRow();
    cell(row, entry.parameter);
    cell(row, (100 * entry.share).toFixed(1) + "%", "number");
    const bar = document.createElement("progress");
    bar.max = 1;
    bar.value = entry.share;
    bar.className = "importance-bar";
    bar.textContent = (100 * entry.share).toFixed(1) + "%";
    cell(row, "").appendChild(bar);
  }
}
