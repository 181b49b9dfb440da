// The schemas we publish in tools/list, converted to JSON Schema once per process.
//
// A model pays for tools/list in context on every conversation, so what is published is
// what a model needs to choose a tool and fill its arguments (issue 13):
// - input: types, enums, defaults and descriptions; bounds and patterns stay in zod, whose
//   errors name the fix. The session filter's fields are described once, by its home
//   (set_session_filter, and the server instructions): elsewhere they are lists of strings.
// - output: every top-level field, scalars with their type, nested objects and arrays as
//   "any value" (their shape is in the answer), nothing required (answers leave out empty fields).
// - every provider must accept it (docs/tool-schemas.md, test/in-process/provider-schemas.test.ts): every
//   list has typed items, one type per node, no additionalProperties, no $schema or $ref.
// The full schemas stay in the registry (validated by the tests) and in dist/tools.json for developers.
//
// Once: over HTTP the SDK builds a server per request, and its McpServer converts each
// registered zod schema to JSON Schema again for every tools/list (SDK issues #2090, #2838).
// The SDK takes any Standard Schema that also implements StandardJSONSchemaV1
// (`~standard.jsonSchema`), so we hand it zod's own schema behind a view whose JSON Schema is
// computed on first use and then shared: validation stays zod's, conversion happens once.
//
// Not at all for the registry's own tools (issue 13, cold start): their published JSON is
// generated at build time (scripts/published-schemas.ts → published-schemas.generated.ts,
// checked against this conversion by test/in-process/published-schemas.test.ts), so the first
// tools/list converts nothing, and the shallow output schema is built on the first call
// that validates an answer.
import { z } from "zod";
import { FILTER_HOME, FILTER_KEYS, filterShape } from "../filter.ts";
import { type Tool, withoutNulls } from "../tool-kit/define.ts";
import { portableSchema } from "../tool-kit/portable-schema.ts";
import { DRILL_NAMES } from "../tool-query/drill.ts";
import { allTools } from "../tools/index.ts";
import { GENERATED_TARGET, PUBLISHED } from "./published-schemas.generated.ts";

type StandardOf<T extends z.ZodType> = T["~standard"];
type JsonSchemaOptions = Parameters<NonNullable<StandardOf<z.ZodObject>["jsonSchema"]>["input"]>[0];

/** A zod schema as a Standard Schema whose JSON Schema conversion is memoised. */
export interface ConvertedOnce<T extends z.ZodType> {
  readonly "~standard": StandardOf<T>;
}

type Json = Record<string, unknown>;

/** JSON Schemas already known for GENERATED_TARGET (generated at build time), by direction. */
export type KnownJson = Partial<Record<"input" | "output", Json>>;

/**
 * `schema` may be a function that builds it: then it is built on the first validation or
 * conversion that needs it (a known JSON Schema needs none).
 */
export function convertedOnce<T extends z.ZodType>(
  schema: T | (() => T),
  publish: (json: Json) => Json = (json) => json,
  known: KnownJson = {},
): ConvertedOnce<T> {
  let built: T | undefined;
  const standard = () => (built ??= typeof schema === "function" ? schema() : schema)["~standard"];
  const memo = new Map<string, Record<string, unknown>>();
  const once = (io: "input" | "output") => (options: JsonSchemaOptions) => {
    const key = `${io} ${options.target}`;
    let json = memo.get(key);
    // Frozen: every server shares it, so a mutation anywhere must fail loudly, not leak.
    if (!json) {
      const prebuilt = options.target === GENERATED_TARGET ? known[io] : undefined;
      memo.set(key, (json = deepFreeze(prebuilt ?? publish(standard().jsonSchema[io](options)))));
    }
    return json;
  };
  return {
    "~standard": {
      version: 1,
      vendor: "zod",
      validate: (value: unknown, options?: unknown) => standard().validate(value, options as never),
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
  // Answers leave out nulls (lib/tool-kit/lean.ts): a nullable field is an optional one.
  if (field instanceof z.ZodNullable) return shallow(field.unwrap() as z.ZodType).optional();
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
    const filterFields = tool.name === FILTER_HOME ? new Set<string>() : FILTER_FIELDS;
    // Only the registry's own tool objects: a tool built elsewhere under the same name is converted.
    const known = allTools.includes(tool) ? PUBLISHED[tool.name] : undefined;
    schemas = {
      // A function: registering reads no schema, so a tool whose schemas are getters built on
      // first use is not built by a cold tools/list.
      input: nullMeansNotGiven(
        convertedOnce(
          () => tool.inputSchema,
          (json) => compactInput(json, filterFields),
          { input: known?.input },
        ),
      ),
      output: convertedOnce(() => publishedOutputSchema(tool.outputSchema), compactOutput, { output: known?.output }),
    };
    published.set(tool, schemas);
  }
  return schemas;
}

/** The same schema, validating a call's arguments without their null-valued fields (withoutNulls). */
function nullMeansNotGiven<T extends z.ZodType>(converted: ConvertedOnce<T>): ConvertedOnce<T> {
  const standard = converted["~standard"];
  return {
    "~standard": {
      ...standard,
      validate: (value: unknown, options?: unknown) => standard.validate(withoutNulls(value), options as never),
    } as StandardOf<T>,
  };
}

const FILTER_FIELDS: ReadonlySet<string> = new Set(FILTER_KEYS);
const ALIASES: ReadonlySet<string> = new Set(DRILL_NAMES);

let shared: Record<string, unknown> | undefined;
/** Each filter field's description as set_session_filter publishes it. */
const sharedDescriptions = (): Record<string, unknown> =>
  (shared ??= Object.fromEntries(
    Object.entries(
      (z.toJSONSchema(z.object(filterShape()), { io: "input" }) as { properties: Record<string, Json> }).properties,
    ).map(([key, field]) => [key, field.description]),
  ));

/**
 * Keywords a model uses to fill arguments, from those every provider accepts
 * (lib/tool-kit/portable-schema.ts). Bounds, patterns and formats are zod's to enforce (its
 * errors name the fix); defaults are what an omitted field means, and each answer says what
 * it applied (the window, the page and how to get the next, the ordering). No
 * additionalProperties, even at the root (Gemini's `parameters` refuses it): zod still
 * refuses an unknown field, by name.
 */
const INPUT_KEYWORDS: ReadonlySet<string> = new Set([
  "type",
  "properties",
  "items",
  "enum",
  "description",
  "required",
  "anyOf",
]);

function compactInput(json: Json, filterFields: ReadonlySet<string>): Json {
  const root = portableSchema(json, INPUT_KEYWORDS);
  const properties = root.properties as Record<string, Json> | undefined;
  for (const key of Object.keys(properties ?? {})) {
    // The singular aliases of earlier hints (`device "…"`) stay accepted, unpublished: the list fields say it once.
    if (ALIASES.has(key)) {
      delete properties![key];
      continue;
    }
    if (!filterFields.has(key)) continue;
    // A filter override: its values and hints are published once, by set_session_filter;
    // a description of the tool's own (e.g. another default window) stays. A list keeps
    // the type of its items (every provider wants items), not their enumeration.
    const { type, items, description } = properties![key]!;
    const own = description !== undefined && description !== sharedDescriptions()[key] ? { description } : {};
    properties![key] = { type, ...(items ? { items: { type: (items as Json).type } } : {}), ...own };
  }
  return root;
}

/**
 * Top-level field names, scalars with their type. A nested object or list is `{}` ("any
 * value"): its shape is in the answer, a bare `{"type":"array"}` is what providers refuse, and
 * its item type would cost about 7 tokens a field, beyond issue 13's budget (docs/tool-schemas.md).
 */
function compactOutput(json: Json): Json {
  const root = portableSchema(json, OUTPUT_KEYWORDS);
  const properties = (root.properties ?? {}) as Record<string, Json>;
  for (const [key, field] of Object.entries(properties))
    if (field.type === "object" || field.type === "array") properties[key] = {};
  return root;
}

const OUTPUT_KEYWORDS: ReadonlySet<string> = new Set(["type", "properties"]);

/** What publishedSchemas converts for a tool at run time: the generator writes it, the drift test compares. */
export function convertedJson(tool: Tool): { input: Json; output: Json } {
  const filterFields = tool.name === FILTER_HOME ? new Set<string>() : FILTER_FIELDS;
  const options = { target: GENERATED_TARGET } as JsonSchemaOptions;
  return {
    input: compactInput(tool.inputSchema["~standard"].jsonSchema.input(options), filterFields),
    output: compactOutput(publishedOutputSchema(tool.outputSchema)["~standard"].jsonSchema.output(options)),
  };
}
