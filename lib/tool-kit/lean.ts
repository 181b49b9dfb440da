// Answers as a model pays for them: structuredContent without nulls (a field left out says
// "not known" as well and costs nothing), and the output schemas to match, derived from the
// schemas the tools declare (every nullable field becomes optional).
import { z } from "zod";
import type { Tool } from "./define.ts";

/** A copy without null or undefined object fields, at any depth; array items stay in place. */
export function lean<T>(value: T): T {
  if (Array.isArray(value)) return value.map(lean) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== null && field !== undefined) out[key] = lean(field);
  return out as T;
}

/** The schema of `lean(x)` for an `x` of `schema`: nullable fields optional, at any depth. */
export function leanSchema<T extends z.ZodType>(schema: T): z.ZodType {
  const described = (out: z.ZodType) => (schema.description ? out.describe(schema.description) : out);
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) {
    const inner = leanSchema(schema.unwrap() as z.ZodType);
    return described(inner instanceof z.ZodOptional ? inner : inner.optional());
  }
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(
      Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => [key, leanSchema(field)]),
    );
    return described(z.object(shape));
  }
  if (schema instanceof z.ZodArray) return described(z.array(leanSchema(schema.element as z.ZodType)));
  if (schema instanceof z.ZodRecord)
    return described(z.record(schema.keyType as z.ZodString, leanSchema(schema.valueType as z.ZodType)));
  return schema;
}

const answerSchemas = new WeakMap<Tool, z.ZodType>();

/**
 * A tool's output schema as its answers carry it (nulls left out). Built on first use (the
 * tests, the manifest), never at start: tools/list publishes the shallow schema instead
 * (lib/server/published-schema.ts), which makes nullable fields optional by itself.
 */
export function answerSchema(tool: Tool): z.ZodType {
  let schema = answerSchemas.get(tool);
  if (!schema) answerSchemas.set(tool, (schema = leanSchema(tool.outputSchema)));
  return schema;
}
