// The DXP's refusals as our error kinds (401 auth, 403 permission, 404 not found, 429 rate
// limited, 5xx upstream), each with what to do; any upstream text is redacted first.
import {
  AuthenticationError,
  type DxpError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  UpstreamError,
} from "../errors.ts";
import { cleanText } from "../security/redact.ts";
import { SET_ACCESS_TOKEN } from "../settings.ts";

/** Our reading of Retry-After, for the budget check and the "Wait N s" hint (ky reads it for its own wait). */
export function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export async function statusError(
  response: Response,
  retries: number,
  subject: string,
  couldRefresh: boolean,
  redact: (text: string) => string,
): Promise<DxpError> {
  const detail = await upstreamDetail(response, redact);
  const after = retries ? ` after ${retries} ${retries === 1 ? "retry" : "retries"}` : "";
  switch (response.status) {
    case 401:
      return new AuthenticationError(
        `The DXP rejected the access token (401)${couldRefresh ? " even after a token refresh" : ""}.`,
        `Renew ${SET_ACCESS_TOKEN}, and set a refresh token so it renews itself.`,
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

/** The most of a DXP's message a tool result shows. */
const MESSAGE_CHARS = 200;

/**
 * A short, safe description of an error body: a JSON `message`, or what kind of page it was.
 * The message is redacted whole before it is cut (a token cut in two is no longer found)
 * and its control characters escaped (cleanText).
 */
async function upstreamDetail(response: Response, redact: (text: string) => string): Promise<string> {
  if ((response.headers.get("content-type") ?? "").includes("html"))
    return ", with an HTML error page (a proxy or gateway answered)";
  try {
    const message = (JSON.parse((await response.text()).slice(0, 20_000)) as { message?: unknown })?.message;
    if (typeof message !== "string" || !message) return "";
    const clean = cleanText(redact(message));
    const cut = clean.length > MESSAGE_CHARS ? `${clean.slice(0, MESSAGE_CHARS)}…` : clean;
    return `: ${cut.replace(/[.\s]+$/, "")}`;
  } catch {
    return "";
  }
}
