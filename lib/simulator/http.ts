// Error answers the simulator sends: JSON `{ error, message }` like an API gateway,
// or an HTML page like a proxy in front of it.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (param: string, message: string) => new HttpError(400, "bad_request", `${param}: ${message}`);
export const notFound = (message: string) => new HttpError(404, "not_found", message);

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export const errorResponse = (error: HttpError) =>
  jsonResponse({ error: error.code, message: error.message }, error.status, error.headers);

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export const reason = (status: number) => REASONS[status] ?? "Error";

/** What nginx in front of an API sends when the upstream is down. */
export function htmlResponse(status: number, headers: Record<string, string> = {}): Response {
  const title = `${status} ${reason(status)}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return new Response(body, { status, headers: { "content-type": "text/html", ...headers } });
}

/** A JSON error code for a status, in the style of the answers above. */
export function errorCode(status: number): string {
  return reason(status).toLowerCase().replace(/ /g, "_");
}
