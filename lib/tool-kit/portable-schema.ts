// The JSON Schema every model provider accepts as a tool's parameters (docs/tool-schemas.md):
// the common subset of OpenAI function calling, Gemini's legacy `parameters` (an OpenAPI 3.0
// subset: one type per node, no $schema, $ref or additionalProperties, few formats) and VS Code
// Copilot (every array has items). zod's JSON Schema is wider; what leaves this floor for a
// provider (tools/list, the function-calling adapter, tools.json) is projected through here.
// zod keeps validating everything, including what the projection leaves out.
type Json = Record<string, unknown>;

/** Gemini's Schema fields that are also JSON Schema: the narrowest of the three lists. */
export const PORTABLE_KEYWORDS: ReadonlySet<string> = new Set([
  "type",
  "description",
  "title",
  "properties",
  "required",
  "items",
  "enum",
  "anyOf",
  "format",
  "default",
  "minimum",
  "maximum",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
]);

/** The formats Gemini takes, by type; any other (zod's "uri", "email", …) is left to zod. */
const FORMATS: Readonly<Record<string, readonly string[]>> = {
  string: ["enum", "date-time"],
  number: ["float", "double"],
  integer: ["int32", "int64"],
};

/**
 * `node` with only the keywords in `keep` (a subset of PORTABLE_KEYWORDS), at every depth.
 * An array's items stay even when they say nothing (`{}`), so the provider test sees them.
 */
export function portableSchema(node: Json, keep: ReadonlySet<string> = PORTABLE_KEYWORDS): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (!keep.has(key) || !PORTABLE_KEYWORDS.has(key)) continue;
    if (key === "properties" && isJson(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, field]) => [name, isJson(field) ? portableSchema(field, keep) : field]),
      );
    } else if (key === "items" && isJson(value)) out.items = portableSchema(value, keep);
    else if (key === "anyOf" && Array.isArray(value))
      out.anyOf = value.map((member) => (isJson(member) ? portableSchema(member, keep) : member));
    else if (key === "format" && !FORMATS[node.type as string]?.includes(value as string)) continue;
    else out[key] = value;
  }
  return out;
}

const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
