// What kind of host a URL names: a public name, loopback, a private network, link-local,
// a cloud metadata service, an unspecified or reserved address. Hosts are read through the
// WHATWG URL parser first, the same parser the HTTP client uses, so that odd spellings
// (`2130706433`, `0x7f.1`, `[::ffff:a00:1]`, percent-encoding, IDN) are judged by the
// address they really name; addresses are parsed and their ranges named by ipaddr.js.
// The URL policy (url-policy.ts) and the Host/Origin guard decide on these classes.
import ipaddr from "ipaddr.js";
import { canonicalHost } from "./dxp-url.ts";

export type HostClass =
  | "public-name"
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "public-ip"
  | "reserved";

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

export interface AnalyzedHost {
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

export function analyzeHost(input: string): AnalyzedHost {
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
  if (ipaddr.IPv4.isValidFourPartDecimal(hostname))
    return { kind: classifyAddress(hostname)!, literal: true, name: hostname };

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
  if (METADATA_ADDRESSES.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits)))
    return "metadata";
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
