// How an answer, or a described answer schema, differs from what our lenient schema reads:
// the fields we need that are missing, and the fields present that we do not read. Both
// sides are walked as JSON Schema (ours from z.toJSONSchema, theirs from the description).
import type { z } from "zod";
import { resolve } from "./api-description.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ShapeGaps {
  /** Fields our schema requires that are absent (or of another type), e.g. `elements[].sessionId`. */
  missing: string[];
  /** Fields present that our schema does not name. */
  unread: string[];
}

/** The object or array part of a schema: through $ref, anyOf/oneOf (the first branch that has one) and allOf (merged). */
function structural(document: unknown, schema: unknown): { properties?: Json; required: string[]; items?: unknown } {
  const s = resolve(document, schema);
  if (!isObject(s)) return { required: [] };
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = s[key];
    if (Array.isArray(branches)) {
      for (const branch of branches) {
        const found = structural(document, branch);
        if (found.properties || found.items) return found;
      }
    }
  }
  if (Array.isArray(s.allOf)) {
    const merged = { properties: {} as Json, required: [] as string[] };
    for (const part of s.allOf) {
      const found = structural(document, part);
      Object.assign(merged.properties, found.properties);
      merged.required.push(...found.required);
    }
    return merged;
  }
  return {
    ...(isObject(s.properties) ? { properties: s.properties } : {}),
    required: Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === "string") : [],
    ...(s.items !== undefined ? { items: s.items } : {}),
  };
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Our schema against the description's schema of the same answer. */
export function schemaGaps(ours: Json, theirs: unknown, document: unknown): ShapeGaps {
  const gaps: ShapeGaps = { missing: [], unread: [] };
  const walk = (a: unknown, b: unknown, path: string, depth: number) => {
    if (depth > 12) return;
    const mine = structural(undefined, a);
    const their = structural(document, b);
    if (mine.items !== undefined && their.items !== undefined) walk(mine.items, their.items, `${path}[]`, depth + 1);
    if (!mine.properties || !their.properties) return; // a free-form side says nothing about fields
    for (const key of mine.required) if (!(key in their.properties)) gaps.missing.push(join(path, key));
    for (const key of Object.keys(their.properties)) {
      if (!(key in mine.properties)) gaps.unread.push(join(path, key));
      else walk(mine.properties[key], their.properties[key], join(path, key), depth + 1);
    }
  };
  walk(ours, theirs, "", 0);
  return gaps;
}

/** A live answer against our schema: what zod refuses, and the fields it carries that we do not name. */
export function valueGaps(schema: z.ZodType, ours: Json, value: unknown): ShapeGaps {
  const missing = new Set<string>();
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.slice(0, 20)) {
      const path = issue.path
        .map((p) => (typeof p === "number" ? "[]" : String(p)))
        .join(".")
        .replace(/\.\[\]/g, "[]");
      const absent = issue.code === "invalid_type" && / received undefined$/.test(issue.message);
      missing.add(
        absent
          ? path || "(the whole answer)"
          : `${path || "(the whole answer)"} (${issue.message.replace(/^Invalid input: /, "")})`,
      );
    }
  }
  const unread = new Set<string>();
  const walk = (s: unknown, v: unknown, path: string, depth: number) => {
    if (depth > 12) return;
    const mine = structural(undefined, s);
    if (Array.isArray(v)) {
      if (mine.items !== undefined) for (const item of v.slice(0, 50)) walk(mine.items, item, `${path}[]`, depth + 1);
      return;
    }
    if (!isObject(v) || !mine.properties) return;
    for (const [key, inner] of Object.entries(v)) {
      if (!(key in mine.properties)) unread.add(join(path, key));
      else walk(mine.properties[key], inner, join(path, key), depth + 1);
    }
  };
  walk(ours, value, "", 0);
  return { missing: [...missing], unread: [...unread] };
}
