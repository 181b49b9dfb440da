// One DXP request with its whole failure policy. ky carries the retry policy: only GETs
// are retried, on 408/429/5xx and dropped connections, at most `maxRetries` times, with
// exponential back-off or the DXP's Retry-After. What ky lacks stays here, each piece in
// one place below:
// - a budget for the whole call: ky's `timeout` is per attempt and its clock stops when
//   the headers arrive, so a body that stalls after them would hold the call; one signal
//   spans every attempt, its body and the waits between them;
// - giving up at once on a Retry-After past that budget (ky would wait and try again);
// - the body-size limit, and a body cut off mid-way retried like a dropped connection;
// - redirects refused (one could lead to an address the URL policy refuses);
// - one token renewal on 401, shared by concurrent callers (TokenKeeper's single flight);
// - the concurrency limits: a slot per attempt, none held while waiting to retry;
// - cancellation by the caller, and every failure mapped to our error kinds.
import ky, { HTTPError, type KyInstance } from "ky";
import type { z } from "zod";
import { ConfigurationError, cancelled, DxpError, NetworkError, TimeoutError, UpstreamError } from "../errors.ts";
import { redactSecrets } from "../security/redact.ts";
import type { UpstreamLimiter } from "../security/upstream-limiter.ts";
import { SET_ACCESS_TOKEN, SET_URL } from "../settings.ts";
import { answerWithText, BodyCutOff, MAX_BODY_BYTES, parseAnswer, readLimited, textOf } from "./answer.ts";
import { type Endpoint, endpointPath } from "./endpoints.ts";
import { HEADER_VALUE } from "./header-value.ts";
import { retryAfterMs, statusError } from "./status-errors.ts";
import type { TokenKeeper } from "./token-keeper.ts";

export interface TransportOptions {
  /** Budget for one call including its retries, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for GET only. Default 2. */
  maxRetries?: number;
  /** First backoff delay, doubled per retry when the DXP sends no Retry-After. Default 250 ms. */
  retryDelayMs?: number;
  /** Largest answer body accepted, in bytes. Default and ceiling 10 MiB (MAX_BODY_BYTES); shells pass bodyLimitForHeap. */
  maxBodyBytes?: number;
  /** Debug log sink: one line per upstream attempt, never with a token in it. */
  log?: (line: string) => void;
  fetch?: typeof fetch;
  /** Shared bounds on concurrent upstream requests; `caller` names whose budget a request uses (none: the global one only). */
  limiter?: UpstreamLimiter;
  caller?: string;
  /** Tokens to cut out of any upstream text that reaches a message (read at each use: tokens rotate). */
  secrets?: () => Iterable<string | undefined>;
}

export interface CallOptions<T> {
  pathParams?: Record<string, string>;
  searchParams?: Record<string, string>;
  json?: unknown;
  schema: z.ZodType<T>;
  signal?: AbortSignal;
  /** Authenticated call (all but the refresh itself). */
  auth?: TokenKeeper;
  /** Words for messages, e.g. `session "abc"`. */
  subject?: string;
  /** The page size asked for: a list answer keeps at most this many elements. */
  pageSize?: number;
}

/** A successful answer as text, unparsed (doctor reads the DXP's API description: JSON, YAML or an HTML page). */
export interface TextAnswer {
  status: number;
  contentType: string;
  text: string;
}

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

const unsendableToken = () =>
  new ConfigurationError(
    "The DXP access token contains characters that cannot be sent in an HTTP header (spaces, line breaks or non-ASCII).",
    `Copy the token again, whole and unchanged, into ${SET_ACCESS_TOKEN}.`,
  );

export class Transport {
  readonly #http: KyInstance;
  readonly #apiPrefix: string;
  readonly #fetch: typeof fetch;
  readonly #options: Required<Omit<TransportOptions, "log" | "fetch" | "limiter" | "caller" | "secrets">> &
    Pick<TransportOptions, "log" | "limiter" | "secrets" | "caller">;

  constructor(baseUrl: string, apiPrefix: string, options: TransportOptions = {}) {
    this.#options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 250,
      maxBodyBytes: Math.min(options.maxBodyBytes ?? MAX_BODY_BYTES, MAX_BODY_BYTES),
      log: options.log,
      limiter: options.limiter,
      caller: options.caller,
      secrets: options.secrets,
    };
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    const { timeoutMs, maxRetries, retryDelayMs } = this.#options;
    const common = {
      // The call's budget signal replaces ky's per-attempt clock (see the top of this file).
      timeout: false as const,
      // Redirects are never followed: a 3xx becomes an error in #attempt.
      redirect: "manual" as const,
      retry: {
        limit: maxRetries,
        methods: ["get"],
        statusCodes: RETRY_STATUSES,
        afterStatusCodes: RETRY_STATUSES,
        maxRetryAfter: timeoutMs,
        delay: (attempt: number) => retryDelayMs * 2 ** (attempt - 1),
      },
    };
    this.#http = ky.create({
      ...common,
      prefixUrl: baseUrl,
      hooks: {
        // Our own errors are decisions (a refused address, a busy server, a body too large),
        // not accidents: ky would retry any error, so stop it here.
        beforeRetry: [
          ({ error }) => {
            if (error instanceof DxpError) throw error;
          },
        ],
      },
    });
    this.#apiPrefix = apiPrefix;
  }

  async call<T>(endpoint: Endpoint, options: CallOptions<T>): Promise<T> {
    const response = await this.#call(endpoint, options, false);
    return parseAnswer(
      response,
      options.schema,
      `/${endpointPath(endpoint, options.pathParams)}`,
      this.#redact,
      options.pageSize,
    );
  }

  /** The same call, its answer returned as text whatever its type (an HTML page included). */
  async callText(endpoint: Endpoint, options: Omit<CallOptions<unknown>, "schema">): Promise<TextAnswer> {
    const response = await this.#call(endpoint, options, true);
    const text = textOf(response) ?? (await response.text());
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", text };
  }

  async #call(endpoint: Endpoint, options: Omit<CallOptions<unknown>, "schema">, keepHtml: boolean): Promise<Response> {
    const path = endpointPath(endpoint, options.pathParams);
    const subject = options.subject ?? `/${path}`;
    const deadline = Date.now() + this.#options.timeoutMs;
    // A timer cleared when the call ends: AbortSignal.timeout keeps a 30 s timer and signal
    // alive per call, and AbortSignal.any adds a composite on top of ky's own.
    const budget = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      budget.abort();
    }, this.#options.timeoutMs);
    const cancel = () => budget.abort(options.signal?.reason);
    if (options.signal?.aborted) cancel();
    else options.signal?.addEventListener("abort", cancel, { once: true });
    const { auth } = options;
    let attempts = 0;
    let retries = 0;
    let renewed = false;

    const authorize = async (request: Request) => {
      if (!auth) return;
      const token = await auth.accessToken();
      if (token === undefined) return;
      if (!HEADER_VALUE.test(token)) throw unsendableToken();
      request.headers.set("authorization", `Bearer ${token}`);
    };
    // The 401 renewal and the Retry-After check run here, around each attempt, rather than in
    // an afterResponse hook: ky clones every response (a body tee) for each such hook, on
    // every call, and that showed in profiles. ky's `retry` still makes every retry and wait.
    // ky's fetch, once per attempt: the token goes on here (a retry sends the current one).
    const attempt = async (request: Request, init: RequestInit | undefined): Promise<Response> => {
      retries = attempts++;
      await authorize(request);
      const renewable = !renewed && !!auth?.canRefresh;
      // fetch uses up a request's body: keep a copy to send again after a renewal.
      const resendable = renewable && request.body ? request.clone() : request;
      let response = await this.#attempt(request, init, `/${path}`, !!auth, options.signal, keepHtml);
      // Once per rejected token, whatever the method: renew (one refresh for all its
      // callers) and send again. The renewal holds no concurrency slot.
      const token = request.headers.get("authorization")?.slice("Bearer ".length);
      if (response.status === 401 && token && renewable) {
        renewed = true;
        await auth!.renewAfterRejection(token);
        const again = new Request(resendable);
        await authorize(again);
        response = await this.#attempt(again, init, `/${path}`, true, options.signal, keepHtml);
      }
      // Give up at once on a Retry-After past the budget (ky would wait and try again).
      if (
        !response.ok &&
        request.method === "GET" &&
        RETRY_STATUSES.includes(response.status) &&
        retries < this.#options.maxRetries
      ) {
        const wait = retryAfterMs(response);
        if (wait !== undefined && Date.now() + wait >= deadline)
          throw await statusError(response, retries, subject, !!auth?.canRefresh, this.#redact);
      }
      return response;
    };
    // The query goes into the URL here: given `searchParams`, ky builds its Request twice.
    const query =
      options.searchParams && Object.keys(options.searchParams).length > 0
        ? `?${new URLSearchParams(options.searchParams)}`
        : "";
    const url = `${endpoint.root ? path : `${this.#apiPrefix}/${path}`}${query}`;
    const send = () =>
      this.#http(url, {
        method: endpoint.method,
        ...(options.json === undefined ? {} : { json: options.json }),
        signal: budget.signal,
        fetch: (request, init) => attempt(request as Request, init),
      });

    try {
      return await send();
    } catch (error) {
      if (error instanceof DxpError) throw error;
      if (timedOut || Date.now() >= deadline) throw this.#timeout();
      if (options.signal?.aborted) throw cancelled();
      if (error instanceof HTTPError)
        throw await statusError(error.response, retries, subject, !!auth?.canRefresh, this.#redact);
      if (error instanceof BodyCutOff) {
        throw new NetworkError(
          "The connection to the DXP dropped while its answer was being sent.",
          "Try again; if it keeps happening, a proxy between this server and the DXP may be cutting connections.",
        );
      }
      throw new NetworkError(
        `Could not reach the DXP (${describe(error)}).`,
        `Check ${SET_URL} and the network path to it, then try again.`,
      );
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", cancel);
    }
  }

  /**
   * One attempt, as ky's `fetch`: a concurrency slot while it runs (the token refresh itself
   * takes none: it runs once per credential and callers holding slots may wait for it), the
   * connection guard's refusal and redirects made final, and the body read within its
   * limit, so that a cut-off body is retried by ky like a dropped connection.
   */
  async #attempt(
    request: Request,
    init: RequestInit | undefined,
    path: string,
    limited: boolean,
    signal: AbortSignal | undefined,
    keepHtml = false,
  ): Promise<Response> {
    const limiter = limited ? this.#options.limiter : undefined;
    const release = limiter ? await limiter.acquire(this.#options.caller, signal) : undefined;
    const started = Date.now();
    const line = (what: string) =>
      this.#options.log?.(
        `${request.method} ${path}${logQuery(new URL(request.url).search)} ${what} ${Date.now() - started} ms`,
      );
    try {
      let response: Response;
      try {
        response = await this.#fetch(request, init);
      } catch (error) {
        line(`failed (${describe(error)}) after`);
        // A refusal by the shell's connection guard (a resolved address the URL policy refuses) is final.
        throw dxpErrorIn(error) ?? error;
      }
      line(`-> ${response.status} in`);
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        await response.body?.cancel();
        throw new UpstreamError(
          `The DXP answered ${path} with a redirect (${response.status || "3xx"}), which this server does not follow: a redirect could lead to an address the DXP URL policy refuses.`,
          `Set ${SET_URL} to the address the DXP serves its API on directly.`,
          response.status,
        );
      }
      // An HTML page (a proxy's or a login page) is recognised by its type; its body is not needed.
      const html = !keepHtml && (response.headers.get("content-type") ?? "").includes("html");
      if (html) await response.body?.cancel();
      const text = html ? "" : await readLimited(response, this.#options.maxBodyBytes, path);
      const empty = text === "" && [204, 205].includes(response.status);
      const head = { status: response.status, statusText: response.statusText, headers: response.headers };
      // A failure's body stays in its Response (statusError reads it); an answer's text rides beside it.
      return response.ok && !empty ? answerWithText(text, head) : new Response(empty ? null : text, head);
    } finally {
      release?.();
    }
  }

  #timeout(): TimeoutError {
    return new TimeoutError(
      `The DXP did not answer within ${Math.round(this.#options.timeoutMs / 1000)} s (retries included).`,
      "It may be overloaded; try a shorter time window or fewer rows, or try again later.",
    );
  }

  readonly #redact = (text: string): string => redactSecrets(text, this.#options.secrets?.() ?? []);
}

/** A DxpError somewhere in an error's cause chain (fetch wraps connection errors). */
function dxpErrorIn(error: unknown): DxpError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof DxpError) return e;
  return undefined;
}

/** A short cause for logs and messages: an error code, never a message (which may quote a header). */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === "string" ? cause.code : error.name === "TypeError" ? "connection failed" : error.name;
  }
  return "unknown error";
}

/** Query strings carry tenants and filters, never tokens; still, keep log lines short. */
const logQuery = (search: string): string => (search.length > 301 ? `${search.slice(0, 301)}…` : search);
