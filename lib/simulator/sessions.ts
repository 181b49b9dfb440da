// Session generation. Planted structure: Dallas Wi-Fi jitter, and a carrier incident
// on EXTERNAL calls in the Americas (catalogue.ts, incidentWindow) on one carrier's trunk;
// the headset and client-version causes come from equipment.ts.
import type { Modality, Platform, Quality, SessionScenario, SessionType } from "../client/vocabulary.ts";
import {
  type CatalogueLocation,
  CONTACT_CENTRE_PLATFORMS,
  FIRST_NAMES,
  HOUR_MS,
  INCIDENT_REGION,
  incidentWindow,
  LAST_NAMES,
  LOCATIONS,
  PARTNER_DOMAINS,
  PLATFORM_WEIGHTS,
  WEEKDAY_HOUR_WEIGHTS,
  WEEKEND_FACTOR,
  WIFI_TROUBLE_LOCATION,
} from "./catalogue.ts";
import { drawEquipment, equipmentPenalty, INCIDENT_CARRIER } from "./equipment.ts";
import { between, exponential, intBetween, mulberry32, type Rng, searchCumulative, uuid, weighted } from "./random.ts";
import { storyEffect, storyWindows } from "./stories.ts";
import type { GenerateOptions, SimUser } from "./users.ts";

export type ContactCentreFlag = "AGENT" | "ACD" | "IVR" | "CUSTOMER";
export type QualityType = "PEER2PEER" | "PSTN" | "CONFERENCE" | "WEBINAR";

/**
 * One session. Every field is a small integer, null or a shared reference, so the
 * 20,000 objects of a tenant cost one allocation each (no boxed doubles, no strings):
 * generation stays fast. render.ts turns one into the API's JSON.
 */
export interface SimSession {
  /** Generation order: the id and the tie-break of every sort derive from it. */
  readonly index: number;
  /** Start, in seconds since the epoch. */
  readonly startSec: number;
  /** Seconds. */
  readonly duration: number;
  readonly user: SimUser;
  /** The other party when it is a user of the tenant (INTERNAL); else `to` derives from toSeed. */
  readonly peer: SimUser | null;
  readonly toSeed: number;
  readonly modality: Modality;
  readonly sessionType: SessionType;
  readonly sessionScenario: SessionScenario;
  readonly qualityType: QualityType;
  readonly platform: Platform;
  readonly nectarScore: number | null;
  readonly quality: Quality;
  /** Jitter in tenths of a ms; null without telemetry (quality UNKNOWN). */
  readonly jitter10: number | null;
  /** Packet loss in hundredths of a percent. */
  readonly loss100: number | null;
  /** Round-trip delay in ms. */
  readonly rtt: number | null;
  readonly streams: number;
  /** Shared, frozen. */
  readonly contactCentre: readonly ContactCentreFlag[];
  /** The caller's leg (equipment.ts): indexes into NETWORK_TYPES, DEVICES, CLIENTS, CARRIERS (-1: not PSTN). */
  readonly network: number;
  readonly vpn: boolean;
  readonly device: number;
  readonly client: number;
  /** Shared string: the media relay or SBC. */
  readonly server: string;
  readonly carrier: number;
}

export function scoreQuality(score: number | null): Quality {
  if (score === null) return "UNKNOWN";
  return score >= 70 ? "GOOD" : score >= 40 ? "AVERAGE" : "CRITICAL";
}

/** Cumulative session weight of each hour slot in a location's local business cycle. */
function hourSlotTable(location: CatalogueLocation, start: number, hours: number): Float64Array {
  const table = new Float64Array(hours);
  let total = 0;
  for (let i = 0; i < hours; i++) {
    const local = new Date(start + i * HOUR_MS + location.utcOffsetMinutes * 60_000);
    const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
    total += WEEKDAY_HOUR_WEIGHTS[local.getUTCHours()]! * (weekend ? WEEKEND_FACTOR : 1);
    table[i] = total;
  }
  return table;
}

const pickScenario = weighted<SessionScenario>([
  ["INTERNAL", 55],
  ["EXTERNAL", 25],
  ["FEDERATED", 20],
]);
const pickModality = weighted<Modality>([
  ["AUDIO", 52],
  ["VIDEO", 22],
  ["APP_SHARING", 10],
  ["CONVERSATION", 13],
  ["UNKNOWN", 3],
]);
const pickExternalType = weighted<SessionType>([
  ["PEER2PEER", 80],
  ["PEER_TO_PEER", 20],
]);
const pickVideoType = weighted<SessionType>([
  ["PEER2PEER_MULTIMEDIA", 35],
  ["PEER_TO_PEER_MULTIMEDIA", 10],
  ["CONFERENCE", 45],
  ["WEBINAR", 10],
]);
const pickShareType = weighted<SessionType>([
  ["CONFERENCE", 60],
  ["PEER2PEER_MULTIMEDIA", 25],
  ["WEBINAR", 15],
]);
const pickOtherType = weighted<SessionType>([
  ["PEER2PEER", 45],
  ["PEER_TO_PEER", 10],
  ["CONFERENCE", 38],
  ["WEBINAR", 7],
]);
const AREA_CODES = ["214", "212", "415", "416", "312", "646", "469", "617"];

/** Every combination of contact-centre flags, shared by the sessions that carry it. */
const FLAG_ORDER: readonly ContactCentreFlag[] = ["CUSTOMER", "IVR", "ACD", "AGENT"];
const FLAG_SETS = Array.from({ length: 16 }, (_, mask) =>
  Object.freeze(FLAG_ORDER.filter((_, bit) => mask & (1 << bit))),
);

export function generateSessions(
  rng: Rng,
  users: SimUser[],
  enabled: readonly Platform[],
  start: number,
  options: GenerateOptions,
  equipmentRng: Rng,
  storiesRng: Rng,
): SimSession[] {
  const hours = options.days * 24;
  const startSec = start / 1000;
  const tables = LOCATIONS.map((location) => hourSlotTable(location, start, hours));
  const locationIndex = new Map(LOCATIONS.map((location, i) => [location, i]));
  const pickPlatform = weighted(enabled.map((platform) => [platform, PLATFORM_WEIGHTS[platform]] as const));
  const incident = incidentWindow(options.anchor);
  const incidentStart = incident.start / 1000;
  const incidentEnd = incident.end / 1000;
  const stories = storyWindows(options.anchor);
  const sessions: SimSession[] = [];

  for (let index = 0; index < options.sessions; index++) {
    const userIndex = Math.floor(rng() * users.length);
    const user = users[userIndex]!;
    const location = user.location;
    const table = tables[locationIndex.get(location)!]!;
    const slot = searchCumulative(table, rng() * table[hours - 1]!);
    const at = startSec + slot * 3600 + Math.floor(rng() * 3600);
    const platform = pickPlatform(rng);
    let flags = 0;
    if (CONTACT_CENTRE_PLATFORMS.includes(platform) && rng() < 0.5) {
      flags = 1 | (rng() < 0.8 ? 2 : 0) | (rng() < 0.6 ? 4 : 0) | (rng() < 0.7 ? 8 : 0);
    }
    const scenario: SessionScenario = flags ? "EXTERNAL" : pickScenario(rng);
    const modality: Modality = scenario === "EXTERNAL" ? (rng() < 0.97 ? "AUDIO" : "UNKNOWN") : pickModality(rng);
    const sessionType =
      scenario === "EXTERNAL"
        ? pickExternalType(rng)
        : modality === "VIDEO"
          ? pickVideoType(rng)
          : modality === "APP_SHARING"
            ? pickShareType(rng)
            : pickOtherType(rng);
    const qualityType: QualityType =
      scenario === "EXTERNAL"
        ? "PSTN"
        : sessionType === "CONFERENCE" || sessionType === "WEBINAR"
          ? sessionType
          : "PEER2PEER";
    let peer: SimUser | null = null;
    if (scenario === "INTERNAL") {
      const other = Math.floor(rng() * (users.length - 1));
      peer = users[other >= userIndex ? other + 1 : other]!;
    }
    const toSeed = Math.floor(rng() * 0x40000000);

    const duration = Math.round(
      modality === "CONVERSATION"
        ? between(rng, 30, 1200)
        : qualityType === "WEBINAR"
          ? between(rng, 1800, 5400)
          : qualityType === "CONFERENCE"
            ? between(rng, 600, 3600)
            : 15 + exponential(rng, 420),
    );
    const streams =
      qualityType === "WEBINAR"
        ? intBetween(rng, 10, 60)
        : qualityType === "CONFERENCE"
          ? intBetween(rng, 3, 12)
          : sessionType.endsWith("MULTIMEDIA")
            ? 4
            : 2;

    // Network: a quiet baseline, occasional trouble anywhere, Dallas Wi-Fi, the carrier incident.
    let jitter = 2 + exponential(rng, 6);
    let loss = exponential(rng, 0.3);
    let rtt = location.baseRtt + (scenario === "EXTERNAL" ? 20 : 0) + exponential(rng, 20);
    const trouble = rng();
    if (trouble < 0.015) loss += between(rng, 2, 8);
    else if (trouble < 0.03) rtt += between(rng, 250, 500);
    else if (trouble < 0.045) jitter += between(rng, 25, 50);
    const wifiTrouble = location.id === WIFI_TROUBLE_LOCATION && rng() < 0.6;
    if (wifiTrouble) {
      jitter = between(rng, 40, 120);
      loss += between(rng, 0, 2);
    }
    const equipment = drawEquipment(
      equipmentRng,
      {
        platform,
        location,
        userDevice: user.device,
        external: scenario === "EXTERNAL",
        startMs: at * 1000,
        wifiTrouble,
      },
      options.anchor,
    );
    if (scenario === "EXTERNAL" && location.region === INCIDENT_REGION && at >= incidentStart && at < incidentEnd) {
      // Drawn for every call in the window (the first stream stays aligned); only the incident carrier's trunk loses packets.
      // At ≥ 9% loss every call scores under 40 (CRITICAL): at 5% many stayed AVERAGE, so the incident's edge hours
      // were only half poor and its start and end blurred into the trunk's ordinary hours (15–20% poor).
      const incidentLoss = between(rng, 9, 15);
      const incidentJitter = between(rng, 10, 30);
      if (equipment.carrier === INCIDENT_CARRIER) {
        loss = incidentLoss;
        jitter += incidentJitter;
      }
    }
    // The time-bound stories (stories.ts) draw from their own stream, only for the sessions they touch.
    const story = storyEffect(
      storiesRng,
      {
        locationId: location.id,
        startMs: at * 1000,
        server: equipment.server,
        conference: qualityType === "CONFERENCE" || qualityType === "WEBINAR",
      },
      stories,
    );
    loss += story.loss;
    rtt += story.rtt;
    jitter += story.jitter;
    const penalty = equipmentPenalty(equipmentRng, equipment);
    loss += penalty.loss;
    let score =
      92 + rng() * 8 - Math.max(0, jitter - 20) * 0.7 - loss * 7 - Math.max(0, rtt - 200) * 0.1 - penalty.score;
    if (rng() < 0.08) score -= between(rng, 10, 45);
    const unknown = rng() < 0.03;
    const nectarScore = unknown ? null : Math.max(0, Math.min(100, Math.round(score)));

    sessions.push({
      index,
      startSec: at,
      duration,
      user,
      peer,
      toSeed,
      modality,
      sessionType,
      sessionScenario: scenario,
      qualityType,
      platform,
      nectarScore,
      quality: scoreQuality(nectarScore),
      jitter10: unknown ? null : Math.round(jitter * 10),
      loss100: unknown ? null : Math.round(loss * 100),
      rtt: unknown ? null : Math.round(rtt),
      streams,
      contactCentre: FLAG_SETS[flags]!,
      ...equipment,
    });
  }
  return sessions.sort((a, b) => a.startSec - b.startSec || a.index - b.index);
}

export const jitterMs = (s: SimSession) => (s.jitter10 === null ? null : s.jitter10 / 10);
export const packetLossPercent = (s: SimSession) => (s.loss100 === null ? null : s.loss100 / 100);

/** The session's id: uuid-looking, a pure function of the tenant's id seed and the index. */
export const sessionId = (data: { readonly idSeed: number }, session: SimSession) =>
  uuid(mulberry32(data.idSeed ^ Math.imul(session.index + 1, 0x9e3779b1)));

/** The `to` party: a user, a federated address or a phone number. */
export function sessionTo(session: SimSession): string {
  if (session.peer) return session.peer.email;
  const seed = session.toSeed;
  if (session.sessionScenario === "FEDERATED") {
    const first = FIRST_NAMES[seed % FIRST_NAMES.length]!;
    const last = LAST_NAMES[Math.floor(seed / FIRST_NAMES.length) % LAST_NAMES.length]!;
    return `${first}.${last}@${PARTNER_DOMAINS[Math.floor(seed / 1600) % PARTNER_DOMAINS.length]}`.toLowerCase();
  }
  return `+1${AREA_CODES[seed % AREA_CODES.length]}555${String(Math.floor(seed / 8) % 10000).padStart(4, "0")}`;
}
