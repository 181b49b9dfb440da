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
import ky, { HTTPError, type AfterResponseHook, type KyInstance } from "ky";
import type { z } from "zod";
import {
  AuthenticationError,
  ConfigurationError,
  DxpError,
  NetworkError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  TimeoutError,
  UpstreamError,
} from "../errors.ts";
import { redactSecrets } from "../security/redact.ts";
import type { UpstreamLimiter } from "../security/upstream-limiter.ts";
import { type Endpoint, endpointPath } from "./endpoints.ts";
import { HEADER_VALUE } from "./header-value.ts";
import type { TokenKeeper } from "./token-keeper.ts";

export interface TransportOptions {
  /** Budget for one call including its retries, in ms. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for GET only. Default 2. */
  maxRetries?: number;
  /** First backoff delay, doubled per retry when the DXP sends no Retry-After. Default 250 ms. */
  retryDelayMs?: number;
  /** Largest answer body accepted, in bytes. Default 10 MiB. */
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
}

const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];

/** The answer's body stopped arriving (dropped, or the call's clock ran out); ky retries it like a dropped connection. */
class BodyCutOff extends Error {}

const unsendableToken = () =>
  new ConfigurationError(
    "The DXP access token contains characters that cannot be sent in an HTTP header (spaces, line breaks or non-ASCII).",
    "Copy the token again, whole and unchanged, into NECTAR_ACCESS_TOKEN, X-Nectar-Access-Token or configure_connection.",
  );

export class Transport {
  readonly #api: KyInstance;
  readonly #root: KyInstance;
  readonly #fetch: typeof fetch;
  readonly #options: Required<Omit<TransportOptions, "log" | "fetch" | "limiter" | "caller" | "secrets">> &
    Pick<TransportOptions, "log" | "limiter" | "secrets" | "caller">;

  constructor(baseUrl: string, apiPrefix: string, options: TransportOptions = {}) {
    this.#options = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 250,
      maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
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
    this.#root = ky.create({ ...common, prefixUrl: baseUrl });
    this.#api = ky.create({ ...common, prefixUrl: `${baseUrl}/${apiPrefix}` });
  }

  async call<T>(endpoint: Endpoint, options: CallOptions<T>): Promise<T> {
    const path = endpointPath(endpoint, options.pathParams);
    const subject = options.subject ?? `/${path}`;
    const http = endpoint.root ? this.#root : this.#api;
    const deadline = Date.now() + this.#options.timeoutMs;
    const budget = AbortSignal.timeout(this.#options.timeoutMs);
    const { auth } = options;
    let retries = 0;
    let renewed = false;

    // Once per rejected token, whatever the method: renew (one refresh for all its callers)
    // and send again, as ky's README does it.
    const renewOn401: AfterResponseHook = async (request, _options, response) => {
      const token = request.headers.get("authorization")?.slice("Bearer ".length);
      if (response.status !== 401 || !token || !auth?.canRefresh || renewed) return;
      renewed = true;
      await auth.renewAfterRejection(token);
      return send();
    };
    const giveUpPastBudget: AfterResponseHook = async (request, _options, response) => {
      if (request.method !== "GET" || !RETRY_STATUSES.includes(response.status) || retries >= this.#options.maxRetries) return;
      const wait = retryAfterMs(response);
      if (wait !== undefined && Date.now() + wait >= deadline) throw await this.#statusError(response, retries, subject, !!auth?.canRefresh);
    };
    const send = () =>
      http(path, {
        method: endpoint.method,
        searchParams: options.searchParams,
        json: options.json,
        signal: options.signal ? AbortSignal.any([budget, options.signal]) : budget,
        fetch: (request, init) => this.#attempt(request as Request, init, `/${path}`, !!auth, options.signal),
        hooks: {
          beforeRequest: [
            async (request) => {
              if (!auth) return;
              const token = await auth.accessToken();
              if (token === undefined) return;
              if (!HEADER_VALUE.test(token)) throw unsendableToken();
              request.headers.set("authorization", `Bearer ${token}`);
            },
          ],
          afterResponse: [renewOn401, giveUpPastBudget],
          beforeRetry: [
            ({ error, retryCount }) => {
              // Our own errors are decisions (a refused address, a busy server, a body too
              // large), not accidents: ky would retry any error, so stop it here.
              if (error instanceof DxpError) throw error;
              retries = retryCount;
            },
          ],
        },
      });

    let response: Response;
    try {
      response = await send();
    } catch (error) {
      if (error instanceof DxpError) throw error;
      if (budget.aborted || Date.now() >= deadline) throw this.timeout();
      if (options.signal?.aborted) throw new TimeoutError("The request was cancelled before the DXP answered.");
      if (error instanceof HTTPError) throw await this.#statusError(error.response, retries, subject, !!auth?.canRefresh);
      if (error instanceof BodyCutOff) {
        throw new NetworkError(
          "The connection to the DXP dropped while its answer was being sent.",
          "Try again; if it keeps happening, a proxy between this server and the DXP may be cutting connections.",
        );
      }
      throw new NetworkError(
        `Could not reach the DXP (${describe(error)}).`,
        "Check NECTAR_DXP_URL / X-Nectar-DXP-URL and the network path to it, then try again.",
      );
    }
    return parseAnswer(response, options.schema, `/${path}`, this.#redact);
  }

  /**
   * One attempt, as ky's `fetch`: a concurrency slot while it runs (the token refresh itself
   * takes none: it runs once per credential and callers holding slots may wait for it), the
   * connection guard's refusal and redirects made final, and the body read within its
   * limit, so that a cut-off body is retried by ky like a dropped connection.
   */
  async #attempt(request: Request, init: RequestInit | undefined, path: string, limited: boolean, signal: AbortSignal | undefined): Promise<Response> {
    const limiter = limited ? this.#options.limiter : undefined;
    const release = limiter ? await limiter.acquire(this.#options.caller, signal) : undefined;
    const url = new URL(request.url);
    const started = Date.now();
    const line = (what: string) => this.#options.log?.(`${request.method} ${path}${logQuery(url.search)} ${what} ${Date.now() - started} ms`);
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
          "Set the DXP URL (NECTAR_DXP_URL, X-Nectar-DXP-URL or configure_connection) to the address the DXP serves its API on directly.",
          response.status,
        );
      }
      // An HTML page (a proxy's or a login page) is recognised by its type; its body is not needed.
      const html = (response.headers.get("content-type") ?? "").includes("html");
      if (html) await response.body?.cancel();
      const text = html ? "" : await readLimited(response, this.#options.maxBodyBytes, path);
      const empty = text === "" && [204, 205].includes(response.status);
      return new Response(empty ? null : text, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      release?.();
    }
  }

  timeout(): TimeoutError {
    return new TimeoutError(
      `The DXP did not answer within ${Math.round(this.#options.timeoutMs / 1000)} s (retries included).`,
      "It may be overloaded; try a shorter time window or fewer rows, or try again later.",
    );
  }

  readonly #redact = (text: string): string => redactSecrets(text, this.#options.secrets?.() ?? []);

  async #statusError(response: Response, retries: number, subject: string, couldRefresh: boolean): Promise<DxpError> {
    return statusError(response, retries, subject, couldRefresh, this.#redact);
  }
}

/** A DxpError somewhere in an error's cause chain (fetch wraps connection errors). */
function dxpErrorIn(error: unknown): DxpError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) if (e instanceof DxpError) return e;
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

/** Our reading of Retry-After, for the budget check and the "Wait N s" hint (ky reads it for its own wait). */
function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Bytes of each parsed answer's JSON, for caches bounded by size (cheaper than serializing again). */
const answerSizes = new WeakMap<object, number>();

/** The size of a parsed answer: its JSON length when it came from parseAnswer, else measured. */
export function answerSize(value: unknown): number {
  if (typeof value === "object" && value !== null) {
    const known = answerSizes.get(value);
    if (known !== undefined) return known;
  }
  return JSON.stringify(value)?.length ?? 0;
}

async function statusError(
  response: Response,
  retries: number,
  subject: string,
  couldRefresh: boolean,
  redact: (text: string) => string,
): Promise<DxpError> {
  const detail = redact(await upstreamDetail(response));
  const after = retries ? ` after ${retries} ${retries === 1 ? "retry" : "retries"}` : "";
  switch (response.status) {
    case 401:
      return new AuthenticationError(
        `The DXP rejected the access token (401)${couldRefresh ? " even after a token refresh" : ""}.`,
        "Renew NECTAR_ACCESS_TOKEN (or X-Nectar-Access-Token, or call configure_connection), and set a refresh token so it renews itself.",
      );
    case 403:
      return new PermissionError(
        `The DXP refused access to ${subject} (403)${detail}.`,
        "The token may not see this tenant: check the tenant with get_tenant_names or ask a DXP administrator for access.",
      );
    case 404:
      return new NotFoundError(`The DXP has no ${subject} (404).`, "Check the id or name, or list what exists first.");
    case 429: {
      const wait = retryAfterMs(response);
      const seconds = wait === undefined ? undefined : Math.ceil(wait / 1000);
      return new RateLimitedError(
        `The DXP is rate limiting requests (429)${after}.`,
        seconds === undefined ? "Wait a little and try again." : `Wait ${seconds} s and try again.`,
        seconds,
      );
    }
    default:
      if (response.status >= 500 || response.status === 408) {
        return new UpstreamError(
          `The DXP answered ${response.status}${detail}${after}.`,
          "The DXP or a proxy in front of it is failing; try again in a minute.",
          response.status,
        );
      }
      return new UpstreamError(
        `The DXP refused the request to ${subject} (${response.status})${detail}.`,
        "Check the arguments against the tool's accepted values.",
        response.status,
      );
  }
}

/** A short, safe description of an error body: a JSON `message`, or what kind of page it was. */
async function upstreamDetail(response: Response): Promise<string> {
  if ((response.headers.get("content-type") ?? "").includes("html")) return ", with an HTML error page (a proxy or gateway answered)";
  try {
    const message = (JSON.parse((await response.text()).slice(0, 2000)) as { message?: unknown })?.message;
    return typeof message === "string" && message ? `: ${message.slice(0, 200).replace(/[.\s]+$/, "")}` : "";
  } catch {
    return "";
  }
}

async function parseAnswer<T>(response: Response, schema: z.ZodType<T>, path: string, redact: (text: string) => string): Promise<T> {
  if ((response.headers.get("content-type") ?? "").includes("html")) {
    throw new UpstreamError(
      `The DXP answered ${path} with an HTML page instead of JSON (a login page or proxy?).`,
      "Check that NECTAR_DXP_URL points at the DXP instance itself.",
      response.status,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UpstreamError(`The DXP's answer to ${path} is not valid JSON (cut off or malformed).`, "Try again; if it persists the DXP or a proxy is at fault.", response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "(the whole answer)";
    throw new UpstreamError(
      redact(`The DXP's answer to ${path} has an unexpected shape at ${field}: ${issue?.message ?? "invalid"}.`),
      "This server may not match this DXP version; please report it.",
      response.status,
    );
  }
  if (typeof parsed.data === "object" && parsed.data !== null) answerSizes.set(parsed.data, text.length);
  return parsed.data;
}

/** The body as text, refused past `maxBytes` (declared or counted as it arrives). */
async function readLimited(response: Response, maxBytes: number, path: string): Promise<string> {
  const tooLarge = () =>
    new UpstreamError(`The DXP's answer to ${path} is larger than ${Math.round(maxBytes / 1048576)} MiB.`, "Ask for a smaller page or a shorter time window.");
  if (Number(response.headers.get("content-length")) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const chunk = await reader.read().catch(() => {
      throw new BodyCutOff();
    });
    if (chunk.done) return text + decoder.decode();
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
}
