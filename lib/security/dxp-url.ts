// The one spelling of a DXP base URL. Credentials are keyed by it (the client pool, the
// token and answer stores, a session's owner), the URL policy returns it and the config
// reads the operator's host through it: two spellings of one DXP must never become two
// credentials, or both renew with the same rotating refresh token and one of them is told
// its token is dead.
//
// The WHATWG URL parser does most of the work (scheme and host case, IDN to punycode,
// IPv4 spellings such as 2130706433, IPv6 zero compression, default ports); this module
// adds what it leaves: a host's trailing dot, IPv4-mapped IPv6 literals, the path's
// trailing slashes, and drops query, fragment and userinfo.
import ipaddr from "ipaddr.js";

/**
 * A URL parser's `hostname` in its canonical form: lower case, no trailing dot, an IPv6
 * literal in brackets in its shortest form, an IPv4-mapped IPv6 literal as the IPv4 address.
 */
export function canonicalHost(hostname: string): string {
  const host = hostname.trim().toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) {
    const inner = host.slice(1, -1);
    if (!inner.includes("%") && ipaddr.IPv6.isValid(inner)) {
      const address = ipaddr.IPv6.parse(inner);
      return address.isIPv4MappedAddress() ? address.toIPv4Address().toString() : `[${address.toString()}]`;
    }
    return host;
  }
  // One trailing dot names the same host ("localhost." is "localhost"); two are not a host.
  return host.endsWith(".") && !host.endsWith("..") ? host.slice(0, -1) : host;
}

/** `canonicalHost` without an IPv6 literal's brackets: the form a host pattern is compared in. */
export function canonicalHostName(hostname: string): string {
  return canonicalHost(hostname).replace(/^\[(.*)\]$/, "$1");
}

/**
 * A parsed URL's canonical base: `scheme://host[:port]/path` with the host canonical, no
 * default port (the parser drops it), no userinfo, query, fragment or trailing slash.
 */
export function canonicalBase(url: URL): string {
  const port = url.port ? `:${url.port}` : "";
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${canonicalHost(url.hostname)}${port}${path}`;
}

/** `canonicalBase` of a URL's text; text that is no URL comes back trimmed (the policy refuses it). */
export function canonicalDxpUrl(text: string): string {
  const trimmed = text.trim();
  try {
    return canonicalBase(new URL(trimmed));
  } catch {
    return trimmed;
  }
}
