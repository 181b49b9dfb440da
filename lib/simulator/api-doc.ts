// GET /dapi/doc: the simulator's own API description, an OpenAPI 3.1 document generated
// from the endpoint table and the client's answer schemas, so it cannot drift from either.
// Each operation says how we know it (`x-evidence`: seen or inferred; `x-fields-evidence`
// when its answer's fields are less certain than its path). A variant (variant.ts) shows
// through: a moved path, a missing one, a renamed or an extra field.
import { answerJsonSchema } from "../client/endpoint-answers.ts";
import { API_PREFIX, ENDPOINTS, type Endpoint, type EndpointName, PARAMS } from "../client/endpoints.ts";
import { VERSION } from "../version.ts";
import { type DxpVariant, variantSchema } from "./variant.ts";

const placeholders = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

export function apiDocument(variant: DxpVariant = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, ours] of Object.entries(ENDPOINTS) as [EndpointName, Endpoint][]) {
    if (name === "apiDoc" || variant.missing?.includes(name as never)) continue;
    const path = variant.paths?.[name as keyof DxpVariant["paths"]] ?? ours.path;
    const parameters = [
      ...placeholders(path).map((p) => ({ name: p, in: "path", required: true, schema: { type: "string" } })),
      ...(ours.root || ours.anyTenant
        ? []
        : [{ name: PARAMS.tenant, in: "query", required: true, schema: { type: "string" } }]),
      ...(ours.query ?? []).map((key) => ({
        name: PARAMS[key],
        in: "query",
        required: false,
        schema: { type: "string" },
      })),
    ];
    const operation: Record<string, unknown> = {
      operationId: name,
      "x-evidence": ours.evidence,
      ...(ours.fields ? { "x-fields-evidence": ours.fields } : {}),
      ...(ours.root ? { servers: [{ url: "/" }] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(ours.method === "POST"
        ? { requestBody: { content: { "application/json": { schema: { type: "object" } } } } }
        : {}),
      responses: {
        "200": {
          description: "OK",
          content: { "application/json": { schema: variantSchema(name, answerJsonSchema(name), variant) } },
        },
      },
    };
    (paths[`/${path}`] ??= {})[ours.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Nectar DXP simulator API",
      version: VERSION,
      description: "Generated from nectar-dxp-mcp's endpoint table and answer schemas.",
    },
    servers: [{ url: `/${API_PREFIX}` }],
    paths,
  };
}
