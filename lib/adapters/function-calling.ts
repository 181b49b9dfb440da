// The tools as plain function-calling definitions (name, description, JSON Schema
// parameters, execute) for agents that do not speak MCP: OpenAI- or Anthropic-style
// tool use, LangChain, a hand-written loop. Same tools, same context, same errors.
import { z } from "zod";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { type ContextOptions, toolContextFactory } from "../server/tool-context.ts";
import { newSessionState, type SessionState } from "../session.ts";
import { type Tool, withoutNulls } from "../tool-kit/define.ts";
import { portableSchema } from "../tool-kit/portable-schema.ts";
import { runTool, type ToolOutcome } from "../tool-kit/run-tool.ts";
import { allTools } from "../tools/index.ts";

export interface FunctionTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments object, in the subset every provider accepts (lib/tool-kit/portable-schema.ts). */
  parameters: Record<string, unknown>;
  /** Run the tool: `ok` with the text a model should read and the structured data, or an error message for the model. */
  execute(args: unknown): Promise<ToolOutcome>;
}

export interface FunctionToolOptions extends Omit<ContextOptions, "session"> {
  tools?: readonly Tool[];
  /** Keeps set_session_filter / configure_connection state between calls; one per conversation. */
  session?: SessionState;
  log?: Logger;
}

export function toFunctionTools(options: FunctionToolOptions = {}): FunctionTool[] {
  const session = options.session ?? newSessionState();
  const contextFor = toolContextFactory({ ...options, session });
  const log = options.log ?? silentLogger;
  return (options.tools ?? allTools).map((tool) => ({
    name: tool.name,
    description: tool.description,
    parameters: portableSchema(z.toJSONSchema(tool.inputSchema, { io: "input" }) as Record<string, unknown>),
    async execute(args) {
      const parsed = tool.inputSchema.safeParse(withoutNulls(args ?? {}));
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) =>
          i.path.length ? `${i.message} at ${i.path.join(".")}` : i.message,
        );
        return { ok: false, message: `${tool.name}: invalid arguments: ${problems.join("; ")}` };
      }
      return runTool(tool, parsed.data, contextFor({ progress: async () => {} }), log);
    },
  }));
}
