// The model package of a saved run (dashboard mode): the manifest's key facts, its metrics and links to download its
// files (GET /api/runs/ID/model[/FILE]). With a token, a link is fetched with the bearer header and saved from a blob,
// since a plain link cannot send the header.
import { getJson, request, token } from "./api.js";
import { num, when } from "./format.js";
import { $, cell } from "./page.js";

const DESCRIPTIONS = {
  "model.json": "manifest",
  "weights.dat": "weights, TorchSharp format",
  "weights.pt": "weights, PyTorch state_dict",
  "model.py": "PyTorch module",
};

// A scalar as text; "—" for null, missing, objects and arrays.
function text(value) {
  if (value === null || value === undefined || typeof value === "object") return "—";
  const s = String(value);
  return s === "" ? "—" : s;
}

function get(object, ...path) {
  let value = object;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = value[key];
  }
  return value;
}

/** The manifest's key facts as [label, text] pairs; "—" where a field is missing. */
export function modelFacts(m) {
  const kind = get(m, "architecture", "kind"), type = get(m, "architecture", "type"), assembly = get(m, "architecture", "assembly");
  const architecture = typeof kind === "string" && kind ? kind
    : typeof type === "string" && type ? type + (typeof assembly === "string" && assembly ? " (" + assembly + ")" : "") : "—";
  const shape = get(m, "inputShape");
  const names = get(m, "task", "classNames");
  const epoch = get(m, "weights", "epoch"), description = get(m, "weights", "description");
  const weights = [epoch !== undefined && epoch !== null ? "epoch " + epoch : "", typeof description === "string" ? description : ""]
    .filter(Boolean).join(": ") || "—";
  return [
    ["Architecture", architecture],
    ["Parameters", typeof get(m, "architecture", "parameters") === "number" ? get(m, "architecture", "parameters").toLocaleString("en") : "—"],
    ["Input shape", Array.isArray(shape) && shape.length ? shape.map(text).join(" × ") : "—"],
    ["Task", text(get(m, "task", "kind"))],
    ["Outputs", text(get(m, "task", "outputs"))],
    ["Classes", Array.isArray(names) && names.length ? names.slice(0, 20).map(text).join(", ") + (names.length > 20 ? ", … (" + names.length + " in all)" : "") : "—"],
    ["Weights", weights],
    ["SHA-256", text(get(m, "weights", "sha256"))],
    ["Trainer", text(get(m, "versions", "trainer"))],
    ["TorchSharp", text(get(m, "versions", "torchSharp"))],
    ["libtorch", text(get(m, "versions", "libTorch"))],
    ["PyTorch", text(get(m, "pytorch", "file") ?? get(m, "pyTorch", "file"))],
    ["Created", typeof get(m, "createdAt") === "string" ? when(get(m, "createdAt")) : "—"],
  ];
}

// Fetches the file with the token's header and saves it under its name.
async function download(href, name) {
  const blob = await (await request(href, { headers: { Accept: "*/*" } })).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Shows the run's model package when it has one (files: the names the status lists); hides the section otherwise. */
export async function showModel(base, files) {
  if (!files || files.length === 0) return;
  let manifest = null;
  try {
    manifest = await getJson(base + "/model");
  } catch (e) {
    manifest = null; // listed but unreadable: the links still work
  }
  const facts = $("model-facts");
  facts.replaceChildren();
  for (const [label, value] of manifest ? modelFacts(manifest) : [["Manifest", "unreadable"]]) {
    const div = document.createElement("div");
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = value;
    div.append(dt, dd);
    facts.appendChild(div);
  }
  const body = $("model-metrics").tBodies[0];
  body.replaceChildren();
  const metrics = manifest && manifest.metrics && typeof manifest.metrics === "object" ? manifest.metrics : {};
  for (const [name, value] of Object.entries(metrics)) {
    if (typeof value !== "number") continue;
    const row = body.insertRow();
    cell(row, name);
    cell(row, num(value), "number");
  }
  $("model-metrics").hidden = body.rows.length === 0;
  const list = $("model-files");
  list.replaceChildren();
  for (const name of files) {
    const item = document.createElement("li");
    const a = document.createElement("a");
    a.href = base + "/model/" + encodeURIComponent(name);
    a.textContent = "model/" + name;
    a.dataset.file = name;
    if (name !== "model.json" && name !== "model.py") a.download = name;
    a.addEventListener("click", (e) => {
      if (!token()) return;
      e.preventDefault();
      download(a.href, name).catch((error) => { $("message").textContent = error.message; });
    });
    const note = document.createElement("small");
    note.textContent = " " + (DESCRIPTIONS[name] || "");
    item.append(a, note);
    list.appendChild(item);
  }
  $("model-section").hidden = false;
}
