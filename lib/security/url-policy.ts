// Which DXP base URLs we are willing to send credentials to. Over HTTP a client names the
// DXP URL in a header (`X-Nectar-DXP-URL`), so without this check the server would carry the
// caller's token, or make requests from inside our network, to any address it is given (SSRF).
//
// What a host is (loopback, private, metadata, …) is judged in address-classes.ts; this file
// is the policy on those classes, not a parser.

import { ConfigurationError } from "../errors.ts";
import { analyzeHost, classifyAddress, type HostClass } from "./address-classes.ts";
import { canonicalBase } from "./dxp-url.ts";

export interface UrlPolicy {
  /** Host patterns the DXP URL may name: exact hosts or `*.suffix` wildcards (matches subdomains only, not the bare suffix). `*` alone means any public name. Default ["*.nectar.services"]. */
  allowedHosts: readonly string[];
  /** Allow IP literals and private/loopback addresses, and private names under `*` (default false). Link-local, metadata, unspecified and reserved addresses stay refused. */
  allowPrivateAddresses: boolean;
  /** Allow loopback hosts (127.0.0.0/8, ::1, localhost), over plain http:// too: the embedded simulator and tests (default false over HTTP; the stdio server sets true). */
  allowLoopbackHttp: boolean;
}

export const DEFAULT_URL_POLICY: UrlPolicy = Object.freeze({
  allowedHosts: Object.freeze(["*.nectar.services"]),
  allowPrivateAddresses: false,
  allowLoopbackHttp: false,
});

const ACCEPTED = "Use the https:// address of your Nectar DXP tenant, e.g. https://demo.us.nectar.services.";

const KNOWN_SCHEMES = new Set(["ftp", "ftps", "ws", "wss", "file", "data", "javascript", "mailto", "gopher", "blob"]);

/**
 * Parse and check a DXP base URL. Returns the normalized base URL (origin + path without
 * trailing slash, no query/hash/userinfo). Throws ConfigurationError with a message naming the
 * problem and what is accepted; the message never includes the URL's userinfo or query.
 *
 * DNS is not resolved here (lib/ is runtime-agnostic): a name that matches `allowedHosts` but
 * resolves to a private, loopback or metadata address passes this check. The Node shell checks
 * every resolved address at connect time with `checkResolvedAddress` (servers/guarded-fetch.ts);
 * the Deno shell cannot hook its resolver and relies on the allow-list (see the README).
 */
export function checkDxpUrl(raw: string, policy?: Partial<UrlPolicy>): string {
  const p = withDefaults(policy);
  const patterns = p.allowedHosts.map(normalizePattern);

  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") {
    throw new ConfigurationError("No DXP URL was given.", ACCEPTED);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The input is not echoed: it may hold a password or a token in its query.
    throw new ConfigurationError("The DXP URL is not a valid absolute URL.", ACCEPTED);
  }

  const scheme = url.protocol.replace(/:$/, "");
  if (scheme !== "https" && scheme !== "http") {
    // Only well-known schemes are named: in "user:pass@host" the "scheme" is a user name.
    const named = KNOWN_SCHEMES.has(scheme) ? `, not ${scheme}` : "";
    throw new ConfigurationError(`The DXP URL must use https${named}.`, ACCEPTED);
  }
  if (url.username !== "" || url.password !== "") {
    throw new ConfigurationError(
      "The DXP URL must not contain a user name or password.",
      `Remove the part before "@" and pass credentials through the token settings instead. ${ACCEPTED}`,
    );
  }

  const host = analyzeHost(url.hostname);
  const shown = host.name || "(unreadable host)";

  if (host.kind === "loopback") {
    if (!p.allowLoopbackHttp) {
      throw new ConfigurationError(
        `The DXP URL names a loopback host (${shown}), which this server does not accept.`,
        `Loopback addresses are only for the local simulator and tests. ${ACCEPTED}`,
      );
    }
    return normalized(scheme, host.name, url);
  }

  if (scheme === "http") {
    throw new ConfigurationError(`The DXP URL must use https; plain http is refused for ${shown}.`, ACCEPTED);
  }

  if (NEVER_ACCEPTED.has(host.kind)) {
    throw new ConfigurationError(
      `The DXP URL names ${DESCRIBED[host.kind]} (${shown}), which is never accepted.`,
      ACCEPTED,
    );
  }

  if (host.literal) {
    if (!p.allowPrivateAddresses) {
      throw new ConfigurationError(
        `The DXP URL names an IP address (${shown}, ${DESCRIBED[host.kind]}); only host names are accepted.`,
        ACCEPTED,
      );
    }
    return normalized(scheme, host.name, url);
  }

  if (!isValidName(host.name)) {
    throw new ConfigurationError(`The DXP URL's host (${shown}) is not a valid host name.`, ACCEPTED);
  }

  for (const pattern of patterns) {
    if (pattern === "*") {
      if (host.kind === "public-name" || p.allowPrivateAddresses) {
        return normalized(scheme, host.name, url);
      }
      continue;
    }
    if (matchesPattern(host.name, pattern)) {
      return normalized(scheme, host.name, url);
    }
  }

  const list = patterns.length > 0 ? patterns.join(", ") : "none";
  throw new ConfigurationError(`The DXP URL's host ${shown} is not an allowed DXP host (allowed: ${list}).`, ACCEPTED);
}

/**
 * Check an address a client-named DXP host resolved to, at connect time: loopback only when
 * loopback is allowed, private only when private addresses are; link-local (a DXP is never
 * there, metadata services are), metadata, unspecified and reserved never. Throws ConfigurationError naming the kind, never the address.
 */
export function checkResolvedAddress(address: string, policy?: Partial<UrlPolicy>): void {
  const p = withDefaults(policy);
  const kind = classifyAddress(address) ?? "reserved";
  const allowed =
    kind === "public-ip" ||
    (kind === "loopback" && p.allowLoopbackHttp) ||
    (kind === "private" && p.allowPrivateAddresses);
  if (!allowed) {
    throw new ConfigurationError(
      `The DXP host resolves to ${DESCRIBED[kind]}, which the DXP URL policy refuses for URLs a client names.`,
      `Use the https:// address of your Nectar DXP tenant; an operator can allow private addresses with NECTAR_ALLOW_PRIVATE_ADDRESSES.`,
    );
  }
}

/** Build a policy from the environment: comma-separated hosts (the yes/no switches come parsed). */
export function parseUrlPolicy(env: {
  allowedHosts?: string;
  allowPrivate?: boolean;
  allowLoopbackHttp?: boolean;
}): UrlPolicy {
  const hosts = (env.allowedHosts ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "")
    .map(normalizePattern);
  return {
    allowedHosts: hosts.length > 0 ? hosts : [...DEFAULT_URL_POLICY.allowedHosts],
    allowPrivateAddresses: env.allowPrivate ?? false,
    allowLoopbackHttp: env.allowLoopbackHttp ?? false,
  };
}

// ---------------------------------------------------------------------------------------------

/** The default policy with what `policy` sets (an undefined field keeps its default). */
function withDefaults(policy?: Partial<UrlPolicy>): UrlPolicy {
  const given = Object.entries(policy ?? {}).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_URL_POLICY, ...Object.fromEntries(given) };
}

/** The one spelling of the URL (lib/security/dxp-url.ts): the policy judged `hostName`, its canonical host. */
function normalized(_scheme: string, _hostName: string, url: URL): string {
  return canonicalBase(url);
}

/**
 * Refused whatever the policy allows. Link-local (169.254.0.0/16, fe80::/10) is where cloud
 * hosts put their instance services (AWS/GCP/Azure metadata, ECS and EKS credentials), some
 * not listed by address below: no DXP lives there, so the whole range is refused.
 */
const NEVER_ACCEPTED = new Set<HostClass>(["metadata", "link-local", "unspecified", "reserved"]);

const DESCRIBED: Record<HostClass, string> = {
  loopback: "a loopback address",
  private: "a private address",
  "link-local": "a link-local address",
  metadata: "a cloud metadata service",
  unspecified: "an unspecified address",
  reserved: "a reserved or unusable address",
  "public-ip": "a public address",
  "public-name": "a host name",
};

/** Lower-case, trim, drop a trailing dot; refuse what cannot be a host pattern. */
function normalizePattern(pattern: string): string {
  const p = pattern.trim().toLowerCase().replace(/\.$/, "");
  if (p === "*") return p;
  const body = p.startsWith("*.") ? p.slice(2) : p;
  if (body === "" || body.includes("*") || !isValidName(body)) {
    throw new ConfigurationError(
      `The allowed DXP host pattern "${pattern.trim().slice(0, 100)}" is not valid.`,
      'Use host names such as demo.us.nectar.services, wildcards such as *.nectar.services, or "*" for any public host; no scheme, port or path.',
    );
  }
  return p;
}

function matchesPattern(name: string, pattern: string): boolean {
  if (pattern.startsWith("*.")) {
    const suffix = pattern.slice(1); // ".nectar.services"
    return name.length > suffix.length && name.endsWith(suffix);
  }
  return name === pattern;
}

function isValidName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split(".").every((label) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label));
}
