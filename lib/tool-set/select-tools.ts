// Pick the tools a server offers: by name or group, and a read-only switch, so a team can
// keep a model's context small. From code, the environment (NECTAR_TOOLS,
// NECTAR_READ_ONLY) and, over HTTP, per request (X-MCP-Tools, X-MCP-Readonly) — a request
// can only narrow what the server offers, never widen it.
import { ConfigurationError } from "../errors.ts";
import type { Tool, ToolGroup } from "../tool-kit/define.ts";
import { allTools, TOOL_GROUPS } from "../tools/index.ts";
import type { ToolSelection } from "./parse-selection.ts";

export { parseToolSelection, type ToolSelection } from "./parse-selection.ts";

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
