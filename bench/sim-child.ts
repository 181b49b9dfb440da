// The DXP simulator in its own process, so that load generator, MCP server and DXP each
// have their own event loop. Run as `node --import tsx bench/sim-child.ts`; it reports
// `{ ready, url }` over IPC and answers IPC requests (tokens, request counts, request log).
import { serve } from "@hono/node-server";
import { createSimulator } from "../lib/simulator/index.ts";

const sessionsPerTenant = Number(process.env.BENCH_SIM_SESSIONS ?? 20_000);
const sim = createSimulator({ sessionsPerTenant });

type Request =
  | { id: number; op: "tokens"; count: number }
  | { id: number; op: "count" }
  | { id: number; op: "requests"; since: number }
  | { id: number; op: "clear" };

process.on("message", (message: Request) => {
  const reply = (body: Record<string, unknown>) => process.send?.({ id: message.id, ...body });
  switch (message.op) {
    case "tokens":
      reply({
        tokens: Array.from({ length: message.count }, (_, i) =>
          sim.issueTokens({ lifetimeSeconds: 24 * 3600, subject: `bench-${i}` }),
        ),
      });
      break;
    case "count":
      reply({ count: sim.requests.length });
      break;
    case "requests":
      reply({ requests: sim.requests.slice(message.since) });
      break;
    case "clear":
      sim.clearRequests();
      reply({ cleared: true });
      break;
  }
});
process.on("disconnect", () => process.exit(0));
serve({ fetch: sim.fetch, hostname: "127.0.0.1", port: 0 }, (info) => {
  process.send?.({ ready: true, url: `http://127.0.0.1:${info.port}` });
});
