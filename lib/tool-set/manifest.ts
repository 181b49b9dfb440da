// The tool manifest: every tool's name, title, description, group, annotations and JSON
// Schemas, generated from the registry alone (dist/tools.json, the README's table, the
// MCP Bundle), so docs and code cannot drift.
import { z } from "zod";
import type { Tool } from "../tool-kit/define.ts";
import { answerSchema } from "../tool-kit/lean.ts";
import { portableSchema } from "../tool-kit/portable-schema.ts";
import { allTools } from "../tools/index.ts";

export interface ToolManifestEntry {
  name: string;
  title: string;
  description: string;
  group: string;
  annotations: Tool["annotations"];
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
}

export function toolManifest(tools: readonly Tool[] = allTools): ToolManifestEntry[] {
  return tools.map((tool) => ({
    name: tool.name,
    title: tool.title,
    description: tool.description,
    group: tool.group,
    annotations: tool.annotations,
    // As the function-calling adapter gives it: a provider may be handed this file's schemas.
    inputSchema: portableSchema(z.toJSONSchema(tool.inputSchema, { io: "input" }) as Record<string, unknown>),
    outputSchema: z.toJSONSchema(answerSchema(tool)) as Record<string, unknown>,
  }));
}
