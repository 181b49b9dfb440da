// One tool call's outcome, whoever asked (MCP or a function-calling agent): the answer,
// or an error message written for the model. Handlers never catch; this does, once.
// A DxpError carries its own message; anything else is logged and reported generically
// (no stack trace ever reaches a model).
import { DxpError } from "../errors.ts";
import type { Logger } from "../server/logger.ts";
import type { Tool, ToolContext } from "./define.ts";

export type ToolOutcome = { ok: true; data: Record<string, unknown>; text: string } | { ok: false; message: string };

export async function runTool(tool: Tool, args: unknown, context: ToolContext, log: Logger): Promise<ToolOutcome> {
  const started = Date.now();
  try {
    const { data, text } = await tool.handler(args as never, context);
    log.debug(`tool ${tool.name} ok in ${Date.now() - started} ms`);
    return { ok: true, data: data as Record<string, unknown>, text };
  } catch (error) {
    if (error instanceof DxpError) {
      log.debug(`tool ${tool.name} ${error.kind} error in ${Date.now() - started} ms: ${error.message}`);
      return { ok: false, message: `${tool.name}: ${error.userMessage}` };
    }
    log.error(`tool ${tool.name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, message: `${tool.name} failed unexpectedly inside the server. The problem was logged; try again or use another tool.` };
  }
}
