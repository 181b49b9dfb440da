// Which DXP base URLs we are willing to send credentials to. Over HTTP a client names the
// DXP URL in a header (`X-Nectar-DXP-URL`), so without this check the server would carry the
// caller's token, or make requests from inside our network, to any address it is given (SSRF).
//
// Hosts are read through the WHATWG URL parser first, the same parser the HTTP client uses,
// so that odd spellings (`2130706433`, `0x7f.1`, `[::ffff:a00:1]`, percent-encoding, IDN)
// are judged by the address they really name.

import { ConfigurationError } from "../errors.ts";

export interface UrlPolicy {
  /** Host patterns the DXP URL may name: exact hosts or `*.suffix` wildcards (matches subdomains only, not the bare suffix). `*` alone means any public name. Default ["*.nectar.services"]. */
  allowedHosts: readonly string[];
  /** Allow IP literals and private/link-local/loopback addresses, and private names under `*` (default false). Metadata, unspecified and reserved addresses stay refused. */
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
 * Residual risk: we do not resolve DNS here. A name that matches `allowedHosts` but resolves to
 * a private, loopback or metadata address (or is rebound to one later) passes this check. The
 * default allow-list names only Nectar's own domain, which keeps that risk with Nectar's DNS;
 * operators who widen the list (or use `*`) accept it for the names they add.
 */
export function checkDxpUrl(raw: string, policy?: Partial<UrlPolicy>): string {
  const p: UrlPolicy = { ...DEFAULT_URL_POLICY, ...stripUndefined(policy) };
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

  if (host.kind === "metadata" || host.kind === "unspecified" || host.kind === "reserved") {
    throw new ConfigurationError(
      `The DXP URL names ${describe(host.kind)} (${shown}), which is never accepted.`,
      ACCEPTED,
    );
  }

  if (host.literal) {
    if (!p.allowPrivateAddresses) {
      throw new ConfigurationError(
        `The DXP URL names an IP address (${shown}, ${describe(host.kind)}); only host names are accepted.`,
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

/** Build a policy from environment-style strings: comma-separated hosts; "true"/"1" booleans. */
export function parseUrlPolicy(env: {
  allowedHosts?: string;
  allowPrivate?: string;
  allowLoopbackHttp?: string;
}): UrlPolicy {
  const hosts = (env.allowedHosts ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "")
    .map(normalizePattern);
  return {
    allowedHosts: hosts.length > 0 ? hosts : [...DEFAULT_URL_POLICY.allowedHosts],
    allowPrivateAddresses: isTrue(env.allowPrivate),
    allowLoopbackHttp: isTrue(env.allowLoopbackHttp),
  };
}

// ---------------------------------------------------------------------------------------------

function stripUndefined(policy?: Partial<UrlPolicy>): Partial<UrlPolicy> {
  const out: Partial<UrlPolicy> = {};
  if (policy?.allowedHosts !== undefined) out.allowedHosts = policy.allowedHosts;
  if (policy?.allowPrivateAddresses !== undefined) out.allowPrivateAddresses = policy.allowPrivateAddresses;
  if (policy?.allowLoopbackHttp !== undefined) out.allowLoopbackHttp = policy.allowLoopbackHttp;
  return out;
}

function isTrue(value: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  return v === "true" || v === "1";
}

function normalized(scheme: string, hostName: string, url: URL): string {
  const port = url.port ? `:${url.port}` : "";
  const path = url.pathname.replace(/\/+$/, "");
  return `${scheme}://${hostName}${port}${path}`;
}

function describe(kind: HostClass): string {
  switch (kind) {
    case "loopback":
      return "a loopback address";
    case "private":
      return "a private address";
    case "link-local":
      return "a link-local address";
    case "metadata":
      return "a cloud metadata service";
    case "unspecified":
      return "an unspecified address";
    case "reserved":
      return "a reserved or unusable address";
    case "public-ip":
      return "a public address";
    case "public-name":
      return "a host name";
  }
}

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
    hostname = url.hostname;
  } catch {
    return reserved;
  }

  if (hostname.startsWith("[")) {
    const groups = parseIpv6(hostname.slice(1, -1));
    if (!groups) return reserved;
    return { kind: classifyIpv6(groups), literal: true, name: hostname };
  }
  const v4 = parseIpv4(hostname);
  if (v4 !== undefined) return { kind: classifyIpv4(v4), literal: true, name: hostname };

  const name = hostname.replace(/\.$/, "");
  return { kind: classifyName(name), literal: false, name };
}

function classifyName(name: string): HostClass {
  if (name === "localhost") return "loopback";
  if (METADATA_NAMES.has(name)) return "metadata";
  // Single-label names resolve through search domains to something inside the network.
  if (!name.includes(".")) return "private";
  if (PRIVATE_NAME_SUFFIXES.some((s) => name === s || name.endsWith(`.${s}`))) return "private";
  return "public-name";
}

/** Dotted-quad IPv4 (the URL parser has already turned other spellings into this) as a number. */
function parseIpv4(host: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((n) => n > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function inV4(addr: number, base: string, bits: number): boolean {
  const b = parseIpv4(base)!;
  if (bits === 0) return true;
  const mask = bits === 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1)) >>> 0;
  return ((addr & mask) >>> 0) === ((b & mask) >>> 0);
}

function classifyIpv4(addr: number): HostClass {
  if (inV4(addr, "169.254.169.254", 32)) return "metadata"; // AWS, GCP, Azure, OCI, ...
  if (inV4(addr, "169.254.170.2", 32)) return "metadata"; // AWS ECS task credentials
  if (inV4(addr, "100.100.100.200", 32)) return "metadata"; // Alibaba Cloud
  if (inV4(addr, "0.0.0.0", 8)) return "unspecified"; // "this network"; 0.0.0.0 reaches localhost on Linux
  if (inV4(addr, "127.0.0.0", 8)) return "loopback";
  if (inV4(addr, "10.0.0.0", 8)) return "private";
  if (inV4(addr, "172.16.0.0", 12)) return "private";
  if (inV4(addr, "192.168.0.0", 16)) return "private";
  if (inV4(addr, "100.64.0.0", 10)) return "private"; // CGNAT
  if (inV4(addr, "198.18.0.0", 15)) return "private"; // benchmarking
  if (inV4(addr, "169.254.0.0", 16)) return "link-local";
  if (inV4(addr, "192.0.0.0", 24)) return "reserved"; // IETF protocol assignments
  if (inV4(addr, "192.0.2.0", 24)) return "reserved"; // documentation
  if (inV4(addr, "198.51.100.0", 24)) return "reserved"; // documentation
  if (inV4(addr, "203.0.113.0", 24)) return "reserved"; // documentation
  if (inV4(addr, "192.88.99.0", 24)) return "reserved"; // 6to4 relay anycast
  if (inV4(addr, "224.0.0.0", 4)) return "reserved"; // multicast
  if (inV4(addr, "240.0.0.0", 4)) return "reserved"; // future use and broadcast
  return "public-ip";
}

/** Eight 16-bit groups, or undefined. Accepts "::" compression and a trailing dotted IPv4. */
function parseIpv6(text: string): number[] | undefined {
  if (text.includes("%")) return undefined; // zone ids are never acceptable here
  let body = text.toLowerCase();
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (dotted) {
    const v4 = parseIpv4(dotted[2]!);
    if (v4 === undefined) return undefined;
    tail.push(v4 >>> 16, v4 & 0xffff);
    body = dotted[1]!.endsWith("::") ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 2) {
    if (given > 7) return undefined;
    return [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  }
  if (given !== 8) return undefined;
  return [...head, ...tail];
}

function classifyIpv6(g: number[]): HostClass {
  const embeddedV4 = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);

  if (zeros(0, 8)) return "unspecified"; // ::
  if (zeros(0, 7) && g[7] === 1) return "loopback"; // ::1
  if (zeros(0, 5) && g[5] === 0xffff) return classifyIpv4(embeddedV4(g[6]!, g[7]!)); // ::ffff:a.b.c.d
  if (zeros(0, 6)) return "reserved"; // deprecated IPv4-compatible ::a.b.c.d
  if (g[0] === 0xfd00 && g[1] === 0x0ec2 && zeros(2, 7) && g[7] === 0x254) return "metadata"; // AWS fd00:ec2::254
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) {
    // NAT64 64:ff9b::/96 reaches the embedded IPv4 address.
    return classifyIpv4(embeddedV4(g[6]!, g[7]!));
  }
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "private"; // local-use NAT64
  if (g[0] === 0x2002) {
    // 6to4 2002::/16 embeds an IPv4 address: judge by it.
    return classifyIpv4(embeddedV4(g[1]!, g[2]!));
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return "private"; // fc00::/7 unique local
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local"; // fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return "private"; // fec0::/10 deprecated site-local
  if ((g[0]! & 0xff00) === 0xff00) return "reserved"; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "reserved"; // documentation
  if (g[0] === 0x2001 && g[1] === 0) return "reserved"; // Teredo (hides an IPv4 address)
  if ((g[0]! & 0xe000) !== 0x2000) return "reserved"; // outside 2000::/3 global unicast
  return "public-ip";
}
