import { z } from "zod";
import { lazySchema } from "../lazy-schema.ts";
import { formatUtc, parseDxpDate, utcSeconds } from "../time.ts";
import { defineTool, READS_DXP } from "./define.ts";
import { num, pageFooter, round, table } from "./render.ts";
import { appliedLine, appliedSchema, scopeFor, TEST_DIMENSIONS, testScopeShape } from "./call-scope.ts";
import { pageOf, pageSchema, pagingShape } from "./paging.ts";

const testRow = lazySchema(() => z.object({
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
}));

export default defineTool({
  name: "get_endpoint_test_summaries",
  title: "Endpoint test results",
  description:
    "Endpoint-client (EPC) test results, newest first: endpoint, user, site, result, MOS, jitter, loss, RTT: a site's network as its endpoints see it.",
  group: "endpoint_tests",
  annotations: READS_DXP,
  inputSchema: () => z.strictObject({ ...testScopeShape(), ...pagingShape(), pageSize: z.number().int().min(1).max(100).default(8) }),
  outputSchema: () => appliedSchema().extend({ results: z.array(z.string()).nullable(), page: pageSchema(), tests: z.array(testRow()) }),
  async handler(args, context) {
    const { client, query, applied, call } = await scopeFor(args, context, TEST_DIMENSIONS);
    const answer = await client.endpointTestSummaries(
      { ...query, testResults: args.results, pageNumber: args.pageNumber, pageSize: args.pageSize },
      call,
    );
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
        : "No tests match.",
      pageFooter(page, tests.length, "tests"),
    ].join("\n");
    return { data: { ...applied, results, page, tests }, text };
  },
});
