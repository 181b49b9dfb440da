// The common subset of JSON Schema that OpenAI function calling (non-strict), Gemini's legacy
// `parameters` (an OpenAPI 3.0 subset) and VS Code Copilot's MCP client all accept, as a
// checker. Each rule's reasons and public sources are in docs/tool-schemas.md (same ids).
// It walks what we publish; it knows nothing of our tools, so a tool added to the registry
// is checked by the same walk.

export type RuleId =
  | "root-object"
  | "keywords"
  | "single-type"
  | "typed"
  | "items"
  | "object-properties"
  | "keyword-type"
  | "required-listed"
  | "enum-strings"
  | "format";

export interface Problem {
  rule: RuleId;
  /** Where in the schema: a JSON-pointer-like path from the root. */
  at: string;
  detail: string;
}

/** Keywords all three accept: Gemini's Schema fields that are also JSON Schema (its narrowest list). */
export const COMMON_KEYWORDS: ReadonlySet<string> = new Set([
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

const TYPES: ReadonlySet<string> = new Set(["string", "number", "integer", "boolean", "array", "object"]);

/** Gemini's formats, by type (its Schema reference): anything else is refused. */
const FORMATS: Readonly<Record<string, readonly string[]>> = {
  string: ["enum", "date-time"],
  number: ["float", "double"],
  integer: ["int32", "int64"],
};

/**
 * What keeps `schema` out of the common subset. `input` is a tool's parameters (what a
 * provider receives); `output` an output schema, where `{}` ("any value", a nested part
 * whose shape the answer shows) is also accepted: no provider receives an output schema.
 */
export function providerProblems(schema: unknown, direction: "input" | "output"): Problem[] {
  const problems: Problem[] = [];
  const report = (rule: RuleId, at: string, detail: string): void => {
    problems.push({ rule, at: at || "/", detail });
  };

  const walk = (node: unknown, at: string, root: boolean): void => {
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      report("typed", at, `a schema must be an object, got ${JSON.stringify(node)}`);
      return;
    }
    const n = node as Record<string, unknown>;
    const keys = Object.keys(n);
    if (root) {
      if (n.type !== "object")
        report("root-object", at, `the root must be type "object", got ${JSON.stringify(n.type)}`);
      if (typeof n.properties !== "object" || n.properties === null)
        report("root-object", at, "the root must have a properties object (empty for no parameters)");
      for (const key of ["anyOf", "oneOf", "allOf", "not", "enum"])
        if (key in n) report("root-object", at, `no ${key} at the root`);
    } else if (direction === "output" && keys.length === 0) return;
    for (const key of keys)
      if (!COMMON_KEYWORDS.has(key)) report("keywords", `${at}/${key}`, `"${key}" is outside the common subset`);

    const type = n.type;
    if (type === undefined) {
      if (!Array.isArray(n.anyOf)) report("typed", at, "no type (and no anyOf)");
    } else if (typeof type !== "string" || !TYPES.has(type)) {
      report("single-type", at, `type must be one of ${[...TYPES].join(", ")}, got ${JSON.stringify(type)}`);
    }

    if (type === "array") {
      const items = n.items;
      if (items === undefined) report("items", at, "an array without items");
      else if (
        typeof items !== "object" ||
        items === null ||
        Array.isArray(items) ||
        !("type" in items || "anyOf" in items)
      ) {
        report("items", `${at}/items`, `items must be a schema with a type, got ${JSON.stringify(items)}`);
      } else walk(items, `${at}/items`, false);
    } else if ("items" in n) report("keyword-type", `${at}/items`, "items only on type array");

    if (type === "object") {
      const properties = n.properties;
      if (
        properties !== undefined &&
        (typeof properties !== "object" || properties === null || Array.isArray(properties))
      ) {
        report("object-properties", `${at}/properties`, "properties must be an object");
      } else {
        const names = Object.keys((properties as Record<string, unknown> | undefined) ?? {});
        if (!root && names.length === 0)
          report("object-properties", at, "an object below the root needs at least one property");
        for (const name of names)
          walk((properties as Record<string, unknown>)[name], `${at}/properties/${name}`, false);
        if (n.required !== undefined) {
          if (!Array.isArray(n.required)) report("required-listed", `${at}/required`, "required must be a list");
          else
            for (const name of n.required)
              if (!names.includes(name as string))
                report("required-listed", `${at}/required`, `"${String(name)}" is required but not a property`);
        }
      }
    } else {
      for (const key of ["properties", "required"])
        if (key in n) report("keyword-type", `${at}/${key}`, `${key} only on type object`);
    }

    if ("enum" in n) {
      if (type !== "string")
        report("enum-strings", `${at}/enum`, `enum only on type string, here on ${JSON.stringify(type)}`);
      if (!Array.isArray(n.enum) || n.enum.length === 0 || !n.enum.every((v) => typeof v === "string"))
        report("enum-strings", `${at}/enum`, "enum must be a non-empty list of strings");
    }
    if ("format" in n && !(typeof type === "string" && FORMATS[type]?.includes(n.format as string))) {
      report("format", `${at}/format`, `format ${JSON.stringify(n.format)} on type ${JSON.stringify(type)}`);
    }
    if ("anyOf" in n) {
      if (!Array.isArray(n.anyOf) || n.anyOf.length === 0)
        report("typed", `${at}/anyOf`, "anyOf must be a non-empty list");
      else for (const [i, member] of n.anyOf.entries()) walk(member, `${at}/anyOf/${i}`, false);
    }
  };

  walk(schema, "", true);
  return problems;
}

/** Problems as lines a failing test prints: `tool input /properties/x: [items] an array without items`. */
export const describeProblems = (where: string, problems: readonly Problem[]): string[] =>
  problems.map((p) => `${where} ${p.at}: [${p.rule}] ${p.detail}`);
