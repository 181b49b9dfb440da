// The DXP client: one method per capability of the endpoint table, answers checked
// against the lenient schemas. One instance per credential (URL and tokens): it keeps
// that credential's renewed tokens and nothing else; the tenant is named on every call.
import { z } from "zod";
import { AuthenticationError, ConfigurationError, NetworkError, TimeoutError, UpstreamError } from "../errors.ts";
import { checkDxpUrl, type UrlPolicy } from "../security/url-policy.ts";
import { SET_TOKENS } from "../settings.ts";
import type { AnswerStore, TokenStore } from "../store/interfaces.ts";
import { type DxpCredentials, requireTenant } from "./credentials.ts";
import { ANSWERS, type AnsweringEndpoint } from "./endpoint-answers.ts";
import { API_PREFIX, type ApiTable, DEFAULT_API, endpointPath } from "./endpoints.ts";
import { type SessionQuery, searchParams } from "./query.ts";
import { type CacheOptions, ResponseCache } from "./response-cache.ts";
import * as schema from "./schemas.ts";
import { TokenKeeper } from "./token-keeper.ts";
import { type TextAnswer, Transport, type TransportOptions } from "./transport.ts";
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
  /** The endpoint table with the operator's overrides (NECTAR_DXP_ENDPOINTS). Default: ours. */
  api?: ApiTable;
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
  /** The paths, methods and parameter names this client uses. */
  readonly api: ApiTable;

  constructor(credentials: DxpCredentials, options: ClientOptions = {}, identity?: ClientIdentity) {
    this.url = checkDxpUrl(credentials.url, options.urlPolicy);
    this.api = options.api ?? DEFAULT_API;
    if (!credentials.accessToken && !credentials.refreshToken) {
      throw new ConfigurationError("No DXP token is configured.", `Set ${SET_TOKENS}.`);
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
    this.#cache = new ResponseCache(
      { now: options.now, ...options.cache },
      options.answerStore,
      identity ? `${identity.key}:` : "",
    );
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
    return this.#get("sessionSummary", query, context);
  }

  sessionSummaryByQuality(query: SessionQuery, context?: CallContext) {
    return this.#get("sessionSummaryByQuality", query, context);
  }

  sessionInsights(query: SessionQuery, context?: CallContext) {
    return this.#get("sessionInsights", query, context);
  }

  qualityByMedia(media: MediaKind, query: SessionQuery, context?: CallContext) {
    return this.#get("qualityByMedia", query, context, { media });
  }

  histogram(query: SessionQuery, context?: CallContext) {
    return this.#get("histogram", query, context);
  }

  qualityMap(query: SessionQuery, context?: CallContext) {
    return this.#get("qualityMap", query, context);
  }

  sessions(query: SessionQuery, context?: CallContext) {
    return this.#get("sessions", query, context);
  }

  session(id: string, context?: CallContext) {
    return this.#get("session", {}, context, { id }, `session "${id}"`);
  }

  sessionDiagnostics(id: string, context?: CallContext) {
    return this.#get("sessionDiagnostics", {}, context, { id }, `session "${id}"`);
  }

  sessionRelated(id: string, context?: CallContext) {
    return this.#get("sessionRelated", {}, context, { id }, `session "${id}"`);
  }

  /** Sessions grouped by one dimension (query.groupBy). */
  sessionBreakdown(query: SessionQuery, context?: CallContext) {
    return this.#get("sessionBreakdown", query, context);
  }

  userSummaryQuantity(userId: string, query: SessionQuery, context?: CallContext) {
    return this.#get("userSummaryQuantity", query, context, { userId }, `user "${userId}"`);
  }

  userSummaryQuality(userId: string, query: SessionQuery, context?: CallContext) {
    return this.#get("userSummaryQuality", query, context, { userId }, `user "${userId}"`);
  }

  /** One of the user's per-group summaries: servers, devices, client types or network types. */
  userSummaryGroups(
    kind: "userSummaryServers" | "userSummaryDevices" | "userSummaryClientTypes" | "userSummaryNetworkTypes",
    userId: string,
    query: SessionQuery,
    context?: CallContext,
  ) {
    return this.#get(kind, query, context, { userId }, `user "${userId}"`);
  }

  searchUsers(query: SessionQuery, context?: CallContext) {
    return this.#get("userSearch", query, context);
  }

  locations(query: SessionQuery, context?: CallContext) {
    return this.#get("locations", query, context);
  }

  /** The tenants this token may see. Works without a tenant. */
  tenants(context?: CallContext) {
    return this.#get("tenants", {}, context);
  }

  tenantPlatforms(context?: CallContext) {
    return this.#get("tenantPlatforms", {}, context);
  }

  endpointTestCount(query: SessionQuery, context?: CallContext) {
    return this.#get("endpointTestCount", query, context);
  }

  endpointTestSummaries(query: SessionQuery, context?: CallContext) {
    return this.#get("endpointTestSummaries", query, context);
  }

  /** How fresh the analytics are (an inferred endpoint: callers treat a failure as "not known"). */
  datamartStatus(context?: CallContext) {
    return this.#get("datamartStatus", {}, context);
  }

  /**
   * One request outside the cache, its answer not checked (doctor checks it): the endpoint
   * by name, with the overrides, the tenant rules and the token handling of every call.
   */
  probe(
    name: AnsweringEndpoint,
    query: SessionQuery,
    context?: CallContext,
    pathParams?: Record<string, string>,
  ): Promise<unknown> {
    const endpoint = this.api.endpoints[name];
    const tenant = endpoint.anyTenant ? context?.tenant : requireTenant(context?.tenant);
    return this.#transport.call(endpoint, {
      schema: anything,
      pathParams,
      searchParams: searchParams(tenant, query, this.api.params),
      auth: this.#tokens,
      signal: context?.signal,
    });
  }

  /** The DXP's own API description (GET /dapi/doc), as text: JSON, YAML or a page linking to it. */
  apiDescription(context?: CallContext): Promise<TextAnswer> {
    return this.#transport.callText(this.api.endpoints.apiDoc, { auth: this.#tokens, signal: context?.signal });
  }

  /** Another page of the DXP (a link the API description page names), as text. */
  page(path: string, context?: CallContext): Promise<TextAnswer> {
    return this.#transport.callText(
      { method: "GET", path: path.replace(/^\//, ""), evidence: "seen", root: true },
      { auth: this.#tokens, signal: context?.signal },
    );
  }

  /** Renew the tokens once now (doctor --refresh); the answer is the new expiry, if known. */
  async renewNow(): Promise<Date | undefined> {
    await this.#tokens.renewAfterRejection(await this.#tokens.accessToken());
    return this.#tokens.expiresAt;
  }

  /** A GET through the cache (the key is the request itself, path and query, never the token); a tenant is required unless the endpoint is anyTenant. */
  async #get<K extends AnsweringEndpoint>(
    name: K,
    query: SessionQuery,
    context: CallContext | undefined,
    pathParams?: Record<string, string>,
    subject?: string,
  ): Promise<z.infer<(typeof ANSWERS)[K]>> {
    const endpoint = this.api.endpoints[name];
    const answer = ANSWERS[name] as unknown as z.ZodType<z.infer<(typeof ANSWERS)[K]>>;
    const tenant = endpoint.anyTenant ? context?.tenant : requireTenant(context?.tenant);
    const params = searchParams(tenant, query, this.api.params);
    const key = `${endpointPath(endpoint, pathParams)}?${new URLSearchParams(Object.entries(params).sort()).toString()}`;
    subject ??= endpoint.anyTenant ? undefined : `tenant "${tenant}" data`;
    // A shared request must not die with one caller's cancellation: a cancelled caller stops
    // waiting, and the request is cancelled when its last caller is gone.
    await this.#tokens.ensureUsable(); // a cached answer is still an answer for these tokens
    return this.#cache.get(
      key,
      (shared) =>
        this.#transport.call(endpoint, {
          schema: answer,
          pathParams,
          searchParams: params,
          auth: this.#tokens,
          subject,
          signal: shared,
          pageSize: query.pageSize,
        }),
      context?.signal,
    );
  }

  #refresh(refreshToken: string) {
    return this.#transport
      .call(this.api.endpoints.tokenRefresh, { schema: schema.tokenRefreshSchema, json: { refreshToken } })
      .catch((error: unknown) => {
        throw refreshFailed(error);
      });
  }
}

const anything = z.unknown();

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
