import { z } from "zod";
import { normalizeUrl } from "../client/credentials.ts";
import { HEADER_VALUE } from "../client/header-value.ts";
import { describeConnection } from "../connection.ts";
import { InputError } from "../errors.ts";
import { lazySchema } from "../lazy-schema.ts";
import { connectionSchema } from "../tool-answers/connection-schema.ts";
import { defineTool } from "../tool-kit/define.ts";

// A token must be sendable as a header value; the message never quotes it back.
const token = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(16_384)
    .regex(HEADER_VALUE, { error: "expected the token as issued: visible ASCII, no spaces" }),
);

export default defineTool({
  name: "configure_connection",
  title: "Configure DXP connection",
  description:
    "Set the DXP URL, tokens and/or default tenant (domainName) for this MCP session only, over env and headers. Tokens are never shown back.",
  group: "connection",
  inputSchema: () =>
    z.strictObject({
      url: z.string().trim().min(1).max(2048).optional().describe("https://<instance>.nectar.services"),
      accessToken: token().optional(),
      refreshToken: token().optional(),
      domainName: z.string().trim().min(1).max(100).optional().describe("default tenant"),
      clear: z.boolean().default(false).describe("forget this session's settings first"),
    }),
  outputSchema: () => connectionSchema(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, context) {
    // Nothing would keep these settings past this request, and tokens are never parked
    // under a handle another request could present: over HTTP without a session they go in headers.
    if (context.anonymous) {
      throw new InputError(
        "configure_connection keeps no settings for a caller without credential headers: such a session is named by its id alone, and anyone presenting that id could use tokens kept in it. Nothing was saved.",
        "Send X-Nectar-DXP-URL, X-Nectar-Access-Token, X-Nectar-Refresh-Token (and X-Nectar-Domain-Name) headers with every request instead; without them this server uses its own configured connection.",
      );
    }
    if (context.stateless) {
      throw new InputError(
        "configure_connection keeps settings only within an MCP session, and this request has none (MCP 2026-07-28 has no sessions): nothing was saved.",
        "Send X-Nectar-DXP-URL, X-Nectar-Access-Token, X-Nectar-Refresh-Token and X-Nectar-Domain-Name headers with every request instead, or pass tenant to each tool.",
      );
    }
    const given = {
      ...(args.url ? { url: context.checkUrl(args.url) } : {}),
      ...(args.accessToken ? { accessToken: args.accessToken } : {}),
      ...(args.refreshToken ? { refreshToken: args.refreshToken } : {}),
      ...(args.domainName ? { tenant: args.domainName } : {}),
    };
    if (!args.clear && Object.keys(given).length === 0) {
      throw new InputError("Give at least one of url, accessToken, refreshToken, domainName, or clear: true.");
    }
    const kept = args.clear ? {} : (context.session.credentials ?? {});
    // New tokens for a new URL must not be mixed with tokens meant for another DXP.
    const base = given.url && given.url !== kept.url ? { tenant: kept.tenant } : kept;
    const next = { ...base, ...given };
    context.session.credentials = Object.keys(next).length ? next : undefined;
    const connection = context.connection();
    // Bind the session's tokens to the DXP they are meant for now: later requests naming
    // another URL (a header) must not carry them there.
    if (next.accessToken || next.refreshToken) {
      if (!connection.url) {
        context.session.credentials =
          kept.url || kept.accessToken || kept.refreshToken || kept.tenant ? kept : undefined;
        throw new InputError("Tokens need a DXP URL to belong to: pass url together with the tokens.");
      }
      context.session.credentialsUrl = normalizeUrl(connection.url);
    } else context.session.credentialsUrl = undefined;
    const data = describeConnection(connection);
    const text =
      `${args.clear ? "Cleared this session's connection settings. " : "Connection settings saved for this MCP session. "}` +
      `Now: DXP ${data.url ?? (connection.urlWithheld ? "(the server's own)" : "(no URL)")}, tenant ${data.tenant ?? "(none)"}, access token ${data.accessToken}, refresh token ${data.refreshToken} (from ${data.source}). ` +
      "Call get_connection_status to check connectivity.";
    return { data, text };
  },
});
