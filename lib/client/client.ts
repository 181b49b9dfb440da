// The DXP client: one method per capability of the endpoint table, answers checked
// against the lenient schemas. One instance per credential (URL and tokens): it keeps
// that credential's renewed tokens and nothing else; the tenant is named on every call.
import type { z } from "zod";
import { AuthenticationError, ConfigurationError, NetworkError, TimeoutError, UpstreamError } from "../errors.ts";
import { checkDxpUrl, type UrlPolicy } from "../security/url-policy.ts";
import { SET_TOKENS } from "../settings.ts";
import type { AnswerStore, TokenStore } from "../store/interfaces.ts";
import { type DxpCredentials, requireTenant } from "./credentials.ts";
import { API_PREFIX, type Endpoint, ENDPOINTS, endpointPath } from "./endpoints.ts";
import { type SessionQuery, searchParams } from "./query.ts";
import { type CacheOptions, ResponseCache } from "./response-cache.ts";
import * as schema from "./schemas.ts";
import { TokenKeeper } from "./token-keeper.ts";
import { Transport, type TransportOptions } from "./transport.ts";
import type { MediaKind } from "./vocabulary.ts";

export interface ClientOptions extends TransportOptions {
  /** Which DXP URLs are acceptable. The client always refuses non-HTTPS except loopback when allowed. */
  urlPolicy?: Partial<UrlPolicy>;
  now?: () => number;
  /** Per-credential answer cache and sharing of identical concurrent reads. */
  cache?: CacheOptions;
  /** Where renewed tokens live (shared by every client of a pool). Default: one per client. */
  tokenStore?: TokenStore;
  /** Where answers are cached (shared, bounded by bytes). Default: one per client. */
  answerStore?: AnswerStore;
}

/** Who this client is in the shared stores. */
export interface ClientIdentity {
  /** The credential's key (CredentialKeys): names its renewed tokens, cached answers and upstream budget. */
  key: string;
  /** The operator's own credential: its renewals are used without limit. */
  operator?: boolean;
}

export interface CallContext {
  tenant?: string;
  signal?: AbortSignal;
}

export class DxpClient {
  readonly url: string;
  readonly #transport: Transport;
  readonly #tokens: TokenKeeper;
  readonly #cache: ResponseCache;

  constructor(credentials: DxpCredentials, options: ClientOptions = {}, identity?: ClientIdentity) {
    this.url = checkDxpUrl(credentials.url, options.urlPolicy);
    if (!credentials.accessToken && !credentials.refreshToken) {
      throw new ConfigurationError(
        "No DXP token is configured.",
        `Set ${SET_TOKENS}.`,
      );
    }
    this.#tokens = new TokenKeeper(credentials, (refreshToken) => this.#refresh(refreshToken), {
      now: options.now,
      store: options.tokenStore,
      key: identity?.key,
      operator: identity?.operator,
    });
    this.#transport = new Transport(this.url, API_PREFIX, {
      ...options,
      caller: identity && !identity.operator ? identity.key : options.caller,
      secrets: () => this.#tokens.knownTokens(),
    });
    this.#cache = new ResponseCache({ now: options.now, ...options.cache }, options.answerStore, identity ? `${identity.key}:` : "");
  }

  /** When the current access token expires, if it is a JWT. */
  get accessTokenExpiresAt(): Date | undefined {
    return this.#tokens.expiresAt;
  }

  /** How many token refreshes this client made. */
  get refreshCount(): number {
    return this.#tokens.refreshes;
  }

  sessionSummary(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.sessionSummary, schema.summarySchema, query, context);
  }

  sessionSummaryByQuality(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.sessionSummaryByQuality, schema.summarySchema, query, context);
  }

  sessionInsights(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.sessionInsights, schema.insightsSchema, query, context);
  }

  qualityByMedia(media: MediaKind, query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.qualityByMedia, schema.qualityMetricsSchema, query, context, { media });
  }

  histogram(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.histogram, schema.histogramSchema, query, context);
  }

  qualityMap(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.qualityMap, schema.qualityMapSchema, query, context);
  }

  sessions(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.sessions, schema.pagedSchema(schema.sessionSchema), query, context);
  }

  session(id: string, context?: CallContext) {
    return this.#get(ENDPOINTS.session, schema.sessionDetailSchema, {}, context, { id }, `session "${id}"`);
  }

  sessionDiagnostics(id: string, context?: CallContext) {
    return this.#get(ENDPOINTS.sessionDiagnostics, schema.diagnosticsSchema, {}, context, { id }, `session "${id}"`);
  }

  sessionRelated(id: string, context?: CallContext) {
    return this.#get(ENDPOINTS.sessionRelated, schema.relatedSessionsSchema, {}, context, { id }, `session "${id}"`);
  }

  /** Sessions grouped by one dimension (query.groupBy). */
  sessionBreakdown(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.sessionBreakdown, schema.groupQualityListSchema, query, context);
  }

  userSummaryQuantity(userId: string, query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.userSummaryQuantity, schema.userQuantitySchema, query, context, { userId }, `user "${userId}"`);
  }

  userSummaryQuality(userId: string, query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.userSummaryQuality, schema.userQualitySchema, query, context, { userId }, `user "${userId}"`);
  }

  /** One of the user's per-group summaries: servers, devices, client types or network types. */
  userSummaryGroups(
    kind: "userSummaryServers" | "userSummaryDevices" | "userSummaryClientTypes" | "userSummaryNetworkTypes",
    userId: string,
    query: SessionQuery,
    context?: CallContext,
  ) {
    return this.#get(ENDPOINTS[kind], schema.groupQualityListSchema, query, context, { userId }, `user "${userId}"`);
  }

  searchUsers(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.userSearch, schema.pagedSchema(schema.userSchema), query, context);
  }

  locations(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.locations, schema.pagedSchema(schema.locationListItemSchema), query, context);
  }

  /** The tenants this token may see. Works without a tenant. */
  tenants(context?: CallContext) {
    return this.#get(ENDPOINTS.tenants, schema.tenantsSchema, {}, context);
  }

  tenantPlatforms(context?: CallContext) {
    return this.#get(ENDPOINTS.tenantPlatforms, schema.tenantPlatformsSchema, {}, context);
  }

  endpointTestCount(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.endpointTestCount, schema.testCountSchema, query, context);
  }

  endpointTestSummaries(query: SessionQuery, context?: CallContext) {
    return this.#get(ENDPOINTS.endpointTestSummaries, schema.pagedSchema(schema.endpointTestSchema), query, context);
  }

  /** A GET through the cache (the key is the request itself, path and query, never the token); a tenant is required unless the endpoint is anyTenant. */
  async #get<T>(
    endpoint: Endpoint,
    answer: z.ZodType<T>,
    query: SessionQuery,
    context: CallContext | undefined,
    pathParams?: Record<string, string>,
    subject?: string,
  ): Promise<T> {
    const tenant = endpoint.anyTenant ? context?.tenant : requireTenant(context?.tenant);
    const params = searchParams(tenant, query);
    const key = `${endpointPath(endpoint, pathParams)}?${new URLSearchParams(Object.entries(params).sort()).toString()}`;
    subject ??= endpoint.anyTenant ? undefined : `tenant "${tenant}" data`;
    // A shared request must not die with one caller's cancellation: a cancelled caller stops
    // waiting, and the request is cancelled when its last caller is gone.
    await this.#tokens.ensureUsable(); // a cached answer is still an answer for these tokens
    return this.#cache.get(
      key,
      (shared) => this.#transport.call(endpoint, { schema: answer, pathParams, searchParams: params, auth: this.#tokens, subject, signal: shared, pageSize: query.pageSize }),
      context?.signal,
    );
  }

  #refresh(refreshToken: string) {
    return this.#transport
      .call(ENDPOINTS.tokenRefresh, { schema: schema.tokenRefreshSchema, json: { refreshToken } })
      .catch((error: unknown) => {
        throw refreshFailed(error);
      });
  }
}

/** A refused refresh means the refresh token is dead; transient failures stay what they are. */
function refreshFailed(error: unknown): unknown {
  if (error instanceof NetworkError || error instanceof TimeoutError) return error;
  if (error instanceof UpstreamError && (error.status ?? 0) >= 500) return error;
  // An answer we refuse (a token past MAX_TOKEN_CHARS, a wrong shape) says so itself.
  if (error instanceof UpstreamError && (error.status ?? 0) >= 200 && (error.status ?? 0) < 300) return error;
  return new AuthenticationError(
    "The DXP rejected the refresh token, so the access token could not be renewed.",
    `Renew both tokens in the DXP (token registration) and set them again: ${SET_TOKENS}.`,
  );
}
