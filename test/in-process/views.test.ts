// MCP Apps wiring, without a browser: the two tools name their views in _meta, the views are
// ui:// resources with the Apps MIME type whose HTML is self-contained, and the answers a
// host without Apps reads are what they were. Needs the built views (npm test builds them).
// The views themselves, rendered in Chromium: test/views-browser.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { APP_HTML_MIME_TYPE, appViews } from "../../lib/apps/views.ts";
import { createHttpApp } from "../../lib/http/app.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { type Harness, startHarness } from "../helpers/harness.ts";
import { listen } from "../helpers/listen.ts";

const MAP_URI = "ui://nectar-dxp-mcp/location-quality-map.html";
const CHART_URI = "ui://nectar-dxp-mcp/session-histogram-chart.html";

describe("MCP Apps views", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it("links the location summary to the map and the histogram to the chart, and no other tool to anything", async () => {
    const { tools } = await h.client.listTools();
    const linked = Object.fromEntries(tools.filter((t) => t._meta).map((t) => [t.name, t._meta]));
    assert.deepEqual(linked, {
      get_location_quality_summary: { ui: { resourceUri: MAP_URI }, "ui/resourceUri": MAP_URI },
      get_session_histogram: { ui: { resourceUri: CHART_URI }, "ui/resourceUri": CHART_URI },
    });
  });

  it("lists both views as resources with the MCP Apps MIME type", async () => {
    const { resources } = await h.client.listResources();
    const views = resources.filter((r) => r.uri.startsWith("ui://"));
    assert.deepEqual(
      views.map((r) => [r.uri, r.mimeType]),
      [
        [MAP_URI, "text/html;profile=mcp-app"],
        [CHART_URI, "text/html;profile=mcp-app"],
      ],
    );
    assert.equal(APP_HTML_MIME_TYPE, "text/html;profile=mcp-app");
  });

  for (const view of appViews) {
    it(`serves the ${view.name} view as one HTML document that loads nothing from anywhere`, async () => {
      const { contents } = await h.client.readResource({ uri: view.uri });
      assert.equal(contents.length, 1);
      const [page] = contents as [{ uri: string; mimeType: string; text: string }];
      assert.equal(page.uri, view.uri);
      assert.equal(page.mimeType, APP_HTML_MIME_TYPE);
      assert.match(page.text, /^<!doctype html>/i);
      assert.match(page.text, /<script type="module">/);
      // No file, script, style sheet, image or font from elsewhere: the default CSP would block it.
      // (The browser test proves it by running the page with no network at all.)
      const markup = page.text.replace(/<script type="module">[\s\S]*?<\/script>/, "");
      assert.doesNotMatch(markup, /<(script|link|img|iframe)\b[^>]*\b(src|href)=/i);
      assert.doesNotMatch(markup, /@import|url\(/i);
      process.stdout.write(`# ${view.name}: ${(Buffer.byteLength(page.text) / 1024).toFixed(1)} KB\n`);
    });
  }

  it("answers the two tools with text and structured content only, as for any host", async () => {
    for (const [name, first] of [
      [
        "get_location_quality_summary",
        /^Quality by location \(most poor first; ranked only with ≥ \d+ sessions\)\. Tenant acme/,
      ],
      ["get_session_histogram", /^Sessions per hour \(bucket starts in UTC\)\. Tenant acme/],
    ] as const) {
      const result = await h.call(name, {});
      assert.deepEqual(Object.keys(result).sort(), ["content", "structuredContent"], name);
      assert.equal(result.content.length, 1);
      assert.match((result.content[0] as { text: string }).text, first);
    }
  });

  it("serves both views from the built bin too, where they load on the first read", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ["dist/servers/cli.js", "--demo"],
      env: { PATH: process.env.PATH ?? "" },
      stderr: "ignore",
    });
    const client = new Client({ name: "views-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      for (const view of appViews) {
        const { contents } = await client.readResource({ uri: view.uri });
        assert.match(
          (contents[0] as { text: string }).text,
          /^<!doctype html>[\s\S]*<script type="module">/i,
          view.name,
        );
      }
    } finally {
      await client.close();
    }
  });

  it("links and serves the views to a 2026-07-28 client and to a 2025-era client over HTTP alike", async () => {
    const loopback = { allowLoopbackHttp: true };
    const upstream = await listen(h.sim.fetch);
    const { app } = createHttpApp({
      environment: { url: upstream.url, ...h.tokens, tenant: "acme" },
      urlPolicy: loopback,
      clients: new ClientPool({ urlPolicy: loopback, timeoutMs: 30_000, retryDelayMs: 20 }),
      allowedHosts: [],
      allowedOrigins: [],
      maxBodyBytes: 64 * 1024,
    });
    const server = await listen(app.fetch);
    const url = new URL(`${server.url}/mcp`);
    const modern = new ModernClient({ name: "modern", version: "1.0.0" }, { versionNegotiation: { mode: "auto" } });
    const legacy = new Client({ name: "legacy", version: "1.0.0" });
    try {
      await modern.connect(new ModernTransport(url));
      await legacy.connect(new LegacyTransport(url));
      assert.equal(modern.getNegotiatedProtocolVersion(), "2026-07-28");
      for (const client of [modern, legacy] as unknown as Client[]) {
        const { tools } = await client.listTools();
        const linked = tools
          .filter((t) => (t._meta?.ui as { resourceUri?: string } | undefined)?.resourceUri)
          .map((t) => t.name);
        assert.deepEqual(linked.sort(), ["get_location_quality_summary", "get_session_histogram"]);
        const { contents } = await client.readResource({ uri: MAP_URI });
        assert.equal((contents[0] as { mimeType: string }).mimeType, APP_HTML_MIME_TYPE);
      }
    } finally {
      await modern.close();
      await legacy.close();
      await server.close();
      await upstream.close();
    }
  });
});
