// One tool call's outcome, whoever asked (MCP or a function-calling agent): the answer,
// or an error message written for the model. Handlers never catch; this does, once.
// A DxpError carries its own message; anything else is logged and reported generically
// (no stack trace ever reaches a model).
import { closest, didYouMean } from "../closest.ts";
import { DxpError, PermissionError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Tool, ToolContext } from "./define.ts";
import { lean } from "./lean.ts";

export type ToolOutcome = { ok: true; data: Record<string, unknown>; text: string } | { ok: false; message: string };

export async function runTool(tool: Tool, args: unknown, context: ToolContext, log: Logger): Promise<ToolOutcome> {
  const started = Date.now();
  // The call's reads end with the call: when one read fails, the handler's others (still
  // retrying or waiting for a renewal) stop waiting, and a read no other call shares is
  // cancelled. Otherwise the next call would join them and get their stale failure.
  const ended = new AbortController();
  const signal = context.signal ? AbortSignal.any([context.signal, ended.signal]) : ended.signal;
  try {
    const { data, text } = await tool.handler(args as never, { ...context, signal });
    log.debug(`tool ${tool.name} ok in ${Date.now() - started} ms`);
    return { ok: true, data: lean(data) as Record<string, unknown>, text };
  } catch (error) {
    if (error instanceof DxpError) {
      log.debug(`tool ${tool.name} ${error.kind} error in ${Date.now() - started} ms: ${error.message}`);
      const tenants = error instanceof PermissionError ? await visibleTenants(args, context) : "";
      return { ok: false, message: `${tool.name}: ${error.userMessage}${tenants}` };
    }
    log.error(
      `tool ${tool.name} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      ok: false,
      message: `${tool.name} failed unexpectedly inside the server. The problem was logged; try again or use another tool.`,
    };
  } finally {
    ended.abort();
  }
}

/** A refused tenant: name the tenants the token can see, and the closest one. */
async function visibleTenants(args: unknown, context: ToolContext): Promise<string> {
  const given = (args as { tenant?: unknown } | undefined)?.tenant;
  let tenant: string | null = typeof given === "string" ? given : null;
  try {
    tenant ??= context.connection().tenant ?? null;
    if (!tenant) return "";
    // The refused tenant goes along like on every call of this tool; the tenant list ignores it.
    const tenants = await (await context.client()).tenants({ tenant, signal: context.signal });
    if (tenants.includes(tenant)) return "";
    return ` This token sees the tenants ${tenants.join(", ") || "(none)"}; "${tenant}" is not one of them.${didYouMean(closest(tenant, tenants, (t) => [t]))}`;
  } catch {
    return ""; // the original error says enough
  }
}
