// What a server or a request asks for: parsed from env variables and headers without
// loading any tool (so the CLI can read its configuration cheaply). selectTools applies it.
import { parseYesNo } from "../yes-no.ts";

export interface ToolSelection {
  /** Tool names and/or group names (connection, sessions, locations, users, tenants, endpoint_tests). Absent: all. */
  include?: readonly string[];
  /** Offer only tools whose readOnlyHint is true (drops configure_connection and set_session_filter). */
  readOnly?: boolean;
}

/** Parse "sessions,get_users" and "true" as written in env variables and headers (`readOnlyName` names the latter in errors). */
export function parseToolSelection(
  include: string | undefined,
  readOnly: string | undefined,
  readOnlyName = "X-MCP-Readonly",
): ToolSelection {
  const names = include
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return { include: names?.length ? names : undefined, readOnly: parseYesNo(readOnlyName, readOnly) };
}
