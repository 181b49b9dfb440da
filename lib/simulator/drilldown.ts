// The drill-down answers: one session's legs, diagnostics and related sessions; the
// breakdown of sessions by one dimension; one user's summaries. Each leg's metrics follow
// the planted cause, so the leg that carries the trouble is the one a reader sees it on.
import type { Diagnostics, GroupQuality, Stream, UserQuality, UserQuantity } from "../client/schemas.ts";
import type { BreakdownDimension } from "../client/vocabulary.ts";
import { NETWORK_TYPES } from "../client/vocabulary.ts";
import { fold } from "../closest.ts";
import { average, avgNectarScore, countsOf, groupBy, round, THRESHOLDS } from "./aggregate.ts";
import { incidentWindow, WIFI_TROUBLE_LOCATION } from "./catalogue.ts";
import { startMs, type TenantData } from "./data.ts";
import {
  BAD_DEVICE,
  CARRIERS,
  CLIENTS,
  carrierName,
  clientOf,
  DEVICES,
  deviceName,
  INCIDENT_CARRIER,
  networkTypeName,
  REGRESSED_CLIENT,
  SBC,
} from "./equipment.ts";
import { hashSeed, mulberry32 } from "./random.ts";
import { jitterMs, packetLossPercent, type SimSession, sessionId, sessionTo } from "./sessions.ts";
import type { SimUser } from "./users.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** MOS from the Nectar score: a rough linear map onto 1–4.5 (the platform's own mapping is not public). */
const mosOf = (score: number | null) => (score === null ? null : round(1 + (3.5 * score) / 100, 2));

/** What the callee's side ran: stable per session, drawn from a hash of it. */
function calleeLeg(s: SimSession): { network: number; device: number; client: number } {
  const rng = mulberry32(hashSeed("callee", s.index, s.toSeed));
  const roll = rng();
  const network = roll < 0.6 ? 0 : roll < 0.95 ? 1 : 2;
  // The session's score follows the caller's equipment, so the callee never brings the bad headset.
  const device =
    s.peer && s.peer.device !== BAD_DEVICE && rng() < 0.8 ? s.peer.device : DEVICES.indexOf("Built-in laptop audio");
  const client = CLIENTS.findIndex(
    (c) => c.platform === s.platform && c.type === (network === 2 ? "MOBILE" : "DESKTOP"),
  );
  return { network, device, client };
}

/** Which planted cause (if any) explains this session's trouble, and so which leg carries it. */
function causeOf(s: SimSession, anchor: number): "wifi" | "carrier" | "device" | "client" | null {
  const incident = incidentWindow(anchor);
  if (
    s.carrier === INCIDENT_CARRIER &&
    startMs(s) >= incident.start &&
    startMs(s) < incident.end &&
    (s.loss100 ?? 0) > 300
  )
    return "carrier";
  if (s.user.location.id === WIFI_TROUBLE_LOCATION && NETWORK_TYPES[s.network] === "WIFI" && (s.jitter10 ?? 0) > 300)
    return "wifi";
  if (s.device === BAD_DEVICE) return "device";
  if (CLIENTS[s.client]?.version === REGRESSED_CLIENT) return "client";
  return null;
}

/** Quiet metrics for the leg without the trouble. */
function calmMetrics(s: SimSession) {
  const rng = mulberry32(hashSeed("calm", s.index));
  return {
    jitter: round(2 + rng() * 6, 1),
    packetLoss: round(rng() * 0.3, 2),
    roundTripDelay: Math.round(s.user.location.baseRtt + rng() * 20),
  };
}

function codecOf(s: SimSession): string {
  if (s.sessionScenario === "EXTERNAL") return "G.711";
  return s.modality === "VIDEO"
    ? "H.264 + Opus"
    : s.platform === "TEAMS" || s.platform === "SKYPE_FOR_BUSINESS"
      ? "SATIN"
      : "Opus";
}

function subnetOf(user: SimUser, network: number, vpn: boolean): { subnet: string; matchedLocation: string | null } {
  if (vpn) return { subnet: "100.64.12.0/22", matchedLocation: null };
  if (NETWORK_TYPES[network] === "CELLULAR") return { subnet: "carrier-grade NAT", matchedLocation: null };
  // The first corporate range is the wired LAN, the second the Wi-Fi.
  return {
    subnet: user.location.networks[NETWORK_TYPES[network] === "WIFI" ? 1 : 0]!,
    matchedLocation: user.location.name,
  };
}

export function streamsJson(data: TenantData, s: SimSession, anchor: number): Stream[] {
  const id = sessionId(data, s).slice(0, 8);
  const cause = causeOf(s, anchor);
  const own = { jitter: jitterMs(s), packetLoss: packetLossPercent(s), roundTripDelay: s.rtt };
  const calm = calmMetrics(s);
  const mos = mosOf(s.nectarScore);
  const client = clientOf(s);
  const caller: Stream = {
    streamId: `${id}-1`,
    participant: s.user.email,
    networkType: networkTypeName(s),
    vpn: s.vpn,
    ...subnetOf(s.user, s.network, s.vpn),
    captureDevice: deviceName(s),
    renderDevice: deviceName(s),
    clientType: client.type,
    clientVersion: client.version,
    server: s.server,
    carrier: null,
    codec: codecOf(s),
    ...(cause === "carrier" ? calm : own),
    mos: cause === "carrier" ? 4.3 : mos,
  };
  let other: Stream;
  // A far end with no endpoint agent of the tenant's (PSTN, a bridge, a federated user) reports no device or network.
  const NO_AGENT = {
    networkType: null,
    vpn: null,
    subnet: null,
    matchedLocation: null,
    captureDevice: null,
    renderDevice: null,
    clientVersion: null,
  };
  if (s.sessionScenario === "EXTERNAL") {
    other = {
      streamId: `${id}-2`,
      participant: sessionTo(s),
      ...NO_AGENT,
      clientType: "PSTN",
      server: SBC[s.user.location.region],
      carrier: carrierName(s),
      codec: "G.711",
      ...(cause === "carrier" ? own : calm),
      mos: cause === "carrier" ? mos : 4.3,
    };
  } else if (s.peer) {
    const leg = calleeLeg(s);
    other = {
      streamId: `${id}-2`,
      participant: s.peer.email,
      networkType: NETWORK_TYPES[leg.network]!,
      vpn: false,
      ...subnetOf(s.peer, leg.network, false),
      captureDevice: DEVICES[leg.device]!,
      renderDevice: DEVICES[leg.device]!,
      clientType: CLIENTS[leg.client]?.type ?? null,
      clientVersion: CLIENTS[leg.client]?.version ?? null,
      server: s.server,
      carrier: null,
      codec: codecOf(s),
      ...calm,
      mos: 4.3,
    };
  } else {
    const conference = s.qualityType === "CONFERENCE" || s.qualityType === "WEBINAR";
    other = {
      streamId: `${id}-2`,
      participant: conference ? `${s.platform.toLowerCase()} conference bridge (${s.streams} streams)` : sessionTo(s),
      ...NO_AGENT,
      clientType: conference ? "CONFERENCE_SERVER" : "FEDERATED",
      server: s.server,
      carrier: null,
      codec: codecOf(s),
      ...calm,
      mos: 4.3,
    };
  }
  return [caller, other];
}

/** Findings in plain words, from the same thresholds as the insights. */
export function diagnosticsJson(data: TenantData, s: SimSession, anchor: number): Diagnostics {
  const id = sessionId(data, s).slice(0, 8);
  const cause = causeOf(s, anchor);
  const elements: Diagnostics["elements"] = [];
  const jitter = jitterMs(s);
  const loss = packetLossPercent(s);
  const where = cause === "carrier" ? `${id}-2` : `${id}-1`;
  if (jitter !== null && jitter > THRESHOLDS.jitterMs) {
    // The leg that carries it: the PSTN side in a carrier incident, else the caller's.
    const leg =
      cause === "carrier"
        ? `PSTN leg through ${carrierName(s)} (${SBC[s.user.location.region]})`
        : `${networkTypeName(s)} leg of ${s.user.email}${s.vpn ? " over VPN" : ""} (${subnetOf(s.user, s.network, s.vpn).subnet})`;
    elements.push({
      code: "HIGH_JITTER",
      severity: jitter > 60 ? "CRITICAL" : "WARNING",
      streamId: where,
      message: `Jitter ${jitter} ms on the ${leg}.`,
    });
  }
  if (loss !== null && loss > THRESHOLDS.packetLossPercent) {
    const on =
      cause === "carrier"
        ? `the PSTN leg through ${carrierName(s)} (${SBC[s.user.location.region]})`
        : `the leg of ${s.user.email}`;
    elements.push({
      code: "HIGH_PACKET_LOSS",
      severity: loss > 8 ? "CRITICAL" : "WARNING",
      streamId: where,
      message: `Packet loss ${loss}% on ${on}.`,
    });
  }
  if (s.rtt !== null && s.rtt > THRESHOLDS.roundTripMs) {
    elements.push({
      code: "HIGH_ROUNDTRIP_DELAY",
      severity: "WARNING",
      streamId: where,
      message: `Round trip ${s.rtt} ms via ${s.server}.`,
    });
  }
  if (s.device === BAD_DEVICE) {
    // "Normal" only when the leg's own figures are (the same thresholds as the findings above).
    const calm =
      where !== `${id}-1` ||
      ((jitter ?? 0) <= THRESHOLDS.jitterMs &&
        (loss ?? 0) <= THRESHOLDS.packetLossPercent &&
        (s.rtt ?? 0) <= THRESHOLDS.roundTripMs);
    const network = calm ? "network metrics are normal" : "the network is degraded too (see above)";
    elements.push({
      code: "DEVICE_GLITCHES",
      severity: "CRITICAL",
      streamId: `${id}-1`,
      message: `Capture device ${deviceName(s)}: microphone glitches and echo detected; ${network}.`,
    });
  }
  if (clientOf(s).version === REGRESSED_CLIENT) {
    elements.push({
      code: "CLIENT_AUDIO_ERRORS",
      severity: "WARNING",
      streamId: `${id}-1`,
      message: `Client ${REGRESSED_CLIENT} reported audio decoder errors and concealed samples.`,
    });
  }
  if (s.vpn)
    elements.push({
      code: "MEDIA_OVER_VPN",
      severity: "INFO",
      streamId: `${id}-1`,
      message: "Media ran through the VPN tunnel instead of directly.",
    });
  return { elements };
}

/** How close after a session ends the next one may start and still be the same journey (a transfer, a rejoin). */
const JOURNEY_GAP_SEC = 2 * 60;

/**
 * The rest of the same call, conference or journey: sessions on the same platform that share a
 * party of the tenant with this one and overlap it in time (or follow within two minutes).
 */
export function relatedSessions(data: TenantData, s: SimSession): SimSession[] {
  const parties = new Set([s.user, s.peer].filter((u): u is SimUser => u !== null));
  const end = s.startSec + s.duration;
  return data.sessions
    .filter(
      (o) => o !== s && o.platform === s.platform && (parties.has(o.user) || (o.peer !== null && parties.has(o.peer))),
    )
    .filter((o) => o.startSec < end + JOURNEY_GAP_SEC && s.startSec < o.startSec + o.duration + JOURNEY_GAP_SEC)
    .slice(0, 10);
}

// ── Breakdown ────────────────────────────────────────────────────────────────────────

type Key = readonly [name: string, label?: string];

/** A user by email, display name or id, against folded values. */
export const isUser = (user: SimUser, wanted: readonly string[]) =>
  wanted.includes(fold(user.email)) || wanted.includes(fold(user.displayName)) || wanted.includes(fold(user.userId));

/** One party's side of a session: what they ran and where they were. */
export interface Leg {
  network: number;
  device: number;
  client: number;
  user: SimUser;
}

/**
 * The leg a filter's users (folded) took part on: the callee's when only the callee is named,
 * else the caller's. A user's devices, clients, networks and site are those of their own leg,
 * never the other party's (issue 20, item 4).
 */
export function legFor(s: SimSession, users: readonly string[] | undefined): Leg {
  if (users && s.peer && !isUser(s.user, users) && isUser(s.peer, users)) return { ...calleeLeg(s), user: s.peer };
  return { network: s.network, device: s.device, client: s.client, user: s.user };
}

/** The groupers that read one party's leg, with a users filter. */
const LEG_GROUPERS: Partial<Record<BreakdownDimension, (leg: Leg) => string>> = {
  NETWORK_TYPE: (leg) => NETWORK_TYPES[leg.network]!,
  DEVICE: (leg) => DEVICES[leg.device]!,
  CLIENT_TYPE: (leg) => CLIENTS[leg.client]?.type ?? "UNKNOWN",
  CLIENT_VERSION: (leg) => CLIENTS[leg.client]?.version ?? "UNKNOWN",
  LOCATION: (leg) => leg.user.location.name,
};

/** The breakdown's grouping: with a users filter, the leg dimensions count the named users' own leg. */
export function grouperFor(
  by: BreakdownDimension,
  users: readonly string[] | undefined,
): (s: SimSession) => readonly Key[] {
  const ofLeg = LEG_GROUPERS[by];
  if (!users || !ofLeg) return GROUPERS[by];
  return (s) => [[ofLeg(legFor(s, users))]];
}

const GROUPERS: Record<BreakdownDimension, (s: SimSession) => readonly Key[]> = {
  NETWORK_TYPE: (s) => [[networkTypeName(s)]],
  DEVICE: (s) => [[deviceName(s)]],
  CLIENT_TYPE: (s) => [[clientOf(s).type]],
  CLIENT_VERSION: (s) => [[clientOf(s).version]],
  PLATFORM: (s) => [[s.platform]],
  SESSION_TYPE: (s) => [[s.sessionType]],
  SESSION_SCENARIO: (s) => [[s.sessionScenario]],
  CARRIER: (s) => (s.carrier < 0 ? [] : [[CARRIERS[s.carrier]!]]),
  SERVER: (s) => [[s.server]],
  // A session counts for each of the tenant's users on it.
  USER: (s) =>
    s.peer
      ? [
          [s.user.email, s.user.displayName],
          [s.peer.email, s.peer.displayName],
        ]
      : [[s.user.email, s.user.displayName]],
  LOCATION: (s) => [[s.user.location.name]],
};

export function groupQuality(name: string, label: string | null, members: readonly SimSession[]): GroupQuality {
  return {
    name,
    label,
    sessions: countsOf(members),
    avgNectarScore: avgNectarScore(members),
    avgJitter: average(members, jitterMs),
    avgPacketLoss: average(members, packetLossPercent),
    avgRoundTripDelay: average(members, (s) => s.rtt),
    firstSessionDate: members.length ? iso(startMs(members[0]!)) : null,
    lastSessionDate: members.length ? iso(startMs(members[members.length - 1]!)) : null,
  };
}

/** Sessions (ascending by start) grouped by the dimension; groups by name. */
export function breakdown(
  sessions: readonly SimSession[],
  by: BreakdownDimension,
  keyOf = GROUPERS[by],
): GroupQuality[] {
  const groups = new Map<string, { label: string | null; members: SimSession[] }>();
  for (const s of sessions) {
    for (const [name, label] of keyOf(s)) {
      const group = groups.get(name);
      if (group) group.members.push(s);
      else groups.set(name, { label: label ?? null, members: [s] });
    }
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, g]) => groupQuality(name, g.label, g.members));
}

// ── One user's summaries: the sessions the user took part in, on either side ────────

/** The user's own leg of a session they took part in. */
function legOf(s: SimSession, user: SimUser) {
  if (s.user === user) return { network: s.network, device: s.device, client: s.client };
  return calleeLeg(s);
}

export const userSessions = (sessions: readonly SimSession[], user: SimUser) =>
  sessions.filter((s) => s.user === user || s.peer === user);

const tally = (sessions: readonly SimSession[], of: (s: SimSession) => string) =>
  [...groupBy(sessions, of)]
    .map(([name, members]) => ({ name, count: members.length }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));

export const userQuantity = (sessions: readonly SimSession[]): UserQuantity => ({
  totalCount: sessions.length,
  modalities: tally(sessions, (s) => s.modality),
  platforms: tally(sessions, (s) => s.platform),
});

export function userQuality(sessions: readonly SimSession[]): UserQuality {
  return { ...countsOf(sessions), avgNectarScore: avgNectarScore(sessions) };
}

export const USER_GROUPERS = {
  server: (s: SimSession) => s.server,
  devices: (s: SimSession, user: SimUser) => DEVICES[legOf(s, user).device]!,
  clientTypes: (s: SimSession, user: SimUser) => CLIENTS[legOf(s, user).client]?.type ?? "UNKNOWN",
  networkTypes: (s: SimSession, user: SimUser) => NETWORK_TYPES[legOf(s, user).network]!,
} as const;

export const userBreakdown = (
  sessions: readonly SimSession[],
  user: SimUser,
  of: (s: SimSession, user: SimUser) => string,
) => breakdown(sessions, "DEVICE", (s) => [[of(s, user)]]);
