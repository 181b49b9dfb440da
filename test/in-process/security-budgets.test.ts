// Issue 18, items 1 and 5: what a caller can make the server keep is bounded by bytes
// (derived from the heap, settable), header-less callers have a smaller budget, and a
// session made without credential headers is no bearer credential. Floods are sized by
// measuring the bytes one call keeps and extrapolating past the budget, not by minutes of
// traffic; nothing here reads the clock.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { readConfig } from "../../lib/config.ts";
import { budgetsForHeap } from "../../lib/store/budgets.ts";
import { MemoryFilterStore } from "../../lib/store/memory-filter-store.ts";
import { MemorySessionStore } from "../../lib/store/memory-session-store.ts";
import { MemoryTokenStore } from "../../lib/store/memory-token-store.ts";
import { assertQuotaHeld, filterQuotaOutcome } from "../helpers/filter-quota.ts";
import {
  type App,
  call,
  credentialHeaders,
  type Dxp,
  initialize,
  rpc,
  startApp,
  startDxp,
  textOf,
  toolCall,
} from "../helpers/security.ts";

const MiB = 1024 * 1024;
/** The Kubernetes manifest's heap (deploy/kubernetes/deployment.yaml: --max-old-space-size=192). */
const POD_HEAP = 192 * MiB;

/** The largest filter the schema allows (50 locations and 50 users of 200 characters), made distinct by `i`. */
const largestFilter = (i: number) => ({
  locations: Array.from({ length: 50 }, (_, k) => `${String(i).padStart(6, "0")}-${k}-`.padEnd(200, "l")),
  users: Array.from({ length: 50 }, (_, k) => `${String(i).padStart(6, "0")}-${k}-`.padEnd(200, "u")),
});

let dxp: Dxp;
before(async () => {
  dxp = await startDxp();
});
after(async () => {
  await dxp?.close();
});

describe("budgets per caller", () => {
  it("derives every default from the heap the process has, together under a third of it, and reads each NECTAR_…_BYTES", () => {
    const budgets = readConfig({}, { heapLimitBytes: POD_HEAP }).budgets;
    const total = budgets.filterBytes + budgets.sessionBytes + budgets.answerBytes + budgets.tokenBytes;
    assert.ok(total <= POD_HEAP / 3, `all budgets together (${total}) fit a third of the 192 MB heap`);
    assert.ok(
      budgets.filterBytesAnonymous < budgets.filterBytesPerCaller,
      "header-less callers get less than a caller with credentials",
    );
    assert.ok(budgets.filterBytesPerCaller <= budgets.filterBytes);
    assert.ok(
      readConfig({}, { heapLimitBytes: 4 * POD_HEAP }).budgets.filterBytes > budgets.filterBytes,
      "a larger heap, larger budgets",
    );
    assert.equal(
      readConfig({ NECTAR_FILTER_BYTES_ANONYMOUS: "131072" }, { heapLimitBytes: POD_HEAP }).budgets
        .filterBytesAnonymous,
      131072,
    );
    assert.throws(
      () => readConfig({ NECTAR_SESSION_BYTES: "lots" }),
      /NECTAR_SESSION_BYTES must be a whole number of bytes ≥ 65536/,
    );
  });

  it("an anonymous flood of the largest filters keeps at most the anonymous budget, and the caller is told what to do", async () => {
    const budgets = budgetsForHeap(POD_HEAP);
    const filters = new MemoryFilterStore({ maxBytes: budgets.filterBytes });
    const app: App = await startApp({
      environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" },
      filters,
      budgets,
    });
    try {
      const first = await call(app.url, {}, "set_session_filter", largestFilter(0));
      assert.equal(first.isError, undefined, textOf(first));
      const perCall = filters.usage().bytes;
      assert.ok(
        perCall >= 2 * JSON.stringify(largestFilter(0)).length,
        `one call is charged at least twice its JSON (${perCall} bytes)`,
      );
      // Extrapolate: enough calls to keep twice the anonymous budget if nothing stopped them.
      const calls = Math.ceil((2 * budgets.filterBytesAnonymous) / perCall);
      const refused: string[] = [];
      for (let i = 1; i <= calls; i++) {
        const result = await call(app.url, {}, "set_session_filter", largestFilter(i));
        if (result.isError) refused.push(textOf(result));
      }
      assert.ok(
        filters.usage().bytes <= budgets.filterBytesAnonymous,
        `kept ${filters.usage().bytes} bytes, budget ${budgets.filterBytesAnonymous}`,
      );
      assert.ok(refused.length >= calls / 3, "past the budget, calls are refused");
      assert.match(
        refused[0]!,
        /Filter not saved: Callers without credential headers together already keep .* the limit is 384 KiB/,
      );
      assert.match(refused[0]!, /Reuse a filterId .* pass the filter fields to each tool call instead/);
      // A caller with credentials has a budget of its own.
      const own = await call(
        app.url,
        credentialHeaders({ ...dxp.sim.issueTokens() }),
        "set_session_filter",
        largestFilter(0),
      );
      assert.equal(own.isError, undefined, textOf(own));
    } finally {
      await app.close();
    }
  });

  it("callers with ever new junk credentials cannot push the saved filters past the total budget", async () => {
    // A 32 MB heap keeps the flood short: 2 MiB of filters in total.
    const budgets = budgetsForHeap(32 * MiB);
    const filters = new MemoryFilterStore({ maxBytes: budgets.filterBytes });
    const app = await startApp({ environment: { url: dxp.url, tenant: "acme" }, filters, budgets });
    try {
      await call(app.url, { "x-nectar-access-token": "junk-0" }, "set_session_filter", largestFilter(0));
      const perCall = filters.usage().bytes;
      const calls = Math.ceil((1.5 * budgets.filterBytes) / perCall);
      for (let i = 1; i <= calls; i++) {
        const result = await call(
          app.url,
          { "x-nectar-access-token": `junk-${i}` },
          "set_session_filter",
          largestFilter(i),
        );
        assert.equal(result.isError, undefined, "each new caller is within its own budget");
      }
      assert.ok(
        filters.usage().bytes <= budgets.filterBytes,
        `kept ${filters.usage().bytes} bytes of ${budgets.filterBytes}`,
      );
    } finally {
      await app.close();
    }
  });

  it("the memory filter store holds a caller to its quota (the check every shared store runs too)", async () => {
    assertQuotaHeld(await filterQuotaOutcome(new MemoryFilterStore()));
  });

  it("the same caller saving an identical filter gets the same handle and keeps one copy", async () => {
    const filters = new MemoryFilterStore();
    const app = await startApp({ environment: { url: dxp.url, tenant: "acme" }, filters });
    try {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const result = await call(app.url, {}, "set_session_filter", { platforms: ["ZOOM"], locations: ["Berlin"] });
        ids.add(String(result.structuredContent?.filterId));
      }
      assert.equal(ids.size, 1, "one handle");
      assert.equal(filters.usage().entries, 1, "one copy kept");
      const other = await call(app.url, { "x-nectar-access-token": "someone-else" }, "set_session_filter", {
        platforms: ["ZOOM"],
        locations: ["Berlin"],
      });
      assert.ok(
        !ids.has(String(other.structuredContent?.filterId)),
        "another caller's identical filter has its own handle",
      );
    } finally {
      await app.close();
    }
  });

  it("sessions are bounded by bytes: past the budget new sessions get 503, and the store keeps no more", async () => {
    const sessions = new MemorySessionStore({ maxBytes: 64 * 1024, maxSessions: 10_000 });
    const app = await startApp({ environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" }, sessions });
    try {
      await initialize(app.url, {});
      const perSession = sessions.usage.bytes;
      const attempts = Math.ceil((2 * 64 * 1024) / perSession);
      const statuses: number[] = [];
      for (let i = 0; i < attempts; i++) {
        const response = await rpc(
          app.url,
          {},
          {
            jsonrpc: "2.0",
            id: 0,
            method: "initialize",
            params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "flood", version: "1" } },
          },
        );
        statuses.push(response.status);
        await response.text();
      }
      assert.ok(sessions.usage.bytes <= 64 * 1024, `kept ${sessions.usage.bytes} bytes`);
      assert.ok(statuses.includes(503), "past the budget: busy, retry later");
    } finally {
      await app.close();
    }
  });

  it("renewed tokens are bounded by bytes, however large the tokens the DXP hands out", async () => {
    const tokens = new MemoryTokenStore({ maxBytes: 256 * 1024 });
    const big = "t".repeat(20_000);
    const count = 50; // 50 × 40 KB charged: far past 256 KiB
    for (let i = 0; i < count; i++)
      await tokens.renew(
        `credential-${i}`,
        undefined,
        async () => ({ accessToken: `${big}${i}`, refreshToken: big, refreshes: 1 }),
        30 * 24 * 3600_000,
      );
    let kept = 0;
    for (let i = 0; i < count; i++) if (await tokens.get(`credential-${i}`)) kept += 1;
    assert.ok(kept * 2 * 40_000 <= 256 * 1024, `kept ${kept} records of ~80 KB charged each`);
    assert.ok(await tokens.get(`credential-${count - 1}`), "the newest renewal is kept");
  });
});

describe("the store secret", () => {
  it("is refused at start when it is long but of low variety, saying why", () => {
    const redis = { NECTAR_REDIS_URL: "redis://127.0.0.1:6379" };
    for (const weak of ["a".repeat(32), "ab".repeat(32), "0123456789".repeat(4) + "0".repeat(20)]) {
      assert.throws(
        () => readConfig({ ...redis, NECTAR_STORE_SECRET: weak }),
        /NECTAR_STORE_SECRET is too predictable: it uses fewer than 10 different characters/,
      );
    }
    assert.equal(
      readConfig({ ...redis, NECTAR_STORE_SECRET: "3f9c1e7a5b2d8046c9e1f3a7b5d20864" }).storeSecret?.length,
      32,
      "32 random hex digits pass",
    );
  });
});

describe("a session made without credential headers", () => {
  let app: App;
  before(async () => {
    app = await startApp({ environment: { url: dxp.url, ...dxp.sim.issueTokens(), tenant: "acme" } });
  });
  after(() => app?.close());

  it("keeps no configure_connection credentials and no filter, so anonymous B presenting A's id gets nothing of A's", async () => {
    const session = await initialize(app.url, {});
    const mine = dxp.sim.issueTokens();
    const configured = await call(app.url, { "mcp-session-id": session }, "configure_connection", {
      url: dxp.url,
      accessToken: mine.accessToken,
      refreshToken: mine.refreshToken,
    });
    assert.equal(configured.isError, true, "refused");
    assert.match(
      textOf(configured),
      /keeps no settings for a caller without credential headers: .* anyone presenting that id could use tokens kept in it\. Nothing was saved\./,
    );
    assert.match(textOf(configured), /Send X-Nectar-DXP-URL, X-Nectar-Access-Token, X-Nectar-Refresh-Token/);
    const set = await call(app.url, { "mcp-session-id": session }, "set_session_filter", { platforms: ["ZOOM"] });
    assert.equal(set.isError, undefined, textOf(set));
    assert.match(
      textOf(set),
      /sends no credential headers, so no MCP session keeps its filter: pass filterId "flt_[0-9a-f]+"/,
    );

    // B: another header-less caller with A's session id.
    dxp.sim.clearRequests();
    const stolen = await call(app.url, { "mcp-session-id": session }, "get_session_summary");
    assert.equal(stolen.isError, undefined, textOf(stolen));
    // The summary's own reads (its data-freshness read carries no filter in any case).
    const reads = dxp.sim.requests.filter((r) => r.path.startsWith("/dapi/session/summary"));
    assert.ok(
      reads.length > 0 && reads.every((r) => r.query.platforms === undefined),
      "A's filter is not applied for B",
    );
    assert.ok(
      !dxp.sim.requests.some((r) => r.token === mine.accessToken),
      "A's tokens were never kept, so never used for B",
    );
    const status = await call(app.url, { "mcp-session-id": session }, "get_connection_status");
    assert.ok(!JSON.stringify(status).includes(dxp.url), "B learns no URL A named");
    // The session really held nothing: its id alone unlocks no state.
    const raw = await rpc(app.url, { "mcp-session-id": session }, toolCall("set_session_filter", {}));
    assert.match(await raw.text(), /filter none/);
  });
});
