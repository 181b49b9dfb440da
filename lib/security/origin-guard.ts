// DNS-rebinding protection for the MCP endpoint (MCP spec, Streamable HTTP, "Security
// Warning": servers MUST validate the Origin header; a present but invalid Origin gets 403).
// It guards both protocol eras. We keep our own rather than SDK v2's (`createMcpHonoApp`,
// `hostHeaderValidation` / `originValidation` of @modelcontextprotocol/hono 2.0.2) because
// ours does more where it matters: those compare hostnames only, port-agnostic, for Host and
// Origin alike, so any port on an allowed name passes and `http://localhost:1234` from another
// local app is as good as ours; ours pins the port when an entry names one, compares Origins
// exactly (scheme, host and port), accepts a loopback Origin only while the Host is loopback
// too, and refuses `Origin: null`. (The SDK's own requests-without-Origin-pass rule is ours too.)
//
// The attack: a page on evil.example rebinds its name to 127.0.0.1, and the victim's browser
// then sends it requests to our local server with `Host: evil.example` and
// `Origin: http://evil.example`. Two independent checks stop it:
//
// 1. Host. When `allowedHosts` is non-empty, the Host header's hostname must be listed (an
//    entry with a port also pins the port). A loopback bind lists only loopback names, which
//    a rebound request cannot carry. An empty list turns the Host check off: behind a
//    Kubernetes Service the Host is whatever name the Service has, and operators narrow it
//    with an environment variable.
// 2. Origin. Requests without Origin pass: non-browser MCP clients do not send one, and a
//    browser always does on the cross-origin requests the attack needs. A present Origin must
//    be listed exactly in `allowedOrigins`, or be a loopback origin (http or https,
//    localhost / 127.0.0.0/8 / [::1], any port) while the Host is loopback too: a page on the
//    user's own machine talking to a server on the user's own machine. We deliberately do
//    NOT accept "Origin matches Host": a rebinding attacker controls both and makes them agree.
//    `Origin: null` (sandboxed frames, file://) is refused unless "null" is listed.
//
// Refusals are 403 with a JSON-RPC error body, the shape the SDK itself uses.

import type { MiddlewareHandler } from "hono";
import { ConfigurationError } from "../errors.ts";
import { classifyHost } from "./address-classes.ts";

export interface OriginGuardOptions {
  /**
   * Host header values accepted: a hostname (any port) or hostname:port (that port only);
   * IPv6 in brackets, e.g. "[::1]". Empty = any Host (see defaultAllowedHosts).
   */
  allowedHosts: readonly string[];
  /**
   * Origin header values accepted (exact origins, e.g. "https://app.example.com"). Requests
   * without Origin are allowed (non-browser clients); loopback origins are allowed when the
   * Host is loopback.
   */
  allowedOrigins: readonly string[];
}

interface HostPort {
  hostname: string;
  port: string | undefined;
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const ANY_ADDRESS = new Set(["", "0.0.0.0", "::", "[::]"]);

/**
 * The Host allow-list that fits a bind address. Loopback bind: the loopback names, with and
 * without the port. Any other bind (0.0.0.0, ::, a LAN address, a name): an empty list, which
 * accepts any Host; the Origin check still applies.
 */
export function defaultAllowedHosts(bindHost: string, port: number): string[] {
  const bind = bindHost.trim().toLowerCase();
  if (ANY_ADDRESS.has(bind) || classifyHost(bind) !== "loopback") return [];
  return [...LOOPBACK_NAMES, ...LOOPBACK_NAMES.map((h) => `${h}:${port}`)];
}

export function originGuard(options: OriginGuardOptions): MiddlewareHandler {
  const hosts = options.allowedHosts.map((entry) => parseHostPort(entry)).filter((e): e is HostPort => e !== undefined);
  if (hosts.length !== options.allowedHosts.length) {
    const bad = options.allowedHosts.filter((entry) => parseHostPort(entry) === undefined);
    throw new ConfigurationError(
      `Allowed MCP host ${bad.map((b) => JSON.stringify(b.slice(0, 100))).join(", ")} is not a host or host:port.`,
      'Use values such as "localhost", "mcp.example.com" or "[::1]:3000", separated by commas.',
    );
  }
  const origins = new Set(options.allowedOrigins.map(normalizeOrigin));

  return async (c, next) => {
    const hostHeader = c.req.header("host") ?? safeUrlHost(c.req.url);
    const host = hostHeader === undefined ? undefined : parseHostPort(hostHeader);

    if (hosts.length > 0) {
      const ok =
        host !== undefined &&
        hosts.some((h) => h.hostname === host.hostname && (h.port === undefined || h.port === host.port));
      if (!ok) return forbidden(c, "Forbidden: host not allowed");
    }

    const origin = c.req.header("origin");
    if (origin !== undefined) {
      const ok =
        origins.has(normalizeOrigin(origin)) ||
        (host !== undefined && isLoopback(host.hostname) && isLoopbackOrigin(origin));
      if (!ok) return forbidden(c, "Forbidden: origin not allowed");
    }

    return next();
  };
}

// ---------------------------------------------------------------------------------------------

function forbidden(c: Parameters<MiddlewareHandler>[0], message: string): Response {
  return c.json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }, 403);
}

function safeUrlHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** "Host" or "host:port" or "[v6]" or "[v6]:port" → lower-case parts; undefined if malformed. */
function parseHostPort(value: string): HostPort | undefined {
  const v = value.trim().toLowerCase();
  let hostname: string;
  let rest: string;
  if (v.startsWith("[")) {
    const end = v.indexOf("]");
    if (end < 0) return undefined;
    hostname = v.slice(0, end + 1);
    rest = v.slice(end + 1);
  } else {
    const colon = v.indexOf(":");
    hostname = colon < 0 ? v : v.slice(0, colon);
    rest = colon < 0 ? "" : v.slice(colon);
  }
  hostname = hostname.replace(/\.$/, "");
  if (hostname === "" || !/^(?:\[[0-9a-f:.]+\]|[a-z0-9._-]+)$/.test(hostname)) return undefined;
  if (rest === "") return { hostname, port: undefined };
  if (!/^:\d{1,5}$/.test(rest)) return undefined;
  return { hostname, port: String(Number(rest.slice(1))) };
}

function isLoopback(hostname: string): boolean {
  return classifyHost(hostname) === "loopback";
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && isLoopback(url.hostname);
  } catch {
    return false;
  }
}

/** Origins compare after URL normalization (case, default port); unparseable ones verbatim. */
function normalizeOrigin(origin: string): string {
  const o = origin.trim();
  if (o === "null") return o;
  try {
    const url = new URL(o);
    return url.origin === "null" ? o : url.origin;
  } catch {
    return o;
  }
}
