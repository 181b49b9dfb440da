// Which DXP base URLs we are willing to send credentials to. Over HTTP a client names the
// DXP URL in a header (`X-Nectar-DXP-URL`), so without this check the server would carry the
// caller's token, or make requests from inside our network, to any address it is given (SSRF).
//
// Hosts are read through the WHATWG URL parser first, the same parser the HTTP client uses,
// so that odd spellings (`2130706433`, `0x7f.1`, `[::ffff:a00:1]`, percent-encoding, IDN)
// are judged by the address they really name; addresses are parsed and their ranges named
// by ipaddr.js. This file is the policy, not a parser.

import ipaddr from "ipaddr.js";
import { ConfigurationError } from "../errors.ts";
import { canonicalBase, canonicalHost } from "./dxp-url.ts";

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

export type HostClass =
  | "public-name"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "public-ip"
  | "reserved";

const ACCEPTED = "Use the https:// address of your Nectar DXP tenant, e.g. https://demo.us.nectar.services.";

const KNOWN_SCHEMES = new Set(["ftp", "ftps", "ws", "wss", "file", "data", "javascript", "mailto", "gopher", "blob"]);

/** Cloud instance-metadata services, by name. */
const METADATA_NAMES = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

/** Name suffixes that never resolve in public DNS: they name something inside a network. */
const PRIVATE_NAME_SUFFIXES = [
  "local",
  "localhost",
  "internal",
  "intranet",
  "lan",
  "home",
  "corp",
  "private",
  "home.arpa",
];

interface AnalyzedHost {
  kind: HostClass;
  /** True for IPv4 and IPv6 literals. */
  literal: boolean;
  /** Canonical form: lower case, no trailing dot, IPv6 in brackets. Empty when unusable. */
  name: string;
}

/** Classify a host (hostname or IP literal, IPv4 or IPv6, with or without brackets). Anything that is not a host at all is "reserved". */
export function classifyHost(host: string): HostClass {
  return analyzeHost(host).kind;
}

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
    throw new ConfigurationError(
      `The DXP URL must use https; plain http is refused for ${shown}.`,
      ACCEPTED,
    );
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
  throw new ConfigurationError(
    `The DXP URL's host ${shown} is not an allowed DXP host (allowed: ${list}).`,
    ACCEPTED,
  );
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

function analyzeHost(input: string): AnalyzedHost {
  const reserved: AnalyzedHost = { kind: "reserved", literal: false, name: "" };
  if (typeof input !== "string") return reserved;
  let text = input.trim();
  if (text === "" || /[\s/\\@?#]/.test(text)) return reserved;
  // A bare IPv6 literal ("::1") gets the brackets the URL parser wants.
  if (text.includes(":") && !text.startsWith("[")) text = `[${text}]`;

  let hostname: string;
  try {
    const url = new URL(`http://${text}/`);
    if (url.port !== "" || url.username !== "" || url.password !== "") return reserved;
    hostname = canonicalHost(url.hostname);
  } catch {
    return reserved;
  }

  if (hostname.startsWith("[")) {
    const kind = classifyAddress(hostname.slice(1, -1));
    return kind ? { kind, literal: true, name: hostname } : reserved;
  }
  // The URL parser has already turned other IPv4 spellings (2130706433, 0x7f.1) into a dotted quad.
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname)) return { kind: classifyAddress(hostname)!, literal: true, name: hostname };

  return { kind: classifyName(hostname), literal: false, name: hostname };
}

function classifyName(name: string): HostClass {
  if (name === "localhost") return "loopback";
  if (METADATA_NAMES.has(name)) return "metadata";
  // Single-label names resolve through search domains to something inside the network.
  if (!name.includes(".")) return "private";
  if (PRIVATE_NAME_SUFFIXES.some((s) => name === s || name.endsWith(`.${s}`))) return "private";
  return "public-name";
}

/** Cloud instance-metadata services, by address. */
const METADATA_ADDRESSES = [
  "169.254.169.254/32", // AWS, GCP, Azure, OCI, ...
  "169.254.170.2/32", // AWS ECS task credentials
  "169.254.170.23/32", // AWS EKS Pod Identity credentials
  "fd00:ec2::23/128", // AWS EKS Pod Identity over IPv6 (a unique-local address: "private" otherwise)
  "168.63.129.16/32", // Azure WireServer (a public address: "public-ip" otherwise)
  "100.100.100.200/32", // Alibaba Cloud
  "fd00:ec2::254/128", // AWS over IPv6
].map((cidr) => ipaddr.parseCIDR(cidr));

/** ipaddr.js range names, and what each is to us; anything not listed is "reserved". */
const RANGE_CLASS: Record<string, HostClass> = {
  unicast: "public-ip",
  loopback: "loopback",
  private: "private",
  carrierGradeNat: "private",
  uniqueLocal: "private",
  deprecatedSiteLocal: "private",
  benchmarking: "private",
  linkLocal: "link-local",
  unspecified: "unspecified",
};

/**
 * Classify an IP address (any notation ipaddr.js reads; IPv6 without brackets). Addresses
 * that embed an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4) are judged by it.
 * Undefined when the text is not an IP address.
 */
export function classifyAddress(text: string): HostClass | undefined {
  if (text.includes("%") || !ipaddr.isValid(text)) return undefined; // zone ids are never acceptable here
  const address = ipaddr.parse(text);
  if (METADATA_ADDRESSES.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits))) return "metadata";
  if (address.kind() === "ipv6") {
    const embedded = embeddedIpv4(address as ipaddr.IPv6);
    if (embedded) return classifyAddress(embedded);
    // Deprecated IPv4-compatible ::a.b.c.d (but not :: and ::1).
    const parts = (address as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((p) => p === 0) && (parts[6] !== 0 || parts[7]! > 1)) return "reserved";
    if (parts[0] === 0x64 && parts[1] === 0xff9b && parts[2] === 1) return "private"; // local-use NAT64
  }
  return RANGE_CLASS[address.range()] ?? "reserved";
}

/** The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 address. */
function embeddedIpv4(address: ipaddr.IPv6): string | undefined {
  const p = address.parts;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  if (address.isIPv4MappedAddress()) return address.toIPv4Address().toString();
  if (p[0] === 0x64 && p[1] === 0xff9b && p.slice(2, 6).every((x) => x === 0)) return v4(p[6]!, p[7]!);
  if (p[0] === 0x2002) return v4(p[1]!, p[2]!);
  return undefined;
}
