// The server the 2026-07-28 conformance run talks to: the shipped HTTP app (createHttpApp,
// as `cli.js --http --demo` builds it) on the embedded DXP, plus the three diagnostic tools
// the suite's server-stateless scenario calls. They exist only here, never in the product:
//   - test_streaming_elicitation and test_logging_tool just answer (plain tools, through the
//     library's public `tools` option): the suite checks that the answer carries no
//     server-to-client request and no log message it did not ask for;
//   - test_missing_capability asks the client for sampling, which the suite does not declare:
//     the SDK must refuse the call with MissingRequiredClientCapability (-32021, HTTP 400).
//     Asking for input is an input-required result (2026-07-28), which our plain tools cannot
//     return (they never ask the client anything), so this one is an SDK-level tool added
//     through the library's `extendServer` hook; McpServer turns anything a tool callback
//     throws into an isError result, so throwing the error would not do.
// Usage: tsx .ci/conformance/diagnostic-server.mts PORT   (prints "listening on 127.0.0.1:PORT")
import { serve } from "@hono/node-server";
import { inputRequired, type McpServer } from "@modelcontextprotocol/server";
import { z } from "zod";
import { createHttpApp } from "../../lib/http/app.ts";
import { defaultAllowedHosts } from "../../lib/security/origin-guard.ts";
import { ClientPool } from "../../lib/server/client-pool.ts";
import { OPERATOR_URL_POLICY } from "../../lib/server/create-server.ts";
import { defineTool, type Tool } from "../../lib/tool-kit/define.ts";
import { allTools } from "../../lib/tools/index.ts";
import { startDemo } from "../../servers/demo.ts";

const answer = z.object({ ok: z.boolean() });
const diagnostic = (name: string, description: string): Tool =>
  defineTool({
    name,
    title: name,
    description,
    group: "connection",
    inputSchema: () => z.strictObject({}),
    outputSchema: () => answer,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async () => ({ data: { ok: true }, text: `${name}: ok` }),
  }) as unknown as Tool;

const diagnostics = [
  diagnostic("test_streaming_elicitation", "Conformance diagnostic: answers without sending the client any request."),
  diagnostic("test_logging_tool", "Conformance diagnostic: answers without logging unless asked."),
];

/** A tool that needs the client's sampling: it asks for a completion. */
const addMissingCapabilityTool = (server: McpServer) =>
  server.registerTool(
    "test_missing_capability",
    { description: "Conformance diagnostic: asks the client for sampling." },
    async () =>
      inputRequired({
        inputRequests: {
          completion: inputRequired.createMessage({
            messages: [{ role: "user", content: { type: "text", text: "ping" } }],
            maxTokens: 1,
          }),
        },
      }),
  );

const port = Number(process.argv[2] ?? 0);
const demo = await startDemo();
const { app } = createHttpApp({
  environment: demo.credentials,
  environmentSource: "demo",
  urlPolicy: {},
  clients: new ClientPool({ urlPolicy: OPERATOR_URL_POLICY }),
  allowedHosts: defaultAllowedHosts("127.0.0.1", port),
  allowedOrigins: [],
  tools: [...allTools, ...diagnostics],
  extendServer: addMissingCapabilityTool,
});
serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, (info) =>
  process.stderr.write(`listening on 127.0.0.1:${info.port}\n`),
);
const stop = () => void demo.close().then(() => process.exit(0));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
