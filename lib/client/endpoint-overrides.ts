// NECTAR_DXP_ENDPOINTS: an operator's corrections to the endpoint table, without a code
// change. The shell reads the file; this module checks its text and applies it:
//
//   { "endpoints": { "locations": { "path": "sites", "method": "GET" } },
//     "params": { "search": "query" } }
//
// Paths are relative to /dapi (a leading "/" or "/dapi/" is accepted), or to the instance
// root for the token refresh. Every problem is a ConfigurationError naming the file, the
// line, the field, what is accepted and the closest name.
import { closest, didYouMean } from "../closest.ts";
import { ConfigurationError } from "../errors.ts";
import {
  API_PREFIX,
  type ApiTable,
  ENDPOINTS,
  type Endpoint,
  type EndpointName,
  PARAMS,
  type ParamKey,
} from "./endpoints.ts";

const METHODS = ["GET", "POST"] as const;
const TOP_KEYS = ["endpoints", "params"] as const;
const ENDPOINT_KEYS = ["path", "method"] as const;

/** The `{name}` placeholders of a path, sorted. */
const placeholders = (path: string): string[] => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The table with the overrides of `text` applied. `source` names the file in messages
 * (e.g. "NECTAR_DXP_ENDPOINTS (./endpoints.json)").
 */
export function applyEndpointOverrides(text: string, source: string): ApiTable {
  const fail = (where: string | undefined, problem: string, hint: string): never => {
    throw new ConfigurationError(`${source}${where ? `, ${where}` : ""}: ${problem}`, hint);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message names a position ("at position 42", or line/column in newer engines).
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    fail(
      position === undefined ? undefined : `line ${lineAt(text, Number(position))}`,
      "is not valid JSON.",
      "Check for a missing comma, quote or brace there.",
    );
  }
  if (!isObject(parsed))
    return fail(
      undefined,
      'must be a JSON object with "endpoints" and/or "params".',
      'For example {"endpoints": {"locations": {"path": "sites"}}}.',
    );
  const at = (...keys: string[]) => `line ${lineOf(text, keys)}, ${keys.join(".")}`;
  const unknownKey = (keys: string[], key: string, accepted: readonly string[]) =>
    fail(
      at(...keys, key),
      `unknown ${keys.length ? "field" : "section"} "${key}".${didYouMean(closest(key, accepted, (k) => [k]))}`,
      `Accepted: ${accepted.join(", ")}.`,
    );

  for (const key of Object.keys(parsed))
    if (!(TOP_KEYS as readonly string[]).includes(key)) unknownKey([], key, TOP_KEYS);
  const endpoints: Record<string, Endpoint> = { ...ENDPOINTS };
  const params: Record<string, string> = { ...PARAMS };
  const overridden: string[] = [];
  const names = Object.keys(ENDPOINTS);

  if (parsed.endpoints !== undefined) {
    if (!isObject(parsed.endpoints))
      fail(at("endpoints"), "must be an object of endpoint names.", `Names: ${names.join(", ")}.`);
    for (const [name, change] of Object.entries(parsed.endpoints as Record<string, unknown>)) {
      if (!names.includes(name)) {
        fail(
          at("endpoints", name),
          `unknown endpoint "${name}".${didYouMean(closest(name, names, (n) => [n]))}`,
          `Endpoint names are those of the table: ${names.join(", ")}.`,
        );
      }
      const ours = ENDPOINTS[name as EndpointName] as Endpoint;
      if (!isObject(change))
        return fail(
          at("endpoints", name),
          'must be an object with "path" and/or "method".',
          `For example {"path": "${ours.path}", "method": "${ours.method}"}.`,
        );
      for (const key of Object.keys(change))
        if (!(ENDPOINT_KEYS as readonly string[]).includes(key)) unknownKey(["endpoints", name], key, ENDPOINT_KEYS);
      let path = ours.path;
      if (change.path !== undefined) {
        if (typeof change.path !== "string" || !change.path.trim())
          fail(at("endpoints", name, "path"), "must be a non-empty string.", `Ours is "${ours.path}".`);
        path = (change.path as string).trim().replace(/^\/+/, "");
        if (!ours.root && path.startsWith(`${API_PREFIX}/`)) path = path.slice(API_PREFIX.length + 1);
        if (/[?#\s]|\.\.|\/\//.test(path))
          fail(
            at("endpoints", name, "path"),
            `"${change.path}" is not a plain path (no query, spaces, "..", or empty segments).`,
            `Write it like ours: "${ours.path}".`,
          );
        const want = placeholders(ours.path);
        const got = placeholders(path);
        if (want.join() !== got.join()) {
          const missing = want.filter((p) => !got.includes(p)).map((p) => `{${p}}`);
          const extra = got.filter((p) => !want.includes(p)).map((p) => `{${p}}`);
          fail(
            at("endpoints", name, "path"),
            `"${change.path}" ${missing.length ? `lacks ${missing.join(", ")}` : ""}${missing.length && extra.length ? " and " : ""}${extra.length ? `has ${extra.join(", ")}, which we cannot fill` : ""}.`,
            want.length
              ? `Keep the placeholder${want.length > 1 ? "s" : ""} ${want.map((p) => `{${p}}`).join(", ")} where the value goes.`
              : "This endpoint takes no path values: remove the placeholder.",
          );
        }
      }
      let method: Endpoint["method"] = ours.method;
      if (change.method !== undefined) {
        const upper = typeof change.method === "string" ? change.method.trim().toUpperCase() : "";
        if (!(METHODS as readonly string[]).includes(upper))
          fail(
            at("endpoints", name, "method"),
            `method ${JSON.stringify(change.method)} is not one we can send.`,
            `Accepted: ${METHODS.join(", ")}.`,
          );
        method = upper as Endpoint["method"];
      }
      if (path !== ours.path || method !== ours.method) {
        endpoints[name] = { ...ours, path, method };
        overridden.push(`${name}: ${ours.method} ${ours.path} → ${method} ${path}`);
      }
    }
  }

  if (parsed.params !== undefined) {
    const keys = Object.keys(PARAMS);
    if (!isObject(parsed.params))
      fail(at("params"), "must be an object of parameter keys.", `Keys: ${keys.join(", ")}.`);
    for (const [key, name] of Object.entries(parsed.params as Record<string, unknown>)) {
      if (!keys.includes(key))
        fail(
          at("params", key),
          `unknown parameter "${key}".${didYouMean(closest(key, keys, (k) => [k]))}`,
          `Parameter keys are those of the table's PARAMS: ${keys.join(", ")}.`,
        );
      if (typeof name !== "string" || !/^[A-Za-z0-9_.\-[\]]+$/.test(name))
        fail(
          at("params", key),
          "must be a query parameter name (letters, digits, _ . - [ ]).",
          `Ours is "${PARAMS[key as ParamKey]}".`,
        );
      if (name !== PARAMS[key as ParamKey]) {
        params[key] = name as string;
        overridden.push(`param ${key}: ${PARAMS[key as ParamKey]} → ${name as string}`);
      }
    }
  }
  return { endpoints: endpoints as ApiTable["endpoints"], params: params as ApiTable["params"], overridden };
}

/** 1-based line of a character offset. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split("\n").length;

/** The line of the last key of a path of keys, each searched after the previous one ("endpoints" then "locations"). */
function lineOf(text: string, keys: readonly string[]): number {
  let offset = 0;
  for (const key of keys) {
    const found = text.indexOf(JSON.stringify(key), offset);
    if (found === -1) break;
    offset = found;
  }
  return lineAt(text, offset);
}
