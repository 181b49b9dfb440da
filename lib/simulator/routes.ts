// The Hono app: the API under /dapi (every path from the endpoint table), the token
// refresh at the instance root, and the /_sim admin endpoints. Requests to /dapi pass
// through the fault gate and are recorded; admin requests are not.
import { type Context, Hono } from "hono";
import { API_PREFIX, ENDPOINTS, type Endpoint, PARAMS } from "../client/endpoints.ts";
import { apiDocument } from "./api-doc.ts";
import type { AccessClaims, IssuedTokens, TokenGrant } from "./auth.ts";
import type { TenantData } from "./data.ts";
import { chooseFault, type Faults, faultsPatchSchema } from "./faults.ts";
import { type ApiEndpoint, HANDLERS } from "./handlers.ts";
import { badRequest, errorResponse, HttpError, jsonResponse } from "./http.ts";
import type { Rng } from "./random.ts";
import { type DxpVariant, variantAnswer } from "./variant.ts";

export interface RecordedRequest {
  at: number;
  method: string;
  /** Without the query, e.g. "/dapi/session/summary". */
  path: string;
  query: Record<string, string>;
  tenant: string | null;
  /** The raw Bearer value. */
  token: string | null;
  status: number;
  /**
   * How many of this simulator's requests had been answered when this one arrived, and this
   * one's place in the order of answers (0 until answered): from them a caller counts round
   * trips (a request waits for those answered before it arrived) without any clock.
   */
  answeredBefore: number;
  answeredAs: number;
}

export interface AppContext {
  readonly tenants: readonly string[];
  dataset(tenant: string): TenantData;
  readonly tokens: IssuedTokens;
  issueTokens(options?: { tenants?: string[]; lifetimeSeconds?: number; subject?: string }): TokenGrant;
  faults(): Faults;
  setFaults(patch: Partial<Faults>): void;
  clearFaults(): void;
  /** Every /dapi and refresh request, in order of arrival (not /_sim). */
  readonly requests: RecordedRequest[];
  clearRequests(): void;
  now(): number;
  readonly faultRng: Rng;
  /** Shown by GET /. */
  describe(): Record<string, unknown>;
  /** How this DXP differs from our table (none by default). */
  readonly variant: DxpVariant;
}

const toHonoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1");

function bearerToken(request: Request): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match ? match[1]! : null;
}

function toResponse(error: unknown): Response {
  if (error instanceof HttpError) return errorResponse(error);
  return errorResponse(new HttpError(500, "internal_error", error instanceof Error ? error.message : String(error)));
}

async function readJson(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw badRequest("body", "expected a JSON object");
}

/** The API proper: auth, tenant check, one route per endpoint. */
function apiApp(ctx: AppContext): Hono<{ Variables: { claims: AccessClaims } }> {
  const api = new Hono<{ Variables: { claims: AccessClaims } }>();
  api.onError((error) => toResponse(error));
  api.notFound((c) =>
    errorResponse(new HttpError(404, "not_found", `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}.`)),
  );
  api.use("*", async (c, next) => {
    const verdict = ctx.tokens.verify(bearerToken(c.req.raw));
    if (!verdict.ok)
      return errorResponse(new HttpError(401, verdict.error, verdict.message, { "www-authenticate": "Bearer" }));
    c.set("claims", verdict.claims);
    return next();
  });
  // Fixed paths before parameterised ones, so session/summary is never read as session/{id}.
  const names = (Object.keys(HANDLERS) as ApiEndpoint[]).sort(
    (a, b) => Number(ENDPOINTS[a].path.includes("{")) - Number(ENDPOINTS[b].path.includes("{")),
  );
  for (const name of names) {
    const endpoint: Endpoint = ENDPOINTS[name];
    if (ctx.variant.missing?.includes(name)) continue;
    const path = ctx.variant.paths?.[name] ?? endpoint.path;
    api.on(endpoint.method, `/${API_PREFIX}/${toHonoPath(path)}`, (c) => {
      const query = new URL(c.req.url).searchParams;
      const claims = c.get("claims");
      const tenant = query.get(PARAMS.tenant);
      if (!tenant && !endpoint.anyTenant) throw badRequest(PARAMS.tenant, "required");
      // Endpoints that need no tenant (the tenant list) ignore one that was sent, even one the token may not see.
      if (tenant && !endpoint.anyTenant && (!claims.tenants.includes(tenant) || !ctx.tenants.includes(tenant))) {
        throw new HttpError(403, "forbidden", `This token may not see tenant "${tenant}".`);
      }
      const body = HANDLERS[name]({
        query,
        path: c.req.param() as Record<string, string>,
        now: ctx.now(),
        claims,
        tenants: ctx.tenants,
        data: () => ctx.dataset(tenant!),
      });
      return jsonResponse(variantAnswer(name, body, ctx.variant));
    });
  }
  return api;
}

/** Records the request, answers it with `answer` (any throw becomes its error answer) and records the status. */
async function recorded(
  ctx: AppContext,
  request: Request,
  answer: (entry: RecordedRequest) => Promise<Response>,
): Promise<Response> {
  const url = new URL(request.url);
  const entry: RecordedRequest = {
    at: ctx.now(),
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    tenant: url.searchParams.get(PARAMS.tenant),
    token: bearerToken(request),
    status: 0,
    answeredBefore: answered,
    answeredAs: 0,
  };
  ctx.requests.push(entry);
  let response: Response;
  try {
    response = await answer(entry);
  } catch (error) {
    response = toResponse(error);
  }
  entry.status = response.status;
  entry.answeredAs = ++answered;
  return response;
}

/**
 * Round trips of a run of requests (one tool call's): a request that arrived after another was
 * answered may have waited for it, so it starts a round trip after that one; requests sent
 * together share one. 1 means every request went out before any answer came back.
 */
export function roundTrips(requests: readonly RecordedRequest[]): number {
  const depth = new Map<RecordedRequest, number>();
  let most = 0;
  for (const r of requests) {
    let before = 0;
    for (const q of requests)
      if (q !== r && q.answeredAs > 0 && q.answeredAs <= r.answeredBefore) before = Math.max(before, depth.get(q) ?? 1);
    depth.set(r, before + 1);
    most = Math.max(most, before + 1);
  }
  return most;
}

/** Requests answered so far, by every simulator of the process (only differences matter). */
let answered = 0;

/** Faults first (as a gateway in front of the API would), then the API itself. */
function gate(ctx: AppContext, api: ReturnType<typeof apiApp>, request: Request): Promise<Response> {
  return recorded(ctx, request, async (entry) => {
    const fault = await chooseFault(ctx.faults(), ctx.faultRng);
    if (fault.type === "respond") return fault.response;
    if (fault.type === "expire-token") {
      if (entry.token) ctx.tokens.expire(entry.token);
      return errorResponse(
        new HttpError(401, "token_expired", "The access token has expired.", { "www-authenticate": "Bearer" }),
      );
    }
    const response = await api.fetch(request);
    return fault.type === "rewrite" ? fault.rewrite(response) : response;
  });
}

export function createApp(ctx: AppContext): Hono {
  const app = new Hono();
  const api = apiApp(ctx);
  app.onError((error) => toResponse(error));
  app.notFound((c) =>
    errorResponse(new HttpError(404, "not_found", `No route ${c.req.method} ${new URL(c.req.url).pathname}.`)),
  );

  app.get("/", () => jsonResponse(ctx.describe()));
  // The API description needs no token (a live DXP's Swagger page is public too); built once.
  let doc: string | undefined;
  app.on(ENDPOINTS.apiDoc.method, `/${API_PREFIX}/${ENDPOINTS.apiDoc.path}`, (c) =>
    recorded(
      ctx,
      c.req.raw,
      async () =>
        new Response((doc ??= JSON.stringify(apiDocument(ctx.variant))), {
          headers: { "content-type": "application/json" },
        }),
    ),
  );
  app.all(`/${API_PREFIX}/*`, (c) => gate(ctx, api, c.req.raw));

  app.on(ENDPOINTS.tokenRefresh.method, `/${ENDPOINTS.tokenRefresh.path}`, (c) =>
    recorded(ctx, c.req.raw, async () => {
      const body = await readJson(c);
      if (typeof body.refreshToken !== "string" || !body.refreshToken)
        throw badRequest("refreshToken", "required in the JSON body");
      if (ctx.faults().rejectRefresh) throw new HttpError(401, "invalid_grant", "The refresh token was rejected.");
      const grant = ctx.tokens.refresh(body.refreshToken);
      if (!grant) throw new HttpError(401, "invalid_grant", "Unknown or already used refresh token.");
      return jsonResponse(grant);
    }),
  );

  app.get("/_sim/requests", () => jsonResponse(ctx.requests));
  app.delete("/_sim/requests", () => {
    ctx.clearRequests();
    return jsonResponse({ cleared: true });
  });
  app.get("/_sim/faults", () => jsonResponse(ctx.faults()));
  app.post("/_sim/faults", async (c) => {
    const parsed = faultsPatchSchema.safeParse(await readJson(c));
    if (!parsed.success)
      throw badRequest(
        "body",
        parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
      );
    ctx.setFaults(parsed.data);
    return jsonResponse(ctx.faults());
  });
  app.delete("/_sim/faults", () => {
    ctx.clearFaults();
    return jsonResponse(ctx.faults());
  });
  app.post("/_sim/tokens", async (c) => {
    const body = await readJson(c);
    const { tenants, lifetimeSeconds, subject } = body;
    if (tenants !== undefined && !(Array.isArray(tenants) && tenants.every((t) => typeof t === "string"))) {
      throw badRequest("tenants", "expected an array of tenant names");
    }
    if (lifetimeSeconds !== undefined && (typeof lifetimeSeconds !== "number" || lifetimeSeconds <= 0)) {
      throw badRequest("lifetimeSeconds", "expected a positive number");
    }
    if (subject !== undefined && typeof subject !== "string") throw badRequest("subject", "expected a string");
    try {
      return jsonResponse(ctx.issueTokens({ tenants, lifetimeSeconds, subject }));
    } catch (error) {
      throw badRequest("tenants", error instanceof Error ? error.message : String(error));
    }
  });
  return app;
}
