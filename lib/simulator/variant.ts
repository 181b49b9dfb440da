// A simulator that differs from our endpoint table, the way a real DXP might: an endpoint
// at another path or not at all, an answer field under another name, a field we do not
// know. The answers and /dapi/doc differ alike, so doctor can be checked against it.
import type { EndpointName } from "../client/endpoints.ts";

type Served = Exclude<EndpointName, "tokenRefresh" | "apiDoc">;

export interface DxpVariant {
  /** Served at this path (relative to /dapi) instead of the table's: an override's test. */
  paths?: Partial<Record<Served, string>>;
  /** Not served (404), and absent from /dapi/doc. */
  missing?: Served[];
  /** An answer field under another name, wherever it occurs in the answer. */
  renamed?: { endpoint: Served; from: string; to: string }[];
  /** A field we do not read, on the answer (or on each item of a list answer, or of `elements`). */
  extra?: { endpoint: Served; field: string; value: unknown }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function renameKeys(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, from, to));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === from ? to : k, renameKeys(v, from, to)]));
}

/** The objects an extra field lands on: the answer, its items, or the items of its `elements`. */
function carriers(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isObject);
  if (isObject(value) && Array.isArray(value.elements)) return value.elements.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** An answer body as the variant sends it. */
export function variantAnswer(name: EndpointName, body: unknown, variant: DxpVariant): unknown {
  let out = body;
  for (const r of variant.renamed ?? []) if (r.endpoint === name) out = renameKeys(out, r.from, r.to);
  for (const e of variant.extra ?? [])
    if (e.endpoint === name) for (const item of carriers(out)) item[e.field] = e.value;
  return out;
}

function renameInSchema(schema: unknown, from: string, to: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => renameInSchema(s, from, to));
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "properties" && isObject(v))
      out[k] = Object.fromEntries(
        Object.entries(v).map(([p, s]) => [p === from ? to : p, renameInSchema(s, from, to)]),
      );
    else if (k === "required" && Array.isArray(v)) out[k] = v.map((p) => (p === from ? to : p));
    else out[k] = renameInSchema(v, from, to);
  }
  return out;
}

/** The JSON Schema of an answer as the variant describes it in /dapi/doc. */
export function variantSchema(
  name: EndpointName,
  schema: Record<string, unknown>,
  variant: DxpVariant,
): Record<string, unknown> {
  let out = schema;
  for (const r of variant.renamed ?? [])
    if (r.endpoint === name) out = renameInSchema(out, r.from, r.to) as Record<string, unknown>;
  for (const e of variant.extra ?? []) {
    if (e.endpoint !== name) continue;
    const items = out.items as Record<string, unknown> | undefined;
    const elements = (out.properties as Record<string, Record<string, unknown>> | undefined)?.elements?.items as
      | Record<string, unknown>
      | undefined;
    const target = items ?? elements ?? out;
    target.properties = { ...(target.properties as object), [e.field]: {} };
  }
  return out;
}
