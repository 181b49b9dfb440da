// The output schema we publish in tools/list: every top-level field with its type, nested
// objects and arrays without their inner shape. A model pays for tools/list in context on
// every conversation; the full schemas stay in the registry (validated by the tests) and in
// dist/tools.json for developers.
import { z } from "zod";

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
