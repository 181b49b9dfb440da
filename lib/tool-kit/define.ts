// What a tool is: a plain object with schemas, annotations and a handler. Tools know
// nothing of the MCP SDK; lib/server/register.ts is the one place that does.
import type { z } from "zod";
import type { DxpClient } from "../client/client.ts";
import type { ResolvedConnection } from "../connection.ts";
import type { SessionFilter } from "../filter.ts";
import { lazySchema } from "../lazy-schema.ts";
import type { SessionState } from "../session.ts";
import type { FilterHandles } from "../store/filter-handles.ts";

export const TOOL_GROUPS = ["connection", "sessions", "locations", "users", "tenants", "endpoint_tests"] as const;
export type ToolGroup = (typeof TOOL_GROUPS)[number];

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  /** True when the tool talks to the DXP (an external system). */
  openWorldHint: boolean;
}

/** Everything a handler may use; built per call by the server. */
export interface ToolContext {
  /** The client for this call's credentials. Throws ConfigurationError saying how to configure. */
  client(): Promise<DxpClient>;
  /** Where this call's credentials come from (tokens never leave this object into results). */
  connection(): ResolvedConnection;
  /** This MCP session's remembered state (filter, configured credentials). */
  session: SessionState;
  /** Saved filters by handle (set_session_filter's filterId), bound to this caller. */
  filters: FilterHandles<SessionFilter>;
  /** True when nothing in `session` outlives this request (HTTP without an MCP session, e.g. MCP 2026-07-28). */
  stateless: boolean;
  /**
   * HTTP caller without credential headers: its MCP session is named by its id alone, which
   * any other header-less caller could present, so it keeps no credentials and no filter
   * (docs/security.md). Implies `stateless`.
   */
  anonymous?: boolean;
  /** Check a DXP URL against the server's policy; returns it normalized or throws ConfigurationError. */
  checkUrl(url: string): string;
  now(): number;
  signal?: AbortSignal;
  /** Report progress when the client asked for it; a no-op otherwise. */
  progress(done: number, total: number, message?: string): Promise<void>;
}

export interface ToolResult<Output> {
  /** The structured answer; must match the tool's output schema. */
  data: Output;
  /** The same answer, compact, for clients that show the model only text. */
  text: string;
}

export interface Tool<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  group: ToolGroup;
  inputSchema: Input;
  /** As the handler returns it; answers leave out its nulls (answerSchema in lean.ts). */
  outputSchema: Output;
  annotations: ToolAnnotations;
  handler(args: z.infer<Input>, context: ToolContext): Promise<ToolResult<z.infer<Output>>>;
}

/**
 * A tool as written: its schemas as builders, so a cold tools/list builds none. Its
 * annotations are its own, always (READS_DXP for a tool that only reads the DXP): a
 * default would let a tool that changes state and forgets them pass as read-only
 * through NECTAR_READ_ONLY.
 */
export interface ToolDefinition<Input extends z.ZodObject, Output extends z.ZodObject>
  extends Omit<Tool<Input, Output>, "inputSchema" | "outputSchema"> {
  inputSchema: () => Input;
  outputSchema: () => Output;
}

/** The tool object, its schemas read through getters that build them once, on first use; the handler gets typed arguments. */
export function defineTool<Input extends z.ZodObject, Output extends z.ZodObject>(
  definition: ToolDefinition<Input, Output>,
): Tool<Input, Output> {
  const { inputSchema, outputSchema, ...rest } = definition;
  // The type requires them; this stops a definition that reached here untyped.
  if (typeof rest.annotations !== "object" || rest.annotations === null) {
    throw new TypeError(
      `Tool ${rest.name} declares no annotations: say readOnlyHint, destructiveHint, idempotentHint and openWorldHint (READS_DXP for a tool that only reads the DXP).`,
    );
  }
  return Object.defineProperties(
    { ...rest },
    {
      inputSchema: { get: lazySchema(inputSchema), enumerable: true },
      outputSchema: { get: lazySchema(outputSchema), enumerable: true },
    },
  ) as Tool<Input, Output>;
}

/**
 * A tool's arguments as zod reads them: a null-valued field is a field not given. OpenAI's
 * strict mode lists every field as required and sends null for each one the model leaves
 * out, and other clients send null for "none"; the published schemas stay as they are (no
 * `"null"` type on every field: fewer tokens, and Gemini takes only one type), and this runs
 * before every validation of a call's arguments (MCP and function calling). Nested objects
 * too; a null inside a list stays, so zod names it.
 */
export function withoutNulls(args: unknown): unknown {
  if (typeof args !== "object" || args === null || Array.isArray(args)) return args;
  // fromEntries defines own properties: a "__proto__" key stays a key (and zod refuses it).
  return Object.fromEntries(
    Object.entries(args).flatMap(([key, value]) => (value === null ? [] : [[key, withoutNulls(value)]])),
  );
}

/** Annotations of every tool that only reads the DXP. */
export const READS_DXP: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};
