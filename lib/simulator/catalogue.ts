// The fixed world every tenant shares: locations, names, departments, which platforms
// each demo tenant runs, and the planted stories (Dallas Wi-Fi, the carrier incident).
// Only the people, sessions and tests are drawn at random.
import type { Platform } from "../client/vocabulary.ts";

export const DEMO_TENANTS = ["acme", "globex", "initech"] as const;

export type Region = "AMERICAS" | "EMEA" | "APAC";

export interface CatalogueLocation {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly country: string;
  readonly latitude: number;
  readonly longitude: number;
  /** Fixed offset used for business hours (no daylight saving). */
  readonly utcOffsetMinutes: number;
  readonly region: Region;
  /** Three letters used in endpoint-client names, e.g. EPC-DAL-03. */
  readonly code: string;
  /** Typical round trip to the media relays, in ms. */
  readonly baseRtt: number;
  /** How many of a tenant's ~80 users work here. */
  readonly headcount: number;
  readonly networks: readonly string[];
}

type Row = [
  name: string,
  country: string,
  lat: number,
  lon: number,
  offset: number,
  region: Region,
  code: string,
  rtt: number,
  headcount: number,
];

const ROWS: Row[] = [
  ["Dallas", "United States", 32.7767, -96.797, -360, "AMERICAS", "DAL", 40, 9],
  ["New York", "United States", 40.7128, -74.006, -300, "AMERICAS", "NYC", 30, 8],
  ["San Francisco", "United States", 37.7749, -122.4194, -480, "AMERICAS", "SFO", 50, 6],
  ["Toronto", "Canada", 43.6532, -79.3832, -300, "AMERICAS", "TOR", 35, 5],
  ["São Paulo", "Brazil", -23.5505, -46.6333, -180, "AMERICAS", "SAO", 120, 5],
  ["London", "United Kingdom", 51.5074, -0.1278, 0, "EMEA", "LON", 25, 8],
  ["Frankfurt", "Germany", 50.1109, 8.6821, 60, "EMEA", "FRA", 30, 5],
  ["Paris", "France", 48.8566, 2.3522, 60, "EMEA", "PAR", 28, 5],
  ["Johannesburg", "South Africa", -26.2041, 28.0473, 120, "EMEA", "JNB", 160, 4],
  ["Dubai", "United Arab Emirates", 25.2048, 55.2708, 240, "EMEA", "DXB", 110, 4],
  ["Mumbai", "India", 19.076, 72.8777, 330, "APAC", "BOM", 140, 6],
  ["Singapore", "Singapore", 1.3521, 103.8198, 480, "APAC", "SIN", 90, 5],
  ["Tokyo", "Japan", 35.6762, 139.6503, 540, "APAC", "TYO", 100, 5],
  ["Sydney", "Australia", -33.8688, 151.2093, 600, "APAC", "SYD", 150, 5],
];

const slug = (name: string) =>
  name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-");

/** Sites named for more than their city; the comma is deliberate (a name a list filter must carry whole). */
const SITE_NAMES: Record<string, string> = { Paris: "Paris, La Défense" };

export const LOCATIONS: readonly CatalogueLocation[] = ROWS.map(
  ([city, country, latitude, longitude, utcOffsetMinutes, region, code, baseRtt, headcount], i) => ({
    id: `loc-${slug(city)}`,
    name: SITE_NAMES[city] ?? city,
    city,
    country,
    latitude,
    longitude,
    utcOffsetMinutes,
    region,
    code,
    baseRtt,
    headcount,
    networks: [`10.${i + 1}.0.0/20`, `10.${i + 1}.64.0/20`, `198.51.100.${i * 16}/28`],
  }),
);

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The location with Wi-Fi trouble in every tenant. */
export const WIFI_TROUBLE_LOCATION = "loc-dallas";

/** The carrier incident hits EXTERNAL sessions at the locations of this region... */
export const INCIDENT_REGION: Region = "AMERICAS";

/** Midnight UTC of the latest weekday on or before `ms` (at 14:00–20:00 UTC the whole region shares that date). */
export function weekdayOnOrBefore(ms: number): number {
  let day = ms - (ms % DAY_MS);
  while ([0, 6].includes(new Date(day).getUTCDay())) day -= DAY_MS;
  return day;
}

/**
 * ...for six hours from 14:00 UTC (08:00–14:00 in Dallas, 09:00–15:00 in New York: business
 * hours) on the latest weekday at least three days before the anchor. A weekend day would
 * leave the trunk a handful of calls (5 on a Saturday): the story must hold whatever day
 * the demo runs (test/drilldown-weekdays.test.ts checks ≥ 40 calls on the trunk).
 */
/** A query's time window (query.ts parses it; aggregate.ts buckets by it). */
export interface Window {
  /** Inclusive, ms. */
  from: number;
  /** Exclusive, ms. */
  to: number;
}

export function incidentWindow(anchor: number): { start: number; end: number } {
  const start = weekdayOnOrBefore(anchor - 3 * DAY_MS) + 14 * HOUR_MS;
  return { start, end: start + 6 * HOUR_MS };
}

export const FIRST_NAMES = [
  "Alice",
  "Bruno",
  "Chen",
  "Diana",
  "Emeka",
  "Fatima",
  "Gustav",
  "Hana",
  "Ivan",
  "Julia",
  "Kenji",
  "Laura",
  "Mateo",
  "Nadia",
  "Oliver",
  "Priya",
  "Quentin",
  "Rosa",
  "Samuel",
  "Tara",
  "Umar",
  "Vera",
  "William",
  "Ximena",
  "Yusuf",
  "Zoe",
  "Aarav",
  "Beatriz",
  "Connor",
  "Daniela",
  "Elif",
  "Felix",
  "Grace",
  "Hugo",
  "Ingrid",
  "Jamal",
  "Kiri",
  "Leon",
  "Mei",
  "Noah",
];

export const LAST_NAMES = [
  "Anderson",
  "Baptiste",
  "Costa",
  "Dubois",
  "Eriksson",
  "Fischer",
  "Garcia",
  "Hoffmann",
  "Ito",
  "Johnson",
  "Kowalski",
  "Lopez",
  "Martin",
  "Nakamura",
  "Okafor",
  "Patel",
  "Quinn",
  "Rossi",
  "Silva",
  "Tanaka",
  "Usman",
  "Varga",
  "Weber",
  "Xu",
  "Yamamoto",
  "Zhang",
  "Abbott",
  "Bennett",
  "Clarke",
  "Dias",
  "Evans",
  "Ferreira",
  "Gupta",
  "Hughes",
  "Iyer",
  "Jensen",
  "Khan",
  "Lambert",
  "Moreau",
  "Nguyen",
];

export const DEPARTMENTS = [
  "Sales",
  "Support",
  "Engineering",
  "Finance",
  "HR",
  "Marketing",
  "Operations",
  "Contact Centre",
];

export const PARTNER_DOMAINS = ["contoso.example", "fabrikam.example", "northwind.example"];

/** Enabled platforms per demo tenant (3–5 each); any other tenant gets the first list. */
export const TENANT_PLATFORMS: Record<string, readonly Platform[]> = {
  acme: ["TEAMS", "ZOOM", "CISCO_CUCM", "GENESYS"],
  globex: ["TEAMS", "ZOOM", "WEBEX", "AVAYA", "RINGCENTRAL"],
  initech: ["TEAMS", "WEBEX", "SKYPE_FOR_BUSINESS"],
};

/** How common each platform is among the sessions of a tenant that has it enabled. */
export const PLATFORM_WEIGHTS: Record<Platform, number> = {
  TEAMS: 5,
  ZOOM: 3,
  WEBEX: 2,
  CISCO_CUCM: 2,
  AVAYA: 2,
  GENESYS: 2,
  SKYPE_FOR_BUSINESS: 1,
  RINGCENTRAL: 1,
};

export const CONTACT_CENTRE_PLATFORMS: readonly Platform[] = ["GENESYS", "AVAYA"];

/** Relative session volume by local hour on a weekday; weekends get 15 % of it. */
export const WEEKDAY_HOUR_WEIGHTS = [
  0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.4, 1.5, 6, 9, 10, 9, 6, 8, 9, 9, 7, 4, 1.5, 0.8, 0.5, 0.3, 0.15, 0.08,
];
export const WEEKEND_FACTOR = 0.15;
