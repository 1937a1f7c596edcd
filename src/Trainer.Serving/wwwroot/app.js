// Trainer dashboard. One page, three views chosen by the server's mode and the query string:
//   live mode (trainer run --serve):  the run's curves, status and controls, updated by Server-Sent Events
//                                     (or, with a token, by polling every 2 s: EventSource cannot send headers);
//   dashboard mode (trainer dashboard): the runs and studies lists; ?run=ID one run read-only; ?study=NAME a study.
// Charts are uPlot (vendored, see vendor/uplot/VERSION). Nothing is fetched from another origin.
(function () {
  "use strict";

  const TOKEN_KEY = "trainer.token";
  const POLL_MS = 2000;
  const DASHBOARD_REFRESH_MS = 5000;
  const STUDY_REFRESH_MS = 3000;
  const colors = { train: "#2463eb", val: "#e8590c", ewma: "#0b8a5f", lr: "#7b3fe4", complete: "#2463eb", pruned: "#8a94a6" };

  const EPOCH_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
  const $ = (id) => document.getElementById(id);
  const logTicks = (u, splits) => splits.map((v) => (v === null || v === undefined ? "" : num(v, 2)));
  const params = new URLSearchParams(location.search);
  const ENDED = ["completed", "stopped", "stopped-early", "failed", "interrupted"];
  const state = { mode: null, rows: new Map(), status: null, charts: {}, timer: null, source: null, base: null, readOnly: true, ended: false };

  // ---------- HTTP ----------

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

  async function request(path, options) {
    const headers = Object.assign({ Accept: "application/json" }, (options && options.headers) || {});
    if (token()) headers.Authorization = "Bearer " + token();
    const response = await fetch(path, Object.assign({}, options, { headers, cache: "no-store" }));
    if (response.status === 401)
      throw new HttpError(401, token() ? "The server refused the token: enter the right one in the Token field above."
        : "This server needs a token: enter it in the Token field above.");
    if (!response.ok) throw new HttpError(response.status, await problemText(response));
    return response;
  }

  async function getJson(path) { return (await request(path)).json(); }

  class HttpError extends Error {
    constructor(status, text) { super(text); this.status = status; }
  }

  // An RFC 7807 problem's detail (else its title), or the status line.
  async function problemText(response) {
    const type = response.headers.get("content-type") || "";
    try {
      if (type.includes("json")) {
        const problem = await response.json();
        return problem.detail || problem.title || response.status + " " + response.statusText;
      }
      const text = (await response.text()).trim();
      return text || response.status + " " + response.statusText;
    } catch (e) {
      return response.status + " " + response.statusText;
    }
  }

  function showMessage(text) { $("message").textContent = text || ""; }

  // ---------- formatting ----------

  function num(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    if (typeof value !== "number") return String(value);
    const d = digits === undefined ? 4 : digits;
    const a = Math.abs(value);
    return a >= 1e6 ? value.toExponential(Math.max(1, d - 2)) : Number(value.toPrecision(d)).toString();
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) return "–";
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
    return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  }

  function when(text) {
    if (!text) return "–";
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? text : date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function linkCell(row, text, href) {
    const td = document.createElement("td");
    const a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    td.appendChild(a);
    row.appendChild(td);
    return td;
  }

  // ---------- run view: status, charts, recipe ----------

  function renderStatus(s) {
    if (!s) return;
    state.status = s;
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
    if (state.mode === "live" && ENDED.includes(s.status)) endLive(s.status);
  }

  function renderProgress(p) {
    if (!p) return;
    if (p.epoch !== undefined) $("epoch").textContent = p.epoch + (state.status && state.status.epochs ? " / " + state.status.epochs : "");
    if (p.step !== undefined) $("step").textContent = p.step + (p.batches ? " (batch " + p.batch + " / " + p.batches + ")" : "");
  }

  function addRows(rows) {
    let changed = false;
    for (const row of rows || []) {
      if (!row || typeof row.epoch !== "number") continue;
      state.rows.set(row.epoch, row);
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

  function chartWidth(element) { return Math.max(280, Math.min(600, element.clientWidth || 380)); }

  function lineChart(id, series, logY) {
    const element = $(id);
    const options = {
      width: chartWidth(element),
      height: 260,
      scales: { x: { time: false }, y: logY ? { distr: 3 } : {} },
      axes: [{ label: "epoch", incrs: EPOCH_STEPS }, logY ? { size: 64, values: logTicks } : { size: 64 }],
      series: [{ label: "epoch" }].concat(series.map((s) => ({ label: s.label, stroke: s.color, width: s.width || 2, dash: s.dash, points: { show: true, size: 5 }, spanGaps: true }))),
      legend: { live: true },
    };
    return new uPlot(options, [[]].concat(series.map(() => [])), element);
  }

  function ensureRunCharts() {
    if (state.charts.loss) return;
    state.charts.loss = lineChart("loss-chart", [
      { label: "train_loss", color: colors.train },
      { label: "val_loss", color: colors.val },
      { label: "train_loss EWMA", color: colors.ewma, width: 2, dash: [6, 4] },
    ]);
    state.charts.accuracy = lineChart("accuracy-chart", [
      { label: "train_accuracy", color: colors.train },
      { label: "val_accuracy", color: colors.val },
    ]);
    state.charts.lr = lineChart("lr-chart", [{ label: "lr", color: colors.lr }], true);
  }

  function drawRunCharts() {
    ensureRunCharts();
    const rows = Array.from(state.rows.values()).sort((a, b) => a.epoch - b.epoch);
    const x = rows.map((r) => r.epoch);
    const trainLoss = rows.map((r) => value(r, "train_loss"));
    state.charts.loss.setData([x, trainLoss, rows.map((r) => value(r, "val_loss")), ewma(trainLoss, beta())]);
    state.charts.accuracy.setData([x, rows.map((r) => value(r, "train_accuracy")), rows.map((r) => value(r, "val_accuracy"))]);
    state.charts.lr.setData([x, rows.map((r) => { const v = value(r, "lr"); return v !== null && v > 0 ? v : null; })]);
    for (const id of ["loss-chart", "accuracy-chart", "lr-chart"]) $(id).dataset.points = String(rows.length);
  }

  function renderRecipe(text) {
    try {
      $("recipe").textContent = JSON.stringify(typeof text === "string" ? JSON.parse(text) : text, null, 2);
    } catch (e) {
      $("recipe").textContent = String(text);
    }
  }

  async function loadRecipe(path) {
    try {
      renderRecipe(await (await request(path)).text());
    } catch (e) {
      $("recipe").textContent = "(no recipe: " + e.message + ")";
    }
  }

  function addControlLog(event) {
    if (!event) return;
    $("control-log-section").hidden = false;
    const item = document.createElement("li");
    const change = event.field ? (event.field === event.action ? "" : event.field + " ") + num(event.oldValue) + " → " + num(event.newValue) : "";
    item.textContent = [when(event.time), event.action, change, event.source ? "from " + event.source : "", event.epoch ? "at epoch " + event.epoch + ", step " + event.step : ""]
      .filter(Boolean).join(" · ");
    $("control-log").appendChild(item);
  }

  // ---------- live mode ----------

  async function refreshLive() {
    const [status, metrics] = await Promise.all([getJson("/api/run"), getJson("/api/run/metrics")]);
    addRows(metrics);
    renderStatus(status);
  }

  // An ended run sends nothing more and its server goes away: stop polling, and close the event stream when the server
  // ends it, or the EventSource would reconnect to a closed port every few seconds, each attempt a failed request.
  function endLive(status) {
    if (state.ended) return;
    state.ended = true;
    clearInterval(state.timer);
    state.timer = null;
    showMessage("The run has ended (" + status + "); this page no longer updates.");
  }

  function startEvents() {
    const source = new EventSource("/api/run/events");
    state.source = source;
    source.addEventListener("open", () => { showMessage(""); refreshLive().catch((e) => showMessage(e.message)); });
    source.addEventListener("epoch", (e) => {
      addRows([JSON.parse(e.data)]);
      getJson("/api/run").then(renderStatus).catch(() => {});
    });
    source.addEventListener("status", (e) => renderStatus(JSON.parse(e.data)));
    source.addEventListener("progress", (e) => renderProgress(JSON.parse(e.data)));
    source.addEventListener("control", (e) => {
      addControlLog(JSON.parse(e.data));
      getJson("/api/run").then(renderStatus).catch(() => {});
    });
    source.addEventListener("error", () => {
      if (state.ended) {
        source.close();
        return;
      }
      if (source.readyState === EventSource.CLOSED) showMessage("The live connection closed (the run ended or the server stopped). Reload to reconnect.");
      else if (!state.status || !ENDED.includes(state.status.status))
        showMessage("The live connection dropped; reconnecting…");
    });
  }

  function startPolling(refresh, interval, keepGoing) {
    clearInterval(state.timer);
    state.timer = setInterval(() => {
      if (keepGoing && !keepGoing()) return;
      refresh().catch((e) => showMessage(e.message));
    }, interval);
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
      if (!state.source && !state.ended) refreshLive().catch(() => {});
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

  async function live() {
    $("run-view").hidden = false;
    state.readOnly = false;
    wireControls();
    await loadRecipe("/api/run/recipe");
    await refreshLive();
    if (state.ended) return;
    if (token()) startPolling(refreshLive, POLL_MS);
    else startEvents();
  }

  // ---------- dashboard mode: one run ----------

  async function dashboardRun(id) {
    $("run-view").hidden = false;
    const base = "/api/runs/" + encodeURIComponent(id);
    const refresh = async () => {
      const [status, metrics] = await Promise.all([getJson(base), getJson(base + "/metrics")]);
      addRows(metrics);
      renderStatus(status);
    };
    await loadRecipe(base + "/recipe");
    await refresh();
    startPolling(refresh, DASHBOARD_REFRESH_MS, () => state.status && ["running", "paused", "starting"].includes(state.status.status));
  }

  // ---------- dashboard mode: lists ----------

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

  async function lists() {
    $("list-view").hidden = false;
    $("title").textContent = "· runs and studies";
    document.title = "Trainer · runs and studies";
    await refreshLists();
    startPolling(refreshLists, DASHBOARD_REFRESH_MS);
  }

  // ---------- dashboard mode: one study ----------

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
    const categorical = parameter.scale === "categorical";
    const choices = parameter.choices || [];
    const x = { time: false };
    if (isLogAxis(parameter)) x.distr = 3;
    if (categorical) x.range = () => [-0.5, Math.max(0.5, choices.length - 0.5)];
    const xAxis = { label: axisLabel(parameter) };
    if (isLogAxis(parameter)) xAxis.values = logTicks;
    if (categorical) {
      xAxis.incrs = [1];
      xAxis.values = (u, splits) => splits.map((s) => (Number.isInteger(s) ? choices[s] ?? "" : ""));
    }
    const point = (color) => ({ stroke: color, fill: color, paths: () => null, points: { show: true, size: 9, fill: color } });
    const chart = new uPlot({
      width: Math.max(280, Math.min(600, element.clientWidth || 380)),
      height: 260,
      scales: { x, y: {} },
      axes: [xAxis, { label: study.objective, size: 64 }],
      series: [{ label: parameter.name, value: (u, v) => (v === null || v === undefined ? "–" : categorical ? choices[v] ?? v : num(v)) },
        Object.assign({ label: "complete" }, point(colors.complete)),
        Object.assign({ label: "pruned" }, point(colors.pruned))],
      cursor: { drag: { x: false, y: false } },
    }, [[], [], []], element);
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
    for (const title of ["trial", "state", study.objective].concat(names, ["run"])) {
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
      cell(row, num(t.value), "number");
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

  async function dashboardStudy(name) {
    $("study-view").hidden = false;
    const path = "/api/studies/" + encodeURIComponent(name);
    let entries = null;
    const refresh = async () => {
      const study = await getJson(path);
      $("title").textContent = "· study " + study.name;
      document.title = "Trainer · study " + study.name;
      const values = study.trials.filter((t) => (t.state === "complete" || t.state === "pruned") && typeof t.value === "number").map((t) => t.value);
      const best = values.length === 0 ? null : study.direction === "maximize" ? Math.max(...values) : Math.min(...values);
      $("study-objective").textContent = study.objective + " (" + study.direction + ")";
      const running = study.trials.filter((t) => t.state === "running").length;
      $("study-trials").textContent = study.trials.length + (running ? " (" + running + " running)" : "");
      $("study-best").textContent = num(best);
      if (!entries) entries = study.parameters.map((p, i) => parameterChart(study, p, i));
      for (const entry of entries) plotParameter(entry, study.trials);
      renderTrials(study);
      state.studyRunning = running > 0;
    };
    await refresh();
    startPolling(refresh, STUDY_REFRESH_MS, () => state.studyRunning);
  }

  // ---------- start ----------

  function wireToken() {
    $("token-input").value = token();
    $("token-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const value = $("token-input").value.trim();
      if (value) sessionStorage.setItem(TOKEN_KEY, value);
      else sessionStorage.removeItem(TOKEN_KEY);
      location.reload();
    });
  }

  async function start() {
    wireToken();
    $("ewma-beta").addEventListener("change", () => { if (state.rows.size) drawRunCharts(); });
    window.addEventListener("resize", () => {
      for (const chart of Object.values(state.charts)) chart.setSize({ width: chartWidth(chart.root.parentElement), height: 260 });
    });
    try {
      const info = await getJson("/api/info");
      state.mode = info.mode;
      if (info.mode === "live") await live();
      else if (params.get("run")) await dashboardRun(params.get("run"));
      else if (params.get("study")) await dashboardStudy(params.get("study"));
      else await lists();
    } catch (e) {
      showMessage(e.message);
    }
  }

  start();
})();
