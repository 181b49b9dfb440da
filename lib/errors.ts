// The errors a user or model can see. Each message is written for them: what happened
// and what to do next. No message ever contains a token: callers pass only URLs with
// their query stripped, tenants and statuses.

export type DxpErrorKind =
  | "configuration"
  | "input"
  | "authentication"
  | "permission"
  | "not_found"
  | "rate_limited"
  | "upstream"
  | "timeout"
  | "network";

export class DxpError extends Error {
  readonly kind: DxpErrorKind = "upstream";
  /** What the user or model can do about it; appended to the message shown. */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
  /** The text a tool result carries. */
  get userMessage(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** Missing or unusable connection settings: nothing was sent upstream. */
export class ConfigurationError extends DxpError {
  override readonly kind = "configuration";
}

/** Arguments that pass the schema but make no sense together (e.g. `from` after `to`). */
export class InputError extends DxpError {
  override readonly kind = "input";
}

/** 401 that a token refresh could not cure, or a refused refresh. */
export class AuthenticationError extends DxpError {
  override readonly kind = "authentication";
}

/** 403: the token may not see this tenant or resource. */
export class PermissionError extends DxpError {
  override readonly kind = "permission";
}

export class NotFoundError extends DxpError {
  override readonly kind = "not_found";
}

/** 429 after our retries. */
export class RateLimitedError extends DxpError {
  override readonly kind = "rate_limited";
  constructor(
    message: string,
    hint: string | undefined,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, hint);
  }
}

/** 5xx, or an answer we could not read (malformed JSON, HTML, wrong shape). */
export class UpstreamError extends DxpError {
  override readonly kind = "upstream";
  constructor(
    message: string,
    hint?: string,
    readonly status?: number,
  ) {
    super(message, hint);
  }
}

/** The call's time budget ran out. */
export class TimeoutError extends DxpError {
  override readonly kind = "timeout";
}

/** The caller gave up (its signal aborted) while waiting for a slot or a shared answer. */
export const cancelled = () => new TimeoutError("The request was cancelled before the DXP answered.");

/** No answer at all: DNS, refused or reset connection. */
export class NetworkError extends DxpError {
  override readonly kind = "network";
}

/**
 * The one place an error becomes text for a model or a person: a DxpError says what
 * happened and what to do; anything else gets `otherwise` (never a stack trace or an
 * internal message, which may quote a header).
 */
export function messageFor(error: unknown, otherwise: string): string {
  return error instanceof DxpError ? error.userMessage : otherwise;
}

/** How a shell ends on an error at startup: a configuration error exits 2 with its hint, anything else 1. */
export function exitFor(error: unknown): { code: 1 | 2; message: string } {
  const message = messageFor(error, error instanceof Error ? error.message : String(error));
  return { code: error instanceof ConfigurationError ? 2 : 1, message };
}
