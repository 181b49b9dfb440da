import { z } from "zod";
import { describeConnection } from "../connection.ts";
import { messageFor } from "../errors.ts";
import { defineTool, READS_DXP } from "./define.ts";
import { connectionSchema } from "./connection-schema.ts";

export default defineTool({
  name: "get_connection_status",
  title: "Connection status",
  description:
    "Which DXP and tenant are used and from where, token presence and expiry, and a live check. Call first when a call fails.",
  group: "connection",
  annotations: READS_DXP,
  inputSchema: () => z.strictObject({}),
  outputSchema: () => connectionSchema().extend({
    connected: z.boolean(),
    latencyMs: z.number().nullable(),
    visibleTenants: z.number().nullable(),
    problem: z.string().nullable(),
  }),
  async handler(_args, context) {
    const described = describeConnection(context.connection());
    let connected = false;
    let latencyMs: number | null = null;
    let visibleTenants: number | null = null;
    let problem: string | null = null;
    let expiresAt = described.accessTokenExpiresAt;
    try {
      const client = await context.client();
      const started = Date.now();
      visibleTenants = (await client.tenants({ signal: context.signal })).length;
      latencyMs = Date.now() - started;
      connected = true;
      expiresAt = client.accessTokenExpiresAt?.toISOString() ?? expiresAt;
    } catch (error) {
      // The status tool reports a failure instead of failing: that is its answer.
      problem = messageFor(error, "The connectivity check failed unexpectedly.");
    }
    const data = { ...described, accessTokenExpiresAt: expiresAt, connected, latencyMs, visibleTenants, problem };
    const text = [
      `DXP ${data.url ?? (context.connection().urlWithheld ? "(the server's own; its address is not shown over HTTP)" : "(no URL)")} · tenant ${data.tenant ?? "(none)"} · configured by ${data.source}.`,
      `Access token ${data.accessToken}${expiresAt ? `, expires ${expiresAt.replace("T", " ").slice(0, 16)} UTC` : ""}; refresh token ${data.refreshToken}.`,
      connected ? `Connected: answered in ${latencyMs} ms; ${visibleTenants} tenant(s) visible.` : `Not connected: ${problem}`,
    ].join("\n");
    return { data, text };
  },
});
