// One DXP request with its whole failure policy: a time budget for the call, retries
// for idempotent reads on 408/429/5xx and dropped connections (honouring Retry-After),
// one token renewal on 401, a bounded body, and every failure mapped to our errors.
import ky, { type KyInstance } from "ky";
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

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** The answer's body stopped arriving (dropped, or the attempt's clock ran out). */
class BodyCutOff extends Error {}

const unsendableToken = () =>
  new ConfigurationError(
    "The DXP access token contains characters that cannot be sent in an HTTP header (spaces, line breaks or non-ASCII).",
    "Copy the token again, whole and unchanged, into NECTAR_ACCESS_TOKEN, X-Nectar-Access-Token or configure_connection.",
  );

export class Transport {
  readonly #api: KyInstance;
  readonly #root: KyInstance;
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
    // Redirects are never followed: a DXP host (or something answering in its name) could
    // send us to an address the URL policy refuses. A 3xx becomes an error below.
    const common = { retry: 0, throwHttpErrors: false, timeout: false as const, fetch: options.fetch, redirect: "manual" as const };
    this.#root = ky.create({ ...common, prefixUrl: baseUrl });
    this.#api = ky.create({ ...common, prefixUrl: `${baseUrl}/${apiPrefix}` });
  }

  async call<T>(endpoint: Endpoint, options: CallOptions<T>): Promise<T> {
    const path = endpointPath(endpoint, options.pathParams);
    const http = endpoint.root ? this.#root : this.#api;
    const deadline = Date.now() + this.#options.timeoutMs;
    const idempotent = endpoint.method === "GET";
    let retries = 0;
    let renewed = false;
    for (;;) {
      const token = options.auth ? await options.auth.accessToken() : undefined;
      if (token !== undefined && !HEADER_VALUE.test(token)) throw unsendableToken();
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeout();
      // The token refresh itself (no `auth`) is not limited: it runs once per credential and
      // callers holding slots may be waiting for it.
      const limiter = options.auth ? this.#options.limiter : undefined;
      const release = limiter ? await limiter.acquire(this.#options.caller, options.signal) : undefined;
      try {
        const started = Date.now();
        // One clock per attempt for the headers *and* the body: a DXP that stalls mid-answer
        // must not hold the call past its budget.
        const budget = AbortSignal.timeout(remaining);
        const signal = options.signal ? AbortSignal.any([budget, options.signal]) : budget;
        let response: Response;
        try {
          response = await http(path, {
            method: endpoint.method,
            searchParams: options.searchParams,
            json: options.json,
            headers: token ? { authorization: `Bearer ${token}` } : undefined,
            signal,
          });
        } catch (error) {
          this.#log(`${endpoint.method} /${path} failed after ${Date.now() - started} ms: ${describe(error)}`);
          // A refusal by the shell's connection guard (a resolved address the URL policy refuses) is final.
          const refusal = dxpErrorIn(error);
          if (refusal) throw refusal;
          release?.(); // no slot is held while waiting to retry
          await this.#recover(budget, deadline, idempotent && retries < this.#options.maxRetries, retries, options.signal, () =>
            new NetworkError(
              `Could not reach the DXP (${describe(error)}).`,
              "Check NECTAR_DXP_URL / X-Nectar-DXP-URL and the network path to it, then try again.",
            ),
          );
          retries += 1;
          continue;
        }
        this.#log(`${endpoint.method} /${path}${logQuery(options.searchParams)} -> ${response.status} in ${Date.now() - started} ms`);

        if (isRedirect(response)) {
          await response.body?.cancel();
          throw new UpstreamError(
            `The DXP answered /${path} with a redirect (${response.status || "3xx"}), which this server does not follow: a redirect could lead to an address the DXP URL policy refuses.`,
            "Set the DXP URL (NECTAR_DXP_URL, X-Nectar-DXP-URL or configure_connection) to the address the DXP serves its API on directly.",
            response.status,
          );
        }
        if (response.status === 401 && token && options.auth?.canRefresh && !renewed) {
          await response.body?.cancel();
          renewed = true;
          release?.();
          await options.auth.renewAfterRejection(token);
          continue;
        }
        if (idempotent && RETRY_STATUSES.has(response.status) && retries < this.#options.maxRetries) {
          const wait = retryAfterMs(response) ?? this.#backoff(retries);
          if (Date.now() + wait < deadline) {
            await response.body?.cancel();
            retries += 1;
            release?.();
            await this.#pause(wait, deadline, options.signal);
            continue;
          }
        }
        if (!response.ok) throw await statusError(response, retries, options.subject ?? `/${path}`, !!options.auth?.canRefresh, this.#redact);
        try {
          return await parseAnswer(response, options.schema, this.#options.maxBodyBytes, `/${path}`, this.#redact);
        } catch (error) {
          if (!(error instanceof BodyCutOff)) throw error;
          this.#log(`${endpoint.method} /${path} answer cut off after ${Date.now() - started} ms`);
          release?.();
          await this.#recover(budget, deadline, idempotent && retries < this.#options.maxRetries, retries, options.signal, () =>
            new NetworkError(
              "The connection to the DXP dropped while its answer was being sent.",
              "Try again; if it keeps happening, a proxy between this server and the DXP may be cutting connections.",
            ),
          );
          retries += 1;
          continue;
        }
      } finally {
        release?.();
      }
    }
  }

  /** After an attempt that got no (whole) answer: throw what the caller should see, or wait before the next try. */
  async #recover(
    budget: AbortSignal,
    deadline: number,
    mayRetry: boolean,
    retries: number,
    signal: AbortSignal | undefined,
    failure: () => NetworkError,
  ): Promise<void> {
    if (budget.aborted || Date.now() >= deadline) throw this.timeout();
    if (signal?.aborted) throw new TimeoutError("The request was cancelled before the DXP answered.");
    if (!mayRetry) throw failure();
    await this.#pause(this.#backoff(retries), deadline, signal);
  }

  #backoff(retry: number): number {
    return this.#options.retryDelayMs * 2 ** retry;
  }

  async #pause(ms: number, deadline: number, signal?: AbortSignal): Promise<void> {
    if (Date.now() + ms >= deadline) throw this.timeout();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done, { once: true });
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
    });
  }

  timeout(): TimeoutError {
    return new TimeoutError(
      `The DXP did not answer within ${Math.round(this.#options.timeoutMs / 1000)} s (retries included).`,
      "It may be overloaded; try a shorter time window or fewer rows, or try again later.",
    );
  }

  readonly #redact = (text: string): string => redactSecrets(text, this.#options.secrets?.() ?? []);

  #log(line: string): void {
    this.#options.log?.(line);
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
function logQuery(params: Record<string, string> | undefined): string {
  if (!params) return "";
  const text = new URLSearchParams(params).toString();
  return text ? `?${text.length > 300 ? `${text.slice(0, 300)}…` : text}` : "";
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const isRedirect = (response: Response) => response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400);

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
  const type = response.headers.get("content-type") ?? "";
  try {
    if (type.includes("html")) {
      await response.body?.cancel();
      return ", with an HTML error page (a proxy or gateway answered)";
    }
    const text = (await response.text()).slice(0, 2000);
    const message = (JSON.parse(text) as { message?: unknown })?.message;
    return typeof message === "string" && message ? `: ${message.slice(0, 200).replace(/[.\s]+$/, "")}` : "";
  } catch {
    return "";
  }
}

async function parseAnswer<T>(
  response: Response,
  schema: z.ZodType<T>,
  maxBytes: number,
  path: string,
  redact: (text: string) => string,
): Promise<T> {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("html")) {
    await response.body?.cancel();
    throw new UpstreamError(
      `The DXP answered ${path} with an HTML page instead of JSON (a login page or proxy?).`,
      "Check that NECTAR_DXP_URL points at the DXP instance itself.",
      response.status,
    );
  }
  const text = await readLimited(response, maxBytes, path);
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

async function readLimited(response: Response, maxBytes: number, path: string): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  const tooLarge = () =>
    new UpstreamError(`The DXP's answer to ${path} is larger than ${Math.round(maxBytes / 1048576)} MiB.`, "Ask for a smaller page or a shorter time window.");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new BodyCutOff();
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
