// Pick the tools a server offers: by name or group, and a read-only switch, so a team can
// keep a model's context small. From code, the environment (NECTAR_TOOLS,
// NECTAR_READ_ONLY) and, over HTTP, per request (X-MCP-Tools, X-MCP-Readonly) — a request
// can only narrow what the server offers, never widen it.
import { ConfigurationError } from "../errors.ts";
import type { Tool, ToolGroup } from "./define.ts";
import { allTools, TOOL_GROUPS } from "./index.ts";

export interface ToolSelection {
  /** Tool names and/or group names (connection, sessions, locations, users, tenants, endpoint_tests). Absent: all. */
  include?: readonly string[];
  /** Offer only tools whose readOnlyHint is true (drops configure_connection and set_session_filter). */
  readOnly?: boolean;
}

export function selectTools(selection: ToolSelection = {}, from: readonly Tool[] = allTools): Tool[] {
  const include = selection.include?.length ? new Set(selection.include) : undefined;
  if (include) {
    const known = new Set<string>([...allTools.map((t) => t.name), ...TOOL_GROUPS]);
    const unknown = [...include].filter((name) => !known.has(name));
    if (unknown.length) {
      throw new ConfigurationError(
        `Unknown tool or group ${unknown.map((u) => `"${u.slice(0, 60)}"`).join(", ")}.`,
        `Use tool names or the groups ${TOOL_GROUPS.join(", ")}.`,
      );
    }
  }
  return from.filter(
    (tool) =>
      (!include || include.has(tool.name) || include.has(tool.group satisfies ToolGroup)) &&
      (!selection.readOnly || tool.annotations.readOnlyHint),
  );
}

/** Parse "sessions,get_users" and "true" as written in env variables and headers. */
export function parseToolSelection(include: string | undefined, readOnly: string | undefined): ToolSelection {
  const names = include?.split(",").map((s) => s.trim()).filter(Boolean);
  return { include: names?.length ? names : undefined, readOnly: /^(1|true|yes)$/i.test(readOnly?.trim() ?? "") };
}
