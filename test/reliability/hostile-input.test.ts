// Hostile arguments, generated with fast-check, against every tool through a real MCP
// client: arbitrary JSON, 100 KB strings, deep nesting, unicode, prototype-pollution keys,
// injection-looking strings in the fields that reach the DXP (search, tenant, locations,
// users). Every call ends in a result (data or isError), in bounded time; what reaches the
// DXP arrives as decoded query values only (path unchanged, no extra query keys, no
// injected header); Object.prototype is untouched afterwards.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type CallToolResult, CallToolResultSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { API_PREFIX, ENDPOINTS, PARAMS } from "../../lib/client/endpoints.ts";
import { joinList } from "../../lib/client/query.ts";
import { createSimulator } from "../../lib/simulator/index.ts";
import { allTools } from "../../lib/tools/index.ts";
import {
  type InProcess,
  inProcessServer,
  markStarted,
  REFRESH_PATH,
  SCALE,
  STACK_TRACE,
  saveResult,
  sized,
  startUpstream,
  table,
  textOf,
  type Upstream,
  within,
} from "./helpers.ts";

const RUNS = sized(100, 1000);
const CALL_MS = 10_000;

// ---------------------------------------------------------------- what may reach the DXP

const KNOWN_PATHS: RegExp[] = Object.values(ENDPOINTS).map((e) => {
  const path = "root" in e && e.root ? `/${e.path}` : `/${API_PREFIX}/${e.path}`;
  return new RegExp(`^${path.replace(/\{\w+\}/g, "[^/?#]+")}$`);
});
const QUERY_KEYS = new Set<string>(Object.values(PARAMS));
const NAME_LOOKUPS = new Set(
  [ENDPOINTS.locations, ENDPOINTS.userSearch, ENDPOINTS.tenants].map((e) => `/${API_PREFIX}/${e.path}`),
);
/** What ky and undici send; anything else would be injected. */
const HEADER_NAMES = new Set([
  "host",
  "connection",
  "authorization",
  "accept",
  "accept-language",
  "accept-encoding",
  "sec-fetch-mode",
  "user-agent",
  "content-type",
  "content-length",
]);

// ---------------------------------------------------------------- arbitraries

const INJECTIONS = [
  "../../admin",
  "..%2f..%2fadmin",
  "?tenant=other&",
  "acme&tenant=globex",
  "acme?tenant=globex",
  "acme#fragment",
  "/dapi/tenant",
  "%0d%0aX-Evil: 1",
  "\r\nX-Evil: 1",
  "a\nX-Evil: 1",
  "'; DROP TABLE sessions;--",
  '" OR 1=1 --',
  "<script>alert(1)</script>",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally.
  "${7*7}{{7*7}}",
  "%",
  "%%32%65",
  "+ &=;,",
  "\u0000",
  "acme\u0000globex",
  "\u202eemag",
  "名古屋",
  "Zürich",
  "🚀📞",
  "\ud800",
  "__proto__",
  "constructor",
  "prototype",
  "x".repeat(200),
];

const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...INJECTIONS), fc.string({ maxLength: 10 })).map(([a, b]) => a + b),
  },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 20 }) },
);

const hugeString = fc
  .constantFrom(100_000, 120_000)
  .chain((n) => fc.constantFrom("x".repeat(n), "é".repeat(n / 2), "🚀".repeat(n / 4), `${"../".repeat(n / 3)}`));

/** Nested arrays or objects, `depth` levels deep, as a wire message would carry them. */
const deep = fc
  .tuple(fc.integer({ min: 50, max: 1000 }), fc.boolean())
  .map(([depth, arrays]) =>
    JSON.parse(arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`),
  );

const pollution = fc
  .constantFrom(
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"prototype":{"polluted":"yes"}}',
    '{"__proto__":{"toString":"x","valueOf":1}}',
  )
  .map((text) => JSON.parse(text) as unknown);

const anyValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: pollution },
  { weight: 1, arbitrary: fc.constantFrom(-0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, -1, 2 ** 31) },
);

const fieldsOf = (name: string): string[] =>
  Object.keys((allTools.find((t) => t.name === name)!.inputSchema as { shape: object }).shape);

/** Any keys (the tool's own, pollution keys, random ones, a 100 KB one) with any values. */
const randomArgs = (tool: string) =>
  fc
    .dictionary(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...(fieldsOf(tool).length ? fieldsOf(tool) : ["tenant"])) },
        { weight: 2, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype") },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
        { weight: 1, arbitrary: fc.constant("k".repeat(100_000)) },
      ),
      anyValue,
      { maxKeys: 5 },
    )
    // What the wire would carry: JSON (own "__proto__" keys stay own keys, as JSON.parse makes them).
    .map((args) => JSON.parse(JSON.stringify(args)) as Record<string, unknown>);

const tenantArb = fc.oneof({ weight: 1, arbitrary: fc.constant("acme") }, { weight: 3, arbitrary: hostileString });
const names = fc.array(hostileString, { minLength: 1, maxLength: 3 });

/** Arguments of the right shape with hostile strings where a value reaches the DXP. */
function shapedArgs(tool: string): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(tool);
  const record = (shape: Record<string, fc.Arbitrary<unknown>>) =>
    fc.record(shape, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
  if (tool === "configure_connection") return fc.record({ domainName: hostileString });
  if (tool === "set_session_filter") return record({ locations: names, users: names });
  if (fields.includes("search"))
    return record({ search: hostileString, tenant: tenantArb, pageSize: fc.integer({ min: 1, max: 100 }) });
  if (fields.includes("users"))
    return record({
      locations: names,
      users: names,
      tenant: tenantArb,
      timePeriod: fc.constantFrom("LAST_DAY", "24h", "7d"),
    });
  if (fields.includes("locations")) return record({ locations: names, tenant: tenantArb });
  if (fields.includes("tenant")) return record({ tenant: tenantArb });
  return fc.constant({});
}

// ---------------------------------------------------------------- checks

const result0 = (results: [string, CallToolResult][]) => results[0]![1];

/** What URLSearchParams makes of a string: lone surrogates become U+FFFD. */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");

/** The decoded query values a call's arguments must arrive as (only the fields it sent upstream). */
function expectedQuery(tool: string, args: Record<string, unknown>, followUp: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const str = (v: unknown) => (typeof v === "string" ? wellFormed(v.trim()) : undefined);
  // Lists go CSV-quoted where a value holds a comma or a quote (lib/client/query.ts joinList).
  const list = (v: unknown) =>
    Array.isArray(v) && v.every((x) => typeof x === "string")
      ? joinList(v.map((x: string) => wellFormed(x.trim())))
      : undefined;
  if (tool === "configure_connection") {
    if (followUp && str(args.domainName)) out[PARAMS.tenant] = str(args.domainName)!;
    return out;
  }
  const fields = fieldsOf(tool);
  if (fields.includes("tenant") && str(args.tenant)) out[PARAMS.tenant] = str(args.tenant)!;
  if (fields.includes("search") && str(args.search)) out[PARAMS.search] = str(args.search)!;
  if (fields.includes("locations") && list(args.locations) !== undefined) out[PARAMS.locations] = list(args.locations)!;
  if (fields.includes("users") && list(args.users) !== undefined) out[PARAMS.users] = list(args.users)!;
  return out;
}

interface Tally {
  cases: number;
  data: number;
  errors: number;
  followUps: number;
  reachedDxp: number;
  upstreamRequests: number;
  longestErrorText: number;
}

describe(`hostile input (${SCALE}: ${RUNS} cases per tool)`, () => {
  let upstream: Upstream;
  let server: InProcess;
  const tallies = new Map<string, Tally>();
  let prototypeKeys: string[];
  let nonObjectCases = 0;
  /** Whether the last case may have left DXP calls running (a failed tool that calls the DXP in parallel). */
  let orphansPossible = false;

  before(async () => {
    markStarted("hostile-input");
    prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    upstream = await startUpstream(createSimulator({ sessionsPerTenant: 200 }));
    server = await inProcessServer({
      environment: { url: upstream.url, ...upstream.sim.issueTokens(), tenant: "acme" },
      timeoutMs: 5000,
      retryDelayMs: 20,
      // Every case must reach the DXP to be checked there: no answers reused from a cache.
      pool: { cache: { ttlMs: 0 } },
    });
  });

  after(async () => {
    await server?.close();
    await upstream?.close();
    const rows = [...tallies].map(([tool, t]) => [
      tool,
      `${t.cases}`,
      `${t.data}`,
      `${t.errors}`,
      `${t.followUps}`,
      `${t.reachedDxp}`,
      `${t.upstreamRequests}`,
      `${t.longestErrorText}`,
    ]);
    const total = [...tallies.values()].reduce((n, t) => n + t.cases, 0) + nonObjectCases;
    console.log(
      `\nHostile input (${SCALE}): cases tried per tool\n${table(["tool", "cases", "data", "isError", "follow-up calls", "reached DXP", "DXP requests", "longest error text"], rows)}`,
    );
    console.log(`non-object arguments: ${nonObjectCases} cases; total cases tried: ${total}`);
    saveResult({
      file: "hostile-input",
      lines: [
        `hostile input: ${total} cases (${[...tallies.values()].map((t) => t.cases).join("+")} over ${tallies.size} tools, ${nonObjectCases} non-object arguments); ` +
          `reached the DXP ${[...tallies.values()].reduce((n, t) => n + t.reachedDxp, 0)}; Object.prototype untouched`,
      ],
      casesTried: total,
      callsServed: total,
    });
  });

  /** One call: a result within the bound, the result well formed, the DXP requests clean. */
  async function check(tool: string, args: Record<string, unknown>, shaped: boolean): Promise<void> {
    const tally = tallies.get(tool)!;
    tally.cases += 1;
    server.session.filter = {};
    delete server.session.credentials;
    // A tool whose parallel DXP calls failed early leaves the others running: let them land first.
    if (orphansPossible) await upstream.quiet(30, 5000);
    upstream.sim.clearRequests();
    upstream.raw = [];
    const results: [string, CallToolResult][] = [];
    results.push([tool, await server.call(tool, args, CALL_MS)]);
    // A saved filter or tenant shows upstream only when a data tool runs after it.
    const followUp =
      shaped && (tool === "set_session_filter" || tool === "configure_connection") && !results[0]![1].isError;
    if (followUp) {
      const next = tool === "set_session_filter" ? "get_detailed_session_list" : "get_tenant_platforms";
      results.push([next, await server.call(next, {}, CALL_MS)]);
    }
    orphansPossible = results.some(([name, result]) => result.isError && name === "get_session_summary");
    if (result0(results).isError) tally.errors += 1;
    else tally.data += 1;
    tally.followUps += results.length - 1;
    for (const [name, result] of results) {
      const text = textOf(result);
      assert.ok(Array.isArray(result.content) && result.content.length > 0, `${name}: a result with content`);
      if (result.isError) {
        tally.longestErrorText = Math.max(tally.longestErrorText, text.length);
        assert.ok(text.length > 0, `${name}: the error says something`);
        assert.doesNotMatch(text, STACK_TRACE, `${name}: no stack trace`);
        assert.doesNotMatch(text, /failed unexpectedly/, `${name}: no internal failure: ${text.slice(0, 300)}`);
      } else {
        assert.ok(result.structuredContent, `${name}: structured content`);
      }
    }

    const requests = upstream.sim.requests;
    if (requests.length) tally.reachedDxp += 1;
    tally.upstreamRequests += requests.length;
    const expected = expectedQuery(tool, args, followUp);
    for (const r of requests) {
      assert.ok(
        KNOWN_PATHS.some((p) => p.test(r.path)),
        `path unchanged: ${r.path}`,
      );
      if (r.path === REFRESH_PATH) continue;
      for (const key of Object.keys(r.query))
        assert.ok(QUERY_KEYS.has(key), `no extra query key: ${JSON.stringify(key)} in ${r.path}`);
      for (const [key, value] of Object.entries(expected)) {
        // Name lookups (is "Dalas" a location? is "Umar" a user?) carry the tenant, not the filter they check.
        if (NAME_LOOKUPS.has(r.path) && key !== PARAMS.tenant) continue;
        assert.equal(r.query[key], value, `${key} arrived as the decoded value on ${r.path}`);
      }
    }
    for (const raw of upstream.raw) {
      const [path, query = ""] = raw.target.split("?", 2) as [string, string?];
      assert.ok(
        KNOWN_PATHS.some((p) => p.test(path)),
        `path on the wire unchanged: ${raw.target.slice(0, 200)}`,
      );
      assert.ok(!raw.target.includes("#"), "no fragment on the wire");
      const params = new URLSearchParams(query);
      for (const key of new Set(params.keys())) {
        assert.ok(QUERY_KEYS.has(key), `no extra query key on the wire: ${JSON.stringify(key)}`);
        assert.equal(params.getAll(key).length, 1, `${key} appears once on the wire`);
      }
      for (const [name, value] of raw.headers) {
        assert.ok(HEADER_NAMES.has(name), `no injected header: ${JSON.stringify(name)}`);
        assert.doesNotMatch(value, /[\r\n\0]/, `no control characters in ${name}`);
      }
    }
  }

  for (const tool of allTools.map((t) => t.name)) {
    it(`${tool} answers every hostile argument set with a result, and its DXP requests carry them only as query values`, async () => {
      tallies.set(tool, {
        cases: 0,
        data: 0,
        errors: 0,
        followUps: 0,
        reachedDxp: 0,
        upstreamRequests: 0,
        longestErrorText: 0,
      });
      const args = fc.oneof(
        { weight: 1, arbitrary: randomArgs(tool).map((a) => [a, false] as const) },
        { weight: 1, arbitrary: shapedArgs(tool).map((a) => [a, true] as const) },
      );
      await fc.assert(
        fc.asyncProperty(args, async ([a, shaped]) =>
          within(2 * CALL_MS + 2000, `${tool} case`, check(tool, a, shaped)),
        ),
        {
          numRuns: RUNS,
          seed: Number(process.env.RELIABILITY_SEED ?? Date.now() % 2 ** 31),
          includeErrorInReport: true,
        },
      );
    });
  }

  it("answers arguments that are not an object with a JSON-RPC error, and keeps serving", async () => {
    const notObject = fc
      .oneof(fc.jsonValue({ maxDepth: 3 }), deep, hugeString)
      .filter((v) => typeof v !== "object" || v === null || Array.isArray(v));
    await fc.assert(
      fc.asyncProperty(notObject, fc.constantFrom(...allTools.map((t) => t.name)), async (value, tool) => {
        nonObjectCases += 1;
        const outcome = await within(
          CALL_MS,
          `${tool} with arguments ${JSON.stringify(value).slice(0, 40)}`,
          server.client
            .request(
              { method: "tools/call", params: { name: tool, arguments: value as Record<string, unknown> } },
              CallToolResultSchema,
            )
            .then(
              (result) => ({ result }),
              (error: unknown) => ({ error }),
            ),
        );
        if ("result" in outcome) {
          assert.equal(outcome.result.isError, true, "not data");
        } else {
          assert.ok(outcome.error instanceof McpError, `a JSON-RPC error, not ${String(outcome.error)}`);
          // The SDK answers -32603 (internal error) where -32602 (invalid params) would be exact.
          assert.ok([-32602, -32603].includes(outcome.error.code), `code ${outcome.error.code}`);
          assert.doesNotMatch(outcome.error.message, STACK_TRACE);
        }
      }),
      { numRuns: RUNS, includeErrorInReport: true },
    );
    const after = await server.call("get_tenant_names", {});
    assert.equal(after.isError, undefined, textOf(after));
  });

  it("leaves Object.prototype unpolluted and the server serving", async () => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.toString.call([]), "[object Array]");
    const result = await server.call("get_session_summary", {});
    assert.equal(result.isError, undefined, textOf(result));
  });
});
