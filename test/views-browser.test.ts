// The MCP Apps views in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) loads a test host page (test/host/) that plays the host with the ext-apps
// bridge, feeds each view a real tool result from the server on the DXP simulator, and checks
// what a person sees. The views run sandboxed under the Apps default CSP; every request that is
// not to loopback is refused and reported. Screenshots land in test-results/views/.
// Needs chromium: runs with NECTAR_TEST_BROWSER=1 (`npm run test:views`, after the build).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { build } from "esbuild";
import { type Browser, type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import { LOCATION_DRILL_DOWN_TOOL } from "../lib/apps/views.ts";
import { percentOf } from "../lib/tool-answers/render.ts";
import { worstBucket } from "../lib/tool-answers/worst-bucket.ts";
import { type Harness, startHarness } from "./helpers/harness.ts";
import { type Listening, listen } from "./helpers/listen.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const enabled = process.env.NECTAR_TEST_BROWSER === "1";
const SKIP = !enabled
  ? "needs Chromium: runs with NECTAR_TEST_BROWSER=1, e.g. npm run test:views"
  : !existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM} (apt-get install chromium)`
    : false;
const ARTIFACTS = join("test-results", "views");
/** The Apps default CSP a host must apply when a view declares none (SEP-1865). */
const DEFAULT_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' data:; connect-src 'none'";
const VIEW_URIS = {
  map: "ui://nectar-dxp-mcp/location-quality-map.html",
  chart: "ui://nectar-dxp-mcp/session-histogram-chart.html",
} as const;
/** Hang guards only: nothing here is timed. */
const WAIT = { timeout: 30_000 };

interface Location {
  name: string;
  sessions: number;
  poorPercent: number;
  latitude: number | null;
}
interface Bucket {
  start: string;
  sessions: number;
  good: number;
  average: number;
  poor: number;
  unknown: number;
  poorPercent: number;
}
/** The tool sends counts only (issue 13): unknown and the poor share follow from them. */
const bucketsOf = (result: ToolResult): Bucket[] =>
  (result.structuredContent.buckets as Omit<Bucket, "unknown" | "poorPercent">[]).map((b) => ({
    ...b,
    unknown: b.sessions - b.good - b.average - b.poor,
    poorPercent: percentOf(b.poor, b.sessions),
  }));
type ToolResult = { content: { type: string; text?: string }[]; structuredContent: Record<string, unknown> };

describe("MCP Apps views in Chromium", { skip: SKIP }, () => {
  let h: Harness;
  let web: Listening;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Tool calls that reached the server from a view, through the host. */
  const serverCalls: { name: string; arguments: Record<string, unknown> }[] = [];
  const offLoopback: string[] = [];
  const consoleErrors: string[] = [];

  before(async () => {
    h = await startHarness();
    const hostJs = (
      await build({
        entryPoints: ["test/host/host.ts"],
        bundle: true,
        format: "esm",
        platform: "browser",
        write: false,
        logLevel: "warning",
      })
    ).outputFiles[0]!.text;
    const views = new Map<string, string>();
    for (const [name, uri] of Object.entries(VIEW_URIS)) {
      const { contents } = await h.client.readResource({ uri });
      views.set(name, (contents[0] as { text: string }).text);
    }
    web = await listen(async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/host.html")
        return new Response(readFileSync("test/host/index.html"), { headers: { "content-type": "text/html" } });
      if (pathname === "/host.js") return new Response(hostJs, { headers: { "content-type": "text/javascript" } });
      const view = /^\/view\/(\w+)$/.exec(pathname)?.[1];
      if (view && views.has(view))
        return new Response(views.get(view), {
          headers: { "content-type": "text/html", "content-security-policy": DEFAULT_CSP },
        });
      if (pathname === "/call" && request.method === "POST") {
        const params = (await request.json()) as { name: string; arguments: Record<string, unknown> };
        serverCalls.push({ name: params.name, arguments: params.arguments });
        return Response.json(await h.client.callTool(params));
      }
      return new Response("not found", { status: 404 });
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    context = await browser.newContext({ viewport: { width: 980, height: 760 }, deviceScaleFactor: 1 });
    await context.route("**/*", (route) => {
      const { hostname } = new URL(route.request().url());
      if (hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]") return route.continue();
      offLoopback.push(route.request().url());
      return route.abort("blockedbyclient");
    });
    page = await context.newPage();
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await web?.close();
    await h?.close();
  });

  /** Open the host page and show a view with a tool's real result; returns the view's frame. */
  async function show(
    view: keyof typeof VIEW_URIS,
    args: Record<string, unknown>,
    result: ToolResult,
    theme: "light" | "dark" = "light",
  ): Promise<Frame> {
    await page.goto(`${web.url}/host.html`);
    await page.evaluate((options) => (window as unknown as { showView(o: unknown): Promise<void> }).showView(options), {
      viewUrl: `${web.url}/view/${view}`,
      args,
      result,
      theme,
    });
    const frame = page.frames().find((f) => f.url().endsWith(`/view/${view}`));
    assert.ok(frame, "the view's frame is loaded");
    return frame;
  }

  /** Screenshots only once the host has grown the frame to the view's reported size. */
  async function screenshot(frame: Frame, name: string): Promise<void> {
    const height = await frame.evaluate(() => document.documentElement.scrollHeight);
    await page.waitForFunction((h) => document.getElementById("view")!.clientHeight >= h, height, WAIT);
    await page.locator("#view").screenshot({ path: join(ARTIFACTS, name) });
  }

  const hostCalls = () =>
    page.evaluate(() =>
      (
        window as unknown as {
          hostLog: { method: string; params: { name: string; arguments: Record<string, unknown> } }[];
        }
      ).hostLog
        .filter((e) => e.method === "tools/call")
        .map((e) => ({ name: e.params.name, arguments: e.params.arguments })),
    );
  const backgroundLightness = (frame: Frame) =>
    frame.evaluate(() => {
      const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number) as [
        number,
        number,
        number,
      ];
      return (r + g + b) / 3;
    });

  it("shows one marker per location, Dallas in the poor colour, and a location's session summary when picked", async () => {
    const args = { timePeriod: "LAST_WEEK" };
    const result = (await h.call("get_location_quality_summary", args)) as ToolResult;
    const rows = result.structuredContent.locations as Location[];
    const dallas = rows.find((r) => r.name === "Dallas")!;
    assert.ok(dallas.poorPercent >= 5, "sanity: the simulator's Dallas has many poor calls");
    const frame = await show("map", args, result);

    const markers = frame.locator("circle.marker");
    await markers.first().waitFor(WAIT);
    const shown = await markers.evaluateAll((els) => els.map((el) => el.getAttribute("data-location")));
    assert.deepEqual(
      shown.sort(),
      rows
        .filter((r) => r.latitude != null)
        .map((r) => r.name)
        .sort(),
    );
    assert.equal(await frame.locator("#title").textContent(), result.content[0]!.text!.split("\n")[0]);

    const fillOf = (selector: string) => frame.locator(selector).evaluate((el) => getComputedStyle(el).fill);
    const poorColour = await fillOf('[data-swatch="poor"]');
    assert.notEqual(poorColour, await fillOf('[data-swatch="good"]'));
    assert.equal(await fillOf('circle.marker[data-location="Dallas"]'), poorColour);
    for (const row of rows.filter((r) => r.sessions > 0 && r.poorPercent < 5)) {
      assert.notEqual(
        await fillOf(`circle.marker[data-location="${row.name}"]`),
        poorColour,
        `${row.name} has few poor calls`,
      );
    }
    // What a person looks for: the site in trouble stands out; most sites are not painted poor.
    const painted = await markers.evaluateAll(
      (els) =>
        els.filter(
          (el) => getComputedStyle(el).fill === getComputedStyle(document.querySelector('[data-swatch="poor"]')!).fill,
        ).length,
    );
    assert.ok(
      painted * 2 < shown.length,
      `${painted} of ${shown.length} sites in the poor colour: the map does not single out the site in trouble`,
    );
    await screenshot(frame, "location-map.png");

    await frame.locator('circle.marker[data-location="Dallas"]').click();
    await frame.locator('#detail[data-state="shown"]').waitFor(WAIT);
    const drill = { ...args, locations: ["Dallas"], detail: true };
    assert.deepEqual(await hostCalls(), [{ name: LOCATION_DRILL_DOWN_TOOL, arguments: drill }]);
    assert.deepEqual(serverCalls, [{ name: LOCATION_DRILL_DOWN_TOOL, arguments: drill }]);
    const detail = (await frame.locator("#detail").textContent())!;
    assert.match(detail, new RegExp(`^Dallas${dallas.sessions} sessions · avg score`));
    // The panel reads get_session_summary's counts keyed by group and insight, and its audio row.
    assert.match(detail, /good \d+ · average \d+ · poor \d+/);
    assert.match(detail, /Insightshigh jitter: \d+ \([\d.]+%\)/);
    assert.match(detail, /audiostreamsjitter msloss %scoreall\d+[\d.]+[\d.]+[\d.]+/);
    await screenshot(frame, "location-map-drill-down.png");

    const light = await backgroundLightness(frame);
    await page.evaluate(() => (window as unknown as { setTheme(t: string): void }).setTheme("dark"));
    await frame.waitForFunction(() => document.documentElement.dataset.theme === "dark", undefined, WAIT);
    assert.ok((await backgroundLightness(frame)) < light - 100, "the view turns dark with the host");
    await screenshot(frame, "location-map-dark.png");
  });

  it("stacks each bucket's sessions to the histogram's totals, marks the worst, tells exact counts on hover and re-asks per day", async () => {
    serverCalls.length = 0;
    const args = { timePeriod: "2d" };
    const result = (await h.call("get_session_histogram", args)) as ToolResult;
    const buckets = bucketsOf(result);
    assert.equal(result.structuredContent.interval, "HOUR");
    const frame = await show("chart", args, result);

    const groups = frame.locator("g.bucket");
    await groups.first().waitFor(WAIT);
    const drawn = await groups.evaluateAll((els) =>
      els.map((g) => ({
        start: g.getAttribute("data-start"),
        worst: g.getAttribute("data-worst") === "true",
        segments: [...g.querySelectorAll("rect.segment")].map((r) => ({
          band: r.getAttribute("data-band")!,
          count: Number(r.getAttribute("data-count")),
          height: r.getBoundingClientRect().height,
        })),
      })),
    );
    assert.equal(drawn.length, buckets.length);
    const pxPerSession = new Set<string>();
    drawn.forEach((bar, i) => {
      const b = buckets[i]!;
      assert.equal(bar.start, b.start);
      const counts = Object.fromEntries(bar.segments.map((s) => [s.band, s.count]));
      assert.deepEqual(
        { good: 0, average: 0, poor: 0, unknown: 0, ...counts },
        { good: b.good, average: b.average, poor: b.poor, unknown: b.unknown },
      );
      // What the eye compares: every segment is drawn at the same height per session.
      for (const s of bar.segments) pxPerSession.add((s.height / s.count).toFixed(1));
    });
    assert.equal(pxPerSession.size, 1, `one scale for every segment, got ${[...pxPerSession].join(", ")}`);
    const total = (list: { sessions: number }[]) => list.reduce((sum, b) => sum + b.sessions, 0);
    assert.equal(
      drawn.flatMap((bar) => bar.segments).reduce((sum, s) => sum + s.count, 0),
      total(buckets),
    );
    const { worst } = worstBucket(buckets);
    assert.deepEqual(
      drawn.filter((bar) => bar.worst).map((bar) => bar.start),
      worst ? [worst.start] : [],
    );

    const busiest = buckets.indexOf(buckets.reduce((a, b) => (b.sessions > a.sessions ? b : a)));
    await groups.nth(busiest).locator("rect.hit").hover();
    const tooltip = frame.locator("#tooltip");
    await tooltip.waitFor({ state: "visible", ...WAIT });
    const b = buckets[busiest]!;
    assert.match(
      (await tooltip.textContent())!,
      new RegExp(
        `${b.sessions} sessions\\ngood ${b.good} · average ${b.average} · poor ${b.poor} · unknown ${b.unknown}`,
      ),
    );
    await screenshot(frame, "session-chart.png");

    await frame.getByRole("button", { name: "Day" }).click();
    await frame.locator('#chart[data-interval="DAY"]').waitFor(WAIT);
    const perDay = { ...args, interval: "DAY" };
    assert.deepEqual(await hostCalls(), [{ name: "get_session_histogram", arguments: perDay }]);
    assert.deepEqual(serverCalls, [{ name: "get_session_histogram", arguments: perDay }]);
    const days = bucketsOf((await h.call("get_session_histogram", perDay)) as ToolResult);
    const drawnDays = await frame
      .locator("rect.segment")
      .evaluateAll((els) => els.reduce((sum, el) => sum + Number(el.getAttribute("data-count")), 0));
    assert.equal(await groups.count(), days.length);
    assert.equal(drawnDays, total(days));
    await page.evaluate(() => (window as unknown as { setTheme(t: string): void }).setTheme("dark"));
    await frame.waitForFunction(() => document.documentElement.dataset.theme === "dark", undefined, WAIT);
    await screenshot(frame, "session-chart-day-dark.png");
  });

  it("reached nothing but loopback and broke no content security rule", () => {
    assert.deepEqual(offLoopback, []);
    assert.deepEqual(consoleErrors, []);
  });
});
