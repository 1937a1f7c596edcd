// uPlot helpers: the run's line charts by epoch and the study's scatter plots of an objective against a parameter.
// uPlot itself is the vendored IIFE build (vendor/uplot, see its VERSION), loaded by a classic script before the
// page's modules (index.html), so it is the global window.uPlot by the time any chart is made.
import { num } from "./format.js";

export const colors = { train: "#2463eb", val: "#e8590c", ewma: "#0b8a5f", lr: "#7b3fe4", complete: "#2463eb", pruned: "#8a94a6" };

const HEIGHT = 260;
const EPOCH_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const logTicks = (u, splits) => splits.map((v) => (v === null || v === undefined ? "" : num(v, 2)));

function chartWidth(element) { return Math.max(280, Math.min(600, element.clientWidth || 380)); }

/** Fits a chart to the width of the element it was drawn in. */
export function fitWidth(chart) { chart.setSize({ width: chartWidth(chart.root.parentElement), height: HEIGHT }); }

/** A chart by epoch in element: one line (with points) per series {label, color, width?, dash?}; logY for a log y axis. */
export function lineChart(element, series, logY) {
  const options = {
    width: chartWidth(element),
    height: HEIGHT,
    scales: { x: { time: false }, y: logY ? { distr: 3 } : {} },
    axes: [{ label: "epoch", incrs: EPOCH_STEPS }, logY ? { size: 64, values: logTicks } : { size: 64 }],
    series: [{ label: "epoch" }].concat(series.map((s) => ({ label: s.label, stroke: s.color, width: s.width || 2, dash: s.dash, points: { show: true, size: 5 }, spanGaps: true }))),
    legend: { live: true },
  };
  return new window.uPlot(options, [[]].concat(series.map(() => [])), element);
}

/**
 * Points without lines in element. x: {name, label, log, categories} (categories: the labels of a categorical axis,
 * whose values are their indices; null for a numeric one); yLabel: the y axis; groups: [{label, color}], a series each.
 */
export function scatterChart(element, x, yLabel, groups) {
  const categorical = x.categories !== null;
  const choices = x.categories || [];
  const scale = { time: false };
  if (x.log) scale.distr = 3;
  if (categorical) scale.range = () => [-0.5, Math.max(0.5, choices.length - 0.5)];
  const axis = { label: x.label };
  if (x.log) axis.values = logTicks;
  if (categorical) {
    axis.incrs = [1];
    axis.values = (u, splits) => splits.map((s) => (Number.isInteger(s) ? choices[s] ?? "" : ""));
  }
  const point = (color) => ({ stroke: color, fill: color, paths: () => null, points: { show: true, size: 9, fill: color } });
  return new window.uPlot({
    width: chartWidth(element),
    height: HEIGHT,
    scales: { x: scale, y: {} },
    axes: [axis, { label: yLabel, size: 64 }],
    series: [{ label: x.name, value: (u, v) => (v === null || v === undefined ? "–" : categorical ? choices[v] ?? v : num(v)) }]
      .concat(groups.map((g) => Object.assign({ label: g.label }, point(g.color)))),
    cursor: { drag: { x: false, y: false } },
  }, [[]].concat(groups.map(() => [])), element);
}
