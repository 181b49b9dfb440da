import { z } from "zod";
import { describeConnection } from "../connection.ts";
import { messageFor } from "../errors.ts";
import { connectionSchema } from "../tool-answers/connection-schema.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";

export default defineTool({
  name: "get_connection_status",
  title: "Connection status",
  description:
    "Which DXP and tenant are used and from where, token presence and expiry, and a live check. Call first when a call fails; check=true also tries each DXP endpoint once.",
  group: "connection",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      check: z.boolean().optional(),
    }),
  outputSchema: () =>
    connectionSchema().extend({
      connected: z.boolean(),
      latencyMs: z.number().nullable(),
      visibleTenants: z.number().nullable(),
      problem: z.string().nullable(),
      endpointOverrides: z.array(z.string()),
      check: z
        .object({
          ok: z.number(),
          failed: z.number(),
          skipped: z.number(),
          failures: z.array(z.string()),
          dataAsOf: z.string().nullable(),
        })
        .nullable(),
    }),
  async handler(args, context) {
    const described = describeConnection(context.connection());
    let connected = false;
    let latencyMs: number | null = null;
    let visibleTenants: number | null = null;
    let problem: string | null = null;
    let expiresAt = described.accessTokenExpiresAt;
    let endpointOverrides: string[] = [];
    let check: { ok: number; failed: number; skipped: number; failures: string[]; dataAsOf: string | null } | null =
      null;
    let report = "";
    try {
      const client = await context.client();
      endpointOverrides = [...client.api.overridden];
      const started = Date.now();
      visibleTenants = (await client.tenants({ signal: context.signal })).length;
      latencyMs = Date.now() - started;
      connected = true;
      expiresAt = client.accessTokenExpiresAt?.toISOString() ?? expiresAt;
      if (args.check) {
        const { renderReport, runDoctor } = await import("../doctor/doctor.ts");
        const result = await runDoctor(client, {
          tenant: described.tenant ?? undefined,
          now: context.now,
          signal: context.signal,
        });
        const failures = result.endpoints
          .filter((e) => !e.ok && !e.skipped && e.used)
          .map((e) => `${e.method} ${e.path}: ${e.problem ?? e.status}`);
        check = {
          ok: result.summary.ok,
          failed: result.summary.failed,
          skipped: result.summary.skipped,
          failures,
          dataAsOf: result.freshness.lastUpdated ?? null,
        };
        report = renderReport(result, { compact: true });
      }
    } catch (error) {
      // The status tool reports a failure instead of failing: that is its answer.
      problem = messageFor(error, "The connectivity check failed unexpectedly.");
    }
    const data = {
      ...described,
      accessTokenExpiresAt: expiresAt,
      connected,
      latencyMs,
      visibleTenants,
      problem,
      endpointOverrides,
      check,
    };
    const text = [
      `DXP ${data.url ?? (context.connection().urlWithheld ? "(the server's own; its address is not shown over HTTP)" : "(no URL)")} · tenant ${data.tenant ?? "(none)"} · configured by ${data.source}.`,
      `Access token ${data.accessToken}${expiresAt ? `, expires ${expiresAt.replace("T", " ").slice(0, 16)} UTC` : ""}; refresh token ${data.refreshToken}.`,
      connected
        ? `Connected: answered in ${latencyMs} ms; ${visibleTenants} tenant(s) visible.`
        : `Not connected: ${problem}`,
      ...(endpointOverrides.length
        ? [`Endpoint overrides (NECTAR_DXP_ENDPOINTS): ${endpointOverrides.join("; ")}.`]
        : []),
      ...(report ? [report] : []),
    ].join("\n");
    return { data, text };
  },
});
