// The schemas we publish in tools/list, converted to JSON Schema once per process.
//
// Output: every top-level field with its type, nested objects and arrays without their
// inner shape. A model pays for tools/list in context on every conversation; the full
// schemas stay in the registry (validated by the tests) and in dist/tools.json for developers.
//
// Once: over HTTP the SDK builds a server per request, and its McpServer converts each
// registered zod schema to JSON Schema again for every tools/list (SDK issues #2090, #2838).
// The SDK takes any Standard Schema that also implements StandardJSONSchemaV1
// (`~standard.jsonSchema`), so we hand it zod's own schema behind a view whose JSON Schema is
// computed on first use and then shared: validation stays zod's, conversion happens once.
import { z } from "zod";
import type { Tool } from "../tools/define.ts";

type StandardOf<T extends z.ZodType> = T["~standard"];
type JsonSchemaOptions = Parameters<NonNullable<StandardOf<z.ZodObject>["jsonSchema"]>["input"]>[0];

/** A zod schema as a Standard Schema whose JSON Schema conversion is memoised. */
export interface ConvertedOnce<T extends z.ZodType> {
  readonly "~standard": StandardOf<T>;
}

export function convertedOnce<T extends z.ZodType>(schema: T): ConvertedOnce<T> {
  const standard = schema["~standard"];
  const memo = new Map<string, Record<string, unknown>>();
  const once = (io: "input" | "output") => (options: JsonSchemaOptions) => {
    const key = `${io} ${options.target}`;
    let json = memo.get(key);
    // Frozen: every server shares it, so a mutation anywhere must fail loudly, not leak.
    if (!json) memo.set(key, (json = deepFreeze(standard.jsonSchema[io](options))));
    return json;
  };
  return {
    "~standard": {
      version: standard.version,
      vendor: standard.vendor,
      validate: standard.validate,
      jsonSchema: { input: once("input"), output: once("output") },
    } as StandardOf<T>,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export function publishedOutputSchema(schema: z.ZodObject): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) shape[key] = shallow(field as z.ZodType);
  return z.object(shape);
}

function shallow(field: z.ZodType): z.ZodType {
  if (field instanceof z.ZodOptional) return shallow(field.unwrap() as z.ZodType).optional();
  if (field instanceof z.ZodNullable) return shallow(field.unwrap() as z.ZodType).nullable();
  if (field instanceof z.ZodArray) return z.array(z.unknown());
  if (field instanceof z.ZodObject) return z.record(z.string(), z.unknown());
  return field;
}

export interface PublishedSchemas {
  input: ConvertedOnce<z.ZodObject>;
  output: ConvertedOnce<z.ZodObject>;
}

const published = new WeakMap<Tool, PublishedSchemas>();

/** A tool's input and (shallow) output schema as the SDK gets them, built once per tool. */
export function publishedSchemas(tool: Tool): PublishedSchemas {
  let schemas = published.get(tool);
  if (!schemas) {
    schemas = { input: convertedOnce(tool.inputSchema), output: convertedOnce(publishedOutputSchema(tool.outputSchema)) };
    published.set(tool, schemas);
  }
  return schemas;
}
