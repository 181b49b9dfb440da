// The chart view of get_session_histogram: per bucket, good/average/poor/unknown sessions
// stacked, the average Nectar score as a line on its own 0–100 axis, the worst bucket marked
// (the tool text's own rule), exact counts on hover, and an hour/day switch that re-asks
// the server through the host. With `by`, one line per group instead of the score: each
// group's poor share per bucket on the right axis (0–100 %), so a trunk or a headset can be
// watched over time. Hand-drawn SVG: a few kilobytes instead of a chart library.
import { appViews } from "../lib/apps/views.ts";
import { percentOf } from "../lib/tool-answers/render.ts";
import { worstBucket } from "../lib/tool-answers/worst-bucket.ts";
import {
  connectView,
  firstLine,
  fmt,
  html,
  legendKey,
  QUALITY_BANDS,
  svg,
  type ToolResultLike,
  textOf,
} from "./shared.ts";

/** A bucket as the tool sends it (lean: unknown and the poor share follow from the counts). */
interface SentBucket {
  start: string;
  sessions: number;
  good: number;
  average: number;
  poor: number;
  score?: number;
}

/** One group's series with `by`, in the order of the buckets. */
interface SentGroup {
  name: string;
  sessions: number;
  poor: number;
  series: { sessions: number; poor: number }[];
}

/** Line colours of the groups (the tool sends at most ten). */
const GROUP_COLOURS = [
  "#d62728",
  "#1f77b4",
  "#2ca02c",
  "#9467bd",
  "#ff7f0e",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#7f7f7f",
  "#bcbd22",
];

interface Bucket extends SentBucket {
  avgNectarScore: number | null;
  unknown: number;
  poorPercent: number;
}

const HISTOGRAM_TOOL = appViews.find((v) => v.name === "session_histogram_chart")!.tool;
const WIDTH = 720;
const HEIGHT = 300;
const M = { left: 38, right: 34, top: 18, bottom: 26 };
const PLOT_W = WIDTH - M.left - M.right;
const PLOT_H = HEIGHT - M.top - M.bottom;

const els = {
  title: document.getElementById("title")!,
  chart: document.getElementById("chart")!,
  tooltip: document.getElementById("tooltip")!,
  legend: document.getElementById("legend")!,
  status: document.getElementById("status")!,
  buttons: [...document.querySelectorAll<HTMLButtonElement>("button[data-interval]")],
};

let input: Record<string, unknown> = {};

const app = connectView("nectar-session-histogram-chart", {
  onInput: (args) => {
    input = args;
  },
  onResult: render,
});

for (const button of els.buttons) {
  button.addEventListener("click", () => switchInterval(button.dataset.interval!));
}

async function switchInterval(interval: string): Promise<void> {
  if (els.chart.dataset.interval === interval) return;
  els.status.textContent = `Asking the server for sessions per ${interval.toLowerCase()}…`;
  try {
    const result = (await app.callServerTool({
      name: HISTOGRAM_TOOL,
      arguments: { ...input, interval },
    })) as ToolResultLike;
    if (result.isError) {
      els.status.textContent = textOf(result);
      return;
    }
    input = { ...input, interval };
    els.status.textContent = "";
    render(result);
  } catch (error) {
    els.status.textContent = `The host could not ask the server: ${(error as Error).message}`;
  }
}

/** A round step for about `count` ticks up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = Math.max(1, max) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

const two = (n: number) => String(n).padStart(2, "0");
function label(iso: string, interval: string, first: boolean): string {
  const d = new Date(iso);
  const day = `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  if (interval === "DAY") return day;
  const hour = `${two(d.getUTCHours())}:00`;
  return first || d.getUTCHours() === 0 ? `${day} ${hour}` : hour;
}

function render(result: ToolResultLike): void {
  if (result.isError) {
    els.title.textContent = textOf(result);
    els.title.className = "error";
    return;
  }
  els.title.textContent = firstLine(result);
  const data = result.structuredContent ?? {};
  const interval = String(data.interval ?? "HOUR");
  const buckets: Bucket[] = ((data.buckets as SentBucket[] | undefined) ?? []).map((b) => ({
    ...b,
    unknown: b.sessions - b.good - b.average - b.poor,
    poorPercent: percentOf(b.poor, b.sessions),
    avgNectarScore: b.score ?? null,
  }));
  els.chart.dataset.interval = interval;
  for (const b of els.buttons) b.setAttribute("aria-pressed", String(b.dataset.interval === interval));

  const step = niceStep(Math.max(0, ...buckets.map((b) => b.sessions)), 4);
  const yMax = Math.max(step, Math.ceil(Math.max(0, ...buckets.map((b) => b.sessions)) / step) * step);
  const y = (sessions: number) => M.top + PLOT_H - (sessions / yMax) * PLOT_H;
  const yScore = (score: number) => M.top + PLOT_H - (score / 100) * PLOT_H;
  const band = PLOT_W / Math.max(1, buckets.length);
  const barW = Math.max(1, band * 0.78);
  const x = (i: number) => M.left + i * band + (band - barW) / 2;

  const chart = svg("svg", {
    class: "chart",
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": `Sessions per ${interval.toLowerCase()} by quality`,
  });
  const grid = svg("g", { class: "grid" });
  const axis = svg("g", { class: "axis" });
  for (let v = 0; v <= yMax; v += step) {
    grid.append(svg("line", { x1: M.left, x2: WIDTH - M.right, y1: y(v), y2: y(v) }));
    const t = svg("text", { x: M.left - 5, y: y(v) + 3, "text-anchor": "end" });
    t.textContent = String(v);
    axis.append(t);
  }
  for (const score of [0, 50, 100]) {
    const t = svg("text", { x: WIDTH - M.right + 5, y: yScore(score) + 3 });
    t.textContent = String(score);
    axis.append(t);
  }
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((b, i) => {
    if (i % every !== 0) return;
    const t = svg("text", { x: x(i) + barW / 2, y: HEIGHT - 8, "text-anchor": "middle" });
    t.textContent = label(b.start, interval, i === 0);
    axis.append(t);
  });
  chart.append(grid, axis);

  const { worst } = worstBucket(buckets);
  const bars = svg("g", { class: "bars" });
  buckets.forEach((b, i) => {
    const group = svg("g", { class: "bucket", "data-start": b.start, "data-sessions": b.sessions });
    let base = 0;
    for (const quality of QUALITY_BANDS) {
      const count = b[quality];
      if (count <= 0) continue;
      const top = y(base + count);
      group.append(
        svg("rect", {
          class: `segment ${quality}`,
          "data-band": quality,
          "data-count": count,
          x: x(i).toFixed(2),
          y: top.toFixed(2),
          width: barW.toFixed(2),
          height: (y(base) - top).toFixed(2),
        }),
      );
      base += count;
    }
    if (b === worst) {
      group.setAttribute("data-worst", "true");
      const cx = x(i) + barW / 2;
      const top = y(b.sessions) - 3;
      group.append(
        svg("path", { class: "worst-mark", d: `M${cx - 5},${top - 8} L${cx + 5},${top - 8} L${cx},${top} Z` }),
      );
      const t = svg("text", { class: "worst-label", x: cx, y: Math.max(9, top - 11), "text-anchor": "middle" });
      t.textContent = `worst: ${b.poorPercent}% poor`;
      group.append(t);
    }
    const hit = svg("rect", { class: "hit", x: M.left + i * band, y: M.top, width: band, height: PLOT_H });
    const tip = tooltipText(b, interval);
    const title = svg("title");
    title.textContent = tip;
    hit.append(title);
    hit.addEventListener("pointerenter", () => showTooltip(tip, i, band));
    hit.addEventListener("pointerleave", () => (els.tooltip.hidden = true));
    group.append(hit);
    bars.append(group);
  });
  chart.append(bars);

  // The score line breaks where a bucket has no score, rather than inventing one.
  let d = "";
  let pen = false;
  const dots = svg("g");
  buckets.forEach((b, i) => {
    if (b.avgNectarScore == null) {
      pen = false;
      return;
    }
    const px = (x(i) + barW / 2).toFixed(2);
    const py = yScore(b.avgNectarScore).toFixed(2);
    d += `${pen ? "L" : "M"}${px},${py} `;
    pen = true;
    if (buckets.length <= 48) dots.append(svg("circle", { class: "score-dot", cx: px, cy: py, r: 2.2 }));
  });
  const groups = (data.groups as SentGroup[] | undefined) ?? [];
  if (!groups.length) chart.append(svg("path", { class: "score-line", d: d.trim() }), dots);
  // With by: each group's poor share, broken where the group has no session in a bucket.
  groups.forEach((g, n) => {
    let path = "";
    let down = false;
    g.series.forEach((p, i) => {
      if (!p.sessions) {
        down = false;
        return;
      }
      path += `${down ? "L" : "M"}${(x(i) + barW / 2).toFixed(2)},${yScore(percentOf(p.poor, p.sessions)).toFixed(2)} `;
      down = true;
    });
    chart.append(
      svg("path", {
        class: "group-line",
        "data-group": g.name,
        d: path.trim(),
        fill: "none",
        stroke: GROUP_COLOURS[n % GROUP_COLOURS.length]!,
        "stroke-width": 2,
      }),
    );
  });
  els.chart.replaceChildren(chart);

  const keys = groups.length
    ? groups.map((g, n) => {
        const key = html("span", "key");
        const swatch = html("span", "line");
        swatch.style.borderColor = GROUP_COLOURS[n % GROUP_COLOURS.length]!;
        key.append(swatch, document.createTextNode(`${g.name}: poor % (right axis)`));
        return key;
      })
    : [
        (() => {
          const line = html("span", "key");
          line.append(html("span", "line"), document.createTextNode("avg Nectar score (right axis, 0–100)"));
          return line;
        })(),
      ];
  els.legend.replaceChildren(...QUALITY_BANDS.map((q) => legendKey(q, q)), ...keys);
}

function tooltipText(b: Bucket, interval: string): string {
  const d = new Date(b.start);
  const when = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}${interval === "HOUR" ? ` ${two(d.getUTCHours())}:00` : ""} UTC`;
  return [
    when,
    `${b.sessions} sessions`,
    `good ${b.good} · average ${b.average} · poor ${b.poor} · unknown ${b.unknown}`,
    `poor ${b.poorPercent}% · avg score ${fmt(b.avgNectarScore)}`,
  ].join("\n");
}

function showTooltip(text: string, index: number, band: number): void {
  const box = els.chart.getBoundingClientRect();
  const scale = box.width / WIDTH;
  const left = (M.left + (index + 0.5) * band) * scale;
  els.tooltip.textContent = text;
  els.tooltip.hidden = false;
  const width = els.tooltip.offsetWidth;
  els.tooltip.style.left = `${Math.min(Math.max(0, left - width / 2), box.width - width)}px`;
  els.tooltip.style.top = `${M.top * scale}px`;
  els.tooltip.dataset.bucket = String(index);
}
