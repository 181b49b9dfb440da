// What tests read from the tool registry instead of writing it down: how many tools there
// are, and which of them read the DXP.
import { allTools, type ToolName } from "../../lib/tools/index.ts";

/** How many tools the registry holds (every tools/list of a server offering all of them). */
export const TOOL_COUNT = allTools.length;

/** The tools that read the DXP: those the registry marks openWorldHint ("talks to the DXP"). */
export const DXP_TOOLS: readonly ToolName[] = allTools
  .filter((t) => t.annotations.openWorldHint)
  .map((t) => t.name as ToolName);

/**
 * A tool whose answer is the connection's state (get_connection_status): it reports a DXP
 * failure in its answer (connected false, the problem in words) instead of failing.
 */
export const reportsFailures = (name: string): boolean =>
  "connected" in (allTools.find((t) => t.name === name)?.outputSchema.shape ?? {});
