// The map view of get_location_quality_summary: every location at its coordinates, coloured
// by its poor share and sized by its sessions. Picking one asks the server, through the host,
// for that location's breakdown (LOCATION_DRILL_DOWN_TOOL) and shows it beside the map.
import { geoNaturalEarth1, geoPath } from "d3-geo";
import { feature } from "topojson-client";
import type { GeometryObject, Topology } from "topojson-specification";
import land110m from "world-atlas/land-110m.json";
import { LOCATION_DRILL_DOWN_TOOL } from "../lib/apps/views.ts";
import { percentOf } from "../lib/tool-answers/render.ts";
import {
  connectView,
  firstLine,
  fmt,
  html,
  legendKey,
  type QualityBand,
  svg,
  type ToolResultLike,
  textOf,
} from "./shared.ts";

interface LocationRow {
  id: string;
  name: string;
  city: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  sessions: number;
  poor: number;
  poorPercent: number;
  avgNectarScore: number | null;
}

/**
 * Poor share → colour band. Wide enough bands that a site in real trouble stands out from a
 * tenant-wide problem (a bad headset model lifts every site to 10–20% poor): healthy under
 * 5%, degraded up to 20%, in trouble from 20%.
 */
const POOR_SHARE_BANDS: { band: QualityBand; below: number; label: string }[] = [
  { band: "good", below: 5, label: "under 5% poor" },
  { band: "average", below: 20, label: "5–20% poor" },
  { band: "poor", below: Infinity, label: "20% poor or more" },
];

function bandOf(row: Pick<LocationRow, "sessions" | "poorPercent">): QualityBand {
  if (row.sessions === 0) return "unknown";
  return POOR_SHARE_BANDS.find((b) => row.poorPercent < b.below)!.band;
}

const WIDTH = 720;
const HEIGHT = 370;
const world = land110m as unknown as Topology<{ land: GeometryObject }>;
const landShape = feature(world, world.objects.land);
const projection = geoNaturalEarth1().fitExtent(
  [
    [4, 4],
    [WIDTH - 4, HEIGHT - 4],
  ],
  { type: "Sphere" },
);
const path = geoPath(projection);

const els = {
  title: document.getElementById("title")!,
  map: document.getElementById("map")!,
  legend: document.getElementById("legend")!,
  unplaced: document.getElementById("unplaced")!,
  detail: document.getElementById("detail")!,
};

let input: Record<string, unknown> = {};

const app = connectView("nectar-location-quality-map", {
  onInput: (args) => {
    input = args;
  },
  onResult: render,
});

function render(result: ToolResultLike): void {
  els.title.textContent = firstLine(result);
  const rows = (result.structuredContent?.locations as LocationRow[] | undefined) ?? [];
  if (result.isError) {
    els.title.textContent = textOf(result);
    els.title.className = "error";
    return;
  }
  const maxSessions = Math.max(1, ...rows.map((r) => r.sessions));
  const radius = (sessions: number) => 4 + 14 * Math.sqrt(sessions / maxSessions);

  const map = svg("svg", {
    class: "world",
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": "Map of locations by call quality",
  });
  map.append(
    svg("path", { class: "sphere", d: path({ type: "Sphere" }) ?? "" }),
    svg("path", { class: "land", d: path(landShape) ?? "" }),
  );
  const placed = rows.filter((r) => r.latitude != null && r.longitude != null);
  // Largest first, so a small site is never hidden under a big one.
  for (const row of [...placed].sort((a, b) => b.sessions - a.sessions)) {
    const [x, y] = projection([row.longitude!, row.latitude!]) ?? [0, 0];
    const band = bandOf(row);
    const marker = svg("circle", {
      class: `marker ${band}`,
      cx: x.toFixed(1),
      cy: y.toFixed(1),
      r: radius(row.sessions).toFixed(1),
      tabindex: 0,
      role: "button",
      "data-location": row.name,
      "data-band": band,
      "aria-label": `${row.name}: ${row.sessions} sessions, ${row.poorPercent}% poor`,
    });
    const tip = svg("title");
    tip.textContent = `${row.name}${row.country ? `, ${row.country}` : ""}\n${row.sessions} sessions · ${row.poor} poor (${row.poorPercent}%) · avg score ${fmt(row.avgNectarScore)}`;
    marker.append(tip);
    marker.addEventListener("click", () => select(row, marker));
    marker.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") select(row, marker);
    });
    map.append(marker);
  }
  els.map.replaceChildren(map);

  els.legend.replaceChildren(
    ...POOR_SHARE_BANDS.map((b) => legendKey(b.band, b.label)),
    legendKey("unknown", "no sessions"),
    html("span", "key", "· size: sessions"),
  );
  const unplaced = rows.filter((r) => r.latitude == null || r.longitude == null);
  els.unplaced.hidden = unplaced.length === 0;
  els.unplaced.textContent = `Without coordinates, not on the map: ${unplaced.map((r) => r.name).join(", ")}.`;
}

async function select(row: LocationRow, marker: SVGCircleElement): Promise<void> {
  for (const other of els.map.querySelectorAll(".marker.selected")) other.classList.remove("selected");
  marker.classList.add("selected");
  els.detail.dataset.location = row.name;
  els.detail.dataset.state = "loading";
  els.detail.replaceChildren(html("h2", "", row.name), html("p", "muted", "Asking the server…"));
  // Same window and filter as the map, narrowed to this one location; detail for the audio row.
  const { sortBy: _sortBy, limit: _limit, ...scope } = input;
  try {
    const result = (await app.callServerTool({
      name: LOCATION_DRILL_DOWN_TOOL,
      arguments: { ...scope, locations: [row.name], detail: true },
    })) as ToolResultLike;
    if (els.detail.dataset.location !== row.name) return; // another location was picked meanwhile
    renderDetail(row, result);
  } catch (error) {
    els.detail.dataset.state = "error";
    els.detail.replaceChildren(
      html("h2", "", row.name),
      html("p", "error", `The host could not ask the server: ${(error as Error).message}`),
    );
  }
}

/** get_session_summary's stream-weighted row for one media kind (averages absent without streams). */
interface MediaRow {
  streams: number;
  jitterMs?: number;
  rttMs?: number;
  lossPct?: number;
  score?: number;
}

const BAND_OF_GROUP: Record<string, QualityBand> = {
  GOOD: "good",
  AVERAGE: "average",
  CRITICAL: "poor",
  UNKNOWN: "unknown",
};

function renderDetail(row: LocationRow, result: ToolResultLike): void {
  const data = result.structuredContent;
  if (result.isError || !data) {
    els.detail.dataset.state = "error";
    els.detail.replaceChildren(html("h2", "", row.name), html("p", "error", textOf(result)));
    return;
  }
  els.detail.dataset.state = "shown";
  const total = data.totalSessions as number;
  // Counts keyed by group and by insight, as get_session_summary answers them.
  const groups = Object.entries(data.quality as Record<string, number>)
    .map(([group, count]) => ({ group, count }))
    .filter((g) => g.count > 0);
  const split = html("div", "split");
  split.setAttribute("role", "img");
  split.setAttribute("aria-label", groups.map((g) => `${g.group} ${g.count}`).join(", "));
  for (const g of groups) {
    const part = html("span", BAND_OF_GROUP[g.group] ?? "unknown");
    part.style.width = `${(100 * g.count) / Math.max(1, total)}%`;
    part.title = `${g.group === "CRITICAL" ? "poor" : g.group.toLowerCase()}: ${g.count} (${percentOf(g.count, total)}%)`;
    split.append(part);
  }
  const counts = html(
    "p",
    "muted",
    groups.map((g) => `${g.group === "CRITICAL" ? "poor" : g.group.toLowerCase()} ${g.count}`).join(" · "),
  );
  const insights = Object.entries(data.insights as Record<string, number>)
    .map(([insight, count]) => ({ insight, count }))
    .filter((i) => i.count > 0);
  const list = html("ul");
  for (const i of insights)
    list.append(
      html("li", "", `${i.insight.toLowerCase().replaceAll("_", " ")}: ${i.count} (${percentOf(i.count, total)}%)`),
    );
  const audio = [(data.media as { audio?: MediaRow }).audio].filter((m): m is MediaRow => (m?.streams ?? 0) > 0);
  const table = html("table");
  if (audio.length) {
    const head = html("tr");
    for (const h of ["audio", "streams", "jitter ms", "loss %", "score"]) head.append(html("th", "", h));
    table.append(head);
    for (const m of audio) {
      const tr = html("tr");
      for (const cell of ["all", fmt(m.streams, 0), fmt(m.jitterMs), fmt(m.lossPct, 2), fmt(m.score)])
        tr.append(html("td", "", cell));
      table.append(tr);
    }
  }
  els.detail.replaceChildren(
    html("h2", "", row.name),
    html("p", "", `${total} sessions · avg score ${fmt(data.avgNectarScore as number | null)}`),
    split,
    counts,
    ...(insights.length ? [html("p", "muted", "Insights"), list] : []),
    ...(audio.length ? [table] : []),
  );
}
