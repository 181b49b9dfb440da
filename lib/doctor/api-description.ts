// The DXP's own API description (GET /dapi/doc), read whatever form it comes in: OpenAPI 3
// or Swagger 2, as JSON or YAML, or the HTML page of a Swagger UI that links to it. What
// doctor needs of it: which operations exist (method and path), their query parameter
// names, and the JSON Schema of their 200 answer.
import { API_PREFIX } from "../client/endpoints.ts";

export type DescriptionKind = "openapi-3" | "swagger-2" | "html" | "unreadable";

export interface DescribedOperation {
  /** The path as the description names it, from the instance root. */
  path: string;
  query: string[];
  /** The 200 answer's schema, $refs resolved on use (see `resolve`). */
  answer?: unknown;
}

export interface ApiDescription {
  kind: DescriptionKind;
  /** The openapi/swagger version string, when there is one. */
  version?: string;
  /** By `matchKey(method, path)`. */
  operations: Map<string, DescribedOperation>;
  /** A link an HTML page names that may be the description itself. */
  link?: string;
  /** The whole document, for resolving $refs. */
  document?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Method and path with the /dapi prefix and the placeholder names dropped: `GET /session/{}`. */
export function matchKey(method: string, path: string): string {
  const bare = path
    .replace(/\/+$/, "")
    .replace(new RegExp(`^/${API_PREFIX}(?=/|$)`), "")
    .replace(/\{[^}]*\}/g, "{}");
  return `${method.toUpperCase()} ${bare || "/"}`;
}

/** Follow local `$ref`s ("#/components/schemas/X"), at most 20 deep (cycles end there). */
export function resolve(document: unknown, value: unknown): unknown {
  for (let depth = 0; depth < 20 && isObject(value) && typeof value.$ref === "string"; depth++) {
    const ref = value.$ref;
    if (!ref.startsWith("#/")) return {};
    let target: unknown = document;
    for (const part of ref.slice(2).split("/"))
      target = isObject(target) ? target[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    value = target;
  }
  return value;
}

const pathOf = (url: unknown): string => {
  if (typeof url !== "string") return "";
  try {
    return new URL(url, "http://base.invalid").pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
};

/** Parse the description's text: JSON first, then YAML (loaded only then), else an HTML page. */
export async function readDescription(text: string, contentType: string): Promise<ApiDescription> {
  const empty = (kind: DescriptionKind, link?: string): ApiDescription => ({
    kind,
    operations: new Map(),
    ...(link ? { link } : {}),
  });
  const trimmed = text.trimStart();
  if (contentType.includes("html") || trimmed.startsWith("<")) return empty("html", linkIn(text));
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    try {
      const { parse } = await import("yaml");
      document = parse(text, { maxAliasCount: 100 });
    } catch {
      return empty("unreadable");
    }
  }
  if (!isObject(document) || !isObject(document.paths)) return empty("unreadable");
  const swagger = typeof document.swagger === "string";
  const base = swagger
    ? pathOf(document.basePath)
    : pathOf(Array.isArray(document.servers) && isObject(document.servers[0]) ? document.servers[0].url : "");
  const operations = new Map<string, DescribedOperation>();
  for (const [path, item] of Object.entries(document.paths)) {
    const pathItem = resolve(document, item);
    if (!isObject(pathItem)) continue;
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of ["get", "post", "put", "delete", "patch"]) {
      const operation = pathItem[method];
      if (!isObject(operation)) continue;
      const ownBase =
        !swagger && Array.isArray(operation.servers) && isObject(operation.servers[0])
          ? pathOf(operation.servers[0].url)
          : base;
      const parameters = [...shared, ...(Array.isArray(operation.parameters) ? operation.parameters : [])].map((p) =>
        resolve(document, p),
      );
      const query = parameters
        .filter((p): p is Record<string, unknown> => isObject(p) && p.in === "query" && typeof p.name === "string")
        .map((p) => p.name as string);
      const ok = isObject(operation.responses)
        ? (operation.responses["200"] ?? operation.responses["2XX"] ?? operation.responses.default)
        : undefined;
      const response = resolve(document, ok);
      let answer: unknown;
      if (isObject(response)) {
        if (swagger) answer = response.schema;
        else if (isObject(response.content)) {
          const types = response.content;
          const json = types["application/json"] ?? Object.entries(types).find(([t]) => t.includes("json"))?.[1];
          answer = isObject(json) ? json.schema : undefined;
        }
      }
      const full = `${ownBase}/${path.replace(/^\/+/, "")}`;
      operations.set(matchKey(method, full), { path: full, query, ...(answer === undefined ? {} : { answer }) });
    }
  }
  const version = swagger
    ? String(document.swagger)
    : typeof document.openapi === "string"
      ? document.openapi
      : undefined;
  return { kind: swagger ? "swagger-2" : "openapi-3", operations, document, ...(version ? { version } : {}) };
}

/** The link a Swagger UI page gives its description: `url: "…"` in its script, or an href to a .json/.yaml/api-docs. */
function linkIn(html: string): string | undefined {
  const script = /\burl\s*:\s*["']([^"']+)["']/.exec(html)?.[1];
  const href =
    /href\s*=\s*["']([^"']*(?:api-docs|openapi|swagger)[^"']*\.(?:json|ya?ml)|[^"']*api-docs[^"']*)["']/i.exec(
      html,
    )?.[1];
  return script ?? href;
}
