import { z } from "zod";
import type { EndpointTest } from "../client/schemas.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatUtc, parseDxpDate, utcSeconds } from "../time.ts";
import { coverageOf } from "../tool-answers/data-extent.ts";
import { num, pageFooter, percentOf, round, table } from "../tool-answers/render.ts";
import { worstFirst } from "../tool-answers/sample.ts";
import type { ToolContext } from "../tool-kit/define.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import {
  appliedLine,
  appliedSchema,
  type Scope,
  scopeFor,
  TEST_DIMENSIONS,
  testScopeShape,
} from "../tool-query/call-scope.ts";
import { pageOf, pageSchema, pagingShape } from "../tool-query/paging.ts";

const TEST_BY = ["site", "endpoint", "testType", "day"] as const;
type TestBy = (typeof TEST_BY)[number];
/** With by: every test of the window is read, this many pages of 1,000 at most. */
const MAX_PAGES = 10;
const SUMMARY_PAGE = 1000;

const summaryRow = lazySchema(() =>
  z.object({
    name: z.string(),
    tests: z.number(),
    fail: z.number(),
    warn: z.number(),
    failPercent: z.number(),
    firstFail: z.string().nullable().describe("UTC"),
    sites: z.array(z.string()),
    networks: z.array(z.string()).describe("inferred field"),
  }),
);

const testRow = lazySchema(() =>
  z.object({
    testId: z.string(),
    startDate: z.string().nullable().describe("UTC"),
    endpointName: z.string().nullable(),
    userName: z.string().nullable(),
    location: z.string().nullable(),
    testType: z.string().nullable(),
    result: z.string().nullable(),
    mos: z.number().nullable(),
    jitterMs: z.number().nullable(),
    packetLossPct: z.number().nullable(),
    rttMs: z.number().nullable(),
  }),
);

export default defineTool({
  name: "get_endpoint_test_summaries",
  title: "Endpoint test results",
  description:
    "Endpoint-client (EPC) test results, newest first: endpoint, user, site, result, MOS, jitter, loss, RTT: a site's network as its endpoints see it.",
  group: "endpoint_tests",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      ...testScopeShape(),
      ...pagingShape(),
      pageSize: z.number().int().min(1).max(100).default(8),
      by: z.enum(TEST_BY).optional().describe("summary per group: tests, fail %, first fail, network"),
    }),
  outputSchema: () =>
    appliedSchema().extend({
      results: z.array(z.string()).nullable(),
      page: pageSchema().optional(),
      tests: z.array(testRow()).optional(),
      by: z.enum(TEST_BY).optional(),
      groups: z.array(summaryRow()).optional(),
    }),
  async handler(args, context) {
    const scope = await scopeFor(args, context, TEST_DIMENSIONS);
    const { client, query, applied, call } = scope;
    if (args.by) return summarise(args.by, args.results, scope, context);
    // Beside the page, the data's extent (one request): whether the window lies within the retained data.
    const [answer, coverage] = await Promise.all([
      client.endpointTestSummaries(
        { ...query, testResults: args.results, pageNumber: args.pageNumber, pageSize: args.pageSize },
        call,
      ),
      coverageOf(scope, context),
    ]);
    const tests = answer.elements.map((t) => ({
      testId: String(t.testId),
      startDate: t.startDate ? utcSeconds(parseDxpDate(t.startDate)) : null,
      endpointName: t.endpointName ?? null,
      userName: t.userName ?? null,
      location: t.location ?? null,
      testType: t.testType ?? null,
      result: t.result ?? null,
      mos: round(t.mos, 2),
      jitterMs: round(t.jitter, 1),
      packetLossPct: round(t.packetLoss, 2),
      rttMs: round(t.rtt, 0),
    }));
    const page = pageOf(answer);
    const results = args.results ?? null;
    const text = [
      `Endpoint tests${results ? ` with result ${results.join("/")}` : ""}, newest first. ${appliedLine(applied)}`,
      ...(tests.length && coverage.window ? [coverage.window] : []),
      tests.length
        ? table(
            ["start UTC", "endpoint", "user", "location", "type", "result", "MOS", "jitter ms", "loss %", "RTT ms"],
            tests.map((t) => [
              t.startDate ? formatUtc(new Date(t.startDate)).slice(5) : null, // the year is in the window line
              t.endpointName,
              t.userName,
              t.location,
              t.testType,
              t.result,
              num(t.mos, 2),
              num(t.jitterMs),
              num(t.packetLossPct, 2),
              num(t.rttMs, 0),
            ]),
          )
        : `No tests match.${coverage.window ? ` ${coverage.window}` : ""}`,
      pageFooter(page, tests.length, "tests"),
    ].join("\n");
    return { data: { ...applied, results, page, tests }, text };
  },
});

/** Every test of the window (at most MAX_PAGES requests), grouped: fail rates, since when, where and over what network. */
async function summarise(by: TestBy, results: string[] | undefined, scope: Scope, context: ToolContext) {
  const { client, query, applied, call } = scope;
  const all: EndpointTest[] = [];
  let pages = 0;
  // Beside the first page, the data's extent (one request): whether the window lies within the retained data.
  const covered = coverageOf(scope, context).then((c) => c.window);
  // Awaited after the pages: a failing page must not leave this rejection unhandled meanwhile.
  covered.catch(() => undefined);
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    const answer = await client.endpointTestSummaries(
      { ...query, testResults: results, pageNumber, pageSize: SUMMARY_PAGE },
      call,
    );
    pages++;
    all.push(...answer.elements);
    if (pageNumber >= answer.totalPages) break;
  }
  const coverage = await covered;
  const keyOf = (t: EndpointTest): string =>
    by === "site"
      ? (t.location ?? "unknown")
      : by === "endpoint"
        ? (t.endpointName ?? "unknown")
        : by === "testType"
          ? (t.testType ?? "unknown")
          : t.startDate
            ? utcSeconds(parseDxpDate(t.startDate)).slice(0, 10)
            : "unknown";
  const groups = new Map<string, EndpointTest[]>();
  for (const t of all) groups.set(keyOf(t), [...(groups.get(keyOf(t)) ?? []), t]);
  const grouped = [...groups].map(([name, tests]) => {
    const fails = tests
      .filter((t) => t.result === "FAIL")
      .map((t) => (t.startDate ? utcSeconds(parseDxpDate(t.startDate)) : ""))
      .filter(Boolean)
      .sort();
    return {
      name,
      tests: tests.length,
      fail: fails.length,
      warn: tests.filter((t) => t.result === "WARN").length,
      failPercent: percentOf(fails.length, tests.length),
      firstFail: fails[0] ?? null,
      sites: [...new Set(tests.map((t) => t.location ?? "unknown"))].sort(),
      networks: [...new Set(tests.map((t) => t.network ?? "unknown"))].sort(),
    };
  });
  // Days in order; other groups worst fail rate first, those under the minimum sample last.
  const { ranked, floor: min } = worstFirst(
    grouped,
    (r) => r.tests,
    (r) => r.failPercent,
  );
  const rows = by === "day" ? grouped.sort((a, b) => a.name.localeCompare(b.name)) : ranked;
  const shown = rows.slice(0, 30);
  const text = [
    `Endpoint tests by ${by}${results ? ` with result ${results.join("/")}` : ""}${by === "day" ? "" : `, worst fail rate first (ranked with ≥ ${min} tests)`}. ${appliedLine(applied)}`,
    ...(coverage ? [coverage] : []),
    shown.length
      ? table(
          [by, "tests", "fail", "warn", "fail %", "first fail UTC", ...(by === "site" ? [] : ["site"]), "network"],
          shown.map((r) => [
            r.name,
            r.tests,
            r.fail,
            r.warn,
            `${r.failPercent}%`,
            r.firstFail ? formatUtc(new Date(r.firstFail)).slice(5) : null,
            ...(by === "site" ? [] : [r.sites.length > 2 ? `${r.sites.length} sites` : r.sites.join(", ")]),
            r.networks.join(", "),
          ]),
        )
      : "No tests match.",
    `${all.length} tests in ${rows.length} groups${rows.length > shown.length ? ` (${shown.length} shown)` : ""}; network is the endpoint client's (an inferred DXP field). ${pages + 1} DXP requests (at most ${MAX_PAGES + 1}).`,
  ].join("\n");
  return { data: { ...applied, results: results ?? null, by, groups: shown }, text };
}
