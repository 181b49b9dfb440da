import { z } from "zod";
import { coverageOf } from "../tool-answers/data-extent.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { appliedLine, appliedSchema, scopeFor, TEST_DIMENSIONS, testScopeShape } from "../tool-query/call-scope.ts";

export default defineTool({
  name: "get_endpoint_test_count",
  title: "Endpoint test count",
  description:
    "How many endpoint-client (EPC) tests ran, optionally by result or location: a quick health number for a site.",
  group: "endpoint_tests",
  annotations: READS_DXP,
  inputSchema: () => z.strictObject(testScopeShape()),
  outputSchema: () => appliedSchema().extend({ results: z.array(z.string()).nullable(), count: z.number() }),
  async handler(args, context) {
    const scope = await scopeFor(args, context, TEST_DIMENSIONS);
    const { client, query, applied, call } = scope;
    // Beside the count, the data's extent (one request): "0 tests" for a window before the data is no health number.
    const [answer, coverage] = await Promise.all([
      client.endpointTestCount({ ...query, testResults: args.results }, call),
      coverageOf(scope, context),
    ]);
    const results = args.results ?? null;
    const text = [
      `${answer.count} endpoint tests${results ? ` with result ${results.join("/")}` : ""}. ${appliedLine(applied)}`,
      coverage.window,
    ]
      .filter(Boolean)
      .join("\n");
    return { data: { ...applied, results, count: answer.count }, text };
  },
});
