// What each call ran over: network, device, client, media server and (for PSTN) carrier
// trunk. Drawn from a second PRNG stream so the first stream — and with it every session's
// time, user, platform and base metrics — is what it was before these existed. Four causes
// are planted here, each provable only by a breakdown along its dimension:
//   Dallas Wi-Fi (the jitter of sessions.ts lands on Wi-Fi legs; wired calls there are fine),
//   the carrier incident (only one carrier's trunk loses packets),
//   one headset model that is poor at every site,
//   one client version that regresses from the day it rolls out.

import { NETWORK_TYPES as NETWORK_TYPE_NAMES, type Platform } from "../client/vocabulary.ts";
import { type CatalogueLocation, DAY_MS, type Region } from "./catalogue.ts";
import { between, type Rng, weighted } from "./random.ts";

/** Fictional models: the planted fault must not be read as a statement about a real product. */
export const DEVICES = [
  "Auralis H300 headset",
  "Sonata Pro 2 headset",
  "Kestrel K5 headset",
  "Vocalis S40 speakerphone",
  "Built-in laptop audio",
  "Desk phone handset",
] as const;
/** The headset that is poor at every site. */
export const BAD_DEVICE = DEVICES.indexOf("Kestrel K5 headset");
const BUILT_IN = DEVICES.indexOf("Built-in laptop audio");
const SPEAKERPHONE = DEVICES.indexOf("Vocalis S40 speakerphone");
const DESK_PHONE = DEVICES.indexOf("Desk phone handset");

export interface ClientBuild {
  readonly platform: Platform;
  readonly type: "DESKTOP" | "WEB" | "MOBILE" | "IP_PHONE";
  readonly version: string;
}

const DESK_PHONE_PLATFORMS: readonly Platform[] = ["CISCO_CUCM", "AVAYA"];
const LABEL: Record<Platform, string> = {
  TEAMS: "Teams",
  ZOOM: "Zoom",
  WEBEX: "Webex",
  CISCO_CUCM: "CUCM",
  AVAYA: "Avaya",
  GENESYS: "Genesys",
  SKYPE_FOR_BUSINESS: "Skype",
  RINGCENTRAL: "RingCentral",
};

/** The client version that regresses, and what it replaces. */
export const REGRESSED_CLIENT = "Teams 25.1.0";
const PREVIOUS_CLIENT = "Teams 24.9.1";

/** The regressed version rolls out at 00:00 UTC ten days before the anchor. */
export function regressionStart(anchor: number): number {
  const day = anchor - 10 * DAY_MS;
  return day - (day % DAY_MS);
}

/** Every build a session can run, in a fixed order (indexes are stored per session). */
export const CLIENTS: readonly ClientBuild[] = (Object.keys(LABEL) as Platform[]).flatMap((platform) => {
  const name = LABEL[platform];
  const builds: ClientBuild[] =
    platform === "TEAMS"
      ? [
          { platform, type: "DESKTOP", version: PREVIOUS_CLIENT },
          { platform, type: "DESKTOP", version: REGRESSED_CLIENT },
        ]
      : [{ platform, type: "DESKTOP", version: `${name} 6.4.2` }];
  builds.push(
    { platform, type: "WEB", version: `${name} web` },
    { platform, type: "MOBILE", version: `${name} mobile 5.2` },
  );
  if (DESK_PHONE_PLATFORMS.includes(platform))
    builds.push({ platform, type: "IP_PHONE", version: `${name} phone 14.2` });
  return builds;
});
const clientIndex = (platform: Platform, version: string) =>
  CLIENTS.findIndex((c) => c.platform === platform && c.version === version);

/** Media relays by region; PSTN calls go through the region's SBC instead. */
export const SERVERS: Record<Region, readonly string[]> = {
  AMERICAS: ["relay-us-east-1", "relay-us-central-1"],
  EMEA: ["relay-eu-west-1", "relay-eu-central-1"],
  APAC: ["relay-ap-southeast-1", "relay-ap-south-1"],
};
export const SBC: Record<Region, string> = { AMERICAS: "sbc-dal-1", EMEA: "sbc-lon-1", APAC: "sbc-sin-1" };

/** Fictional carriers, each with one SIP trunk; the first of the Americas has the incident. */
export const CARRIERS = [
  "Northline Telecom / trunk NLT-2",
  "Tri-State Voice / trunk TSV-1",
  "EuroLink Voice / trunk ELV-4",
  "Pacific Carrier / trunk PCX-1",
] as const;
export const INCIDENT_CARRIER = 0;
const REGION_CARRIERS: Record<Region, (rng: Rng) => number> = {
  AMERICAS: weighted([
    [0, 70],
    [1, 30],
  ]),
  EMEA: weighted([[2, 100]]),
  APAC: weighted([
    [3, 80],
    [1, 20],
  ]),
};

/** Each user's own headset: a stable hash of the user, and the second user of every site has the Kestrel. */
export function userDevice(positionInLocation: number, hash: number): number {
  if (positionInLocation === 1) return BAD_DEVICE;
  const headsets = [DEVICES.indexOf("Auralis H300 headset"), DEVICES.indexOf("Sonata Pro 2 headset")];
  return headsets[hash % headsets.length]!;
}

export interface Equipment {
  network: number;
  vpn: boolean;
  device: number;
  client: number;
  server: string;
  carrier: number;
}

const pickOfficeNetwork = weighted<number>([
  [0, 55],
  [1, 40],
  [2, 5],
]);
const pickDallasCalmNetwork = weighted<number>([
  [0, 88],
  [1, 7],
  [2, 5],
]);

/**
 * One session's equipment. `wifiTrouble` is the Dallas draw of sessions.ts: those
 * sessions are on Wi-Fi; the rest of Dallas is mostly wired.
 */
export function drawEquipment(
  rng: Rng,
  s: {
    platform: Platform;
    location: CatalogueLocation;
    userDevice: number;
    external: boolean;
    startMs: number;
    wifiTrouble: boolean;
  },
  anchor: number,
): Equipment {
  const network = s.wifiTrouble
    ? 1
    : s.location.id === "loc-dallas"
      ? pickDallasCalmNetwork(rng)
      : pickOfficeNetwork(rng);
  // The Dallas trouble is the office Wi-Fi: those calls are on-site, never over the VPN.
  const vpn = rng() < 0.08 && network !== 2 && !s.wifiTrouble;
  const deskPhone = DESK_PHONE_PLATFORMS.includes(s.platform) && rng() < 0.6;
  const roll = rng();
  const device = deskPhone ? DESK_PHONE : roll < 0.8 ? s.userDevice : roll < 0.95 ? BUILT_IN : SPEAKERPHONE;
  let client: number;
  if (deskPhone) client = clientIndex(s.platform, `${LABEL[s.platform]} phone 14.2`);
  else if (network === 2) client = CLIENTS.findIndex((c) => c.platform === s.platform && c.type === "MOBILE");
  else if (rng() < 0.15) client = CLIENTS.findIndex((c) => c.platform === s.platform && c.type === "WEB");
  else if (s.platform === "TEAMS")
    client = clientIndex(
      "TEAMS",
      s.startMs >= regressionStart(anchor) && rng() < 0.5 ? REGRESSED_CLIENT : PREVIOUS_CLIENT,
    );
  else client = CLIENTS.findIndex((c) => c.platform === s.platform && c.type === "DESKTOP");
  const region = s.location.region;
  const server = s.external ? SBC[region] : SERVERS[region][Math.floor(rng() * 2)]!;
  const carrier = s.external ? REGION_CARRIERS[region](rng) : -1;
  return { network, vpn, device, client, server, carrier };
}

/** The score a bad headset or the regressed client takes off (network metrics stay as they are for the headset). */
export function equipmentPenalty(rng: Rng, e: Equipment): { score: number; loss: number } {
  let score = 0;
  let loss = 0;
  if (e.device === BAD_DEVICE) score += between(rng, 35, 65);
  if (CLIENTS[e.client]?.version === REGRESSED_CLIENT) {
    score += between(rng, 25, 50);
    loss += between(rng, 1, 3);
  }
  return { score, loss };
}

/** A session's caller-leg equipment by name, as the API spells it. */
export const networkTypeName = (s: { network: number }) => NETWORK_TYPE_NAMES[s.network]!;
export const deviceName = (s: { device: number }) => DEVICES[s.device]!;
export const clientOf = (s: { client: number }) => CLIENTS[s.client]!;
export const carrierName = (s: { carrier: number }) => (s.carrier < 0 ? null : CARRIERS[s.carrier]!);
