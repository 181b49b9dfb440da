// The DXP's own enumerations (dxp-api.md, "Enumerations"). Tool schemas list these
// as the accepted values, and the simulator draws its data from them.

export const TIME_PERIODS = ["LAST_HOUR", "LAST_DAY", "LAST_WEEK", "LAST_MONTH"] as const;
/** How far back each named period reaches, ms (a month is 30 days). */
export const PERIOD_MS: Record<TimePeriod, number> = {
  LAST_HOUR: 3_600_000,
  LAST_DAY: 86_400_000,
  LAST_WEEK: 7 * 86_400_000,
  LAST_MONTH: 30 * 86_400_000,
};
export const MODALITIES = ["AUDIO", "VIDEO", "APP_SHARING", "CONVERSATION", "UNKNOWN"] as const;
export const QUALITIES = ["GOOD", "AVERAGE", "CRITICAL", "UNKNOWN"] as const;
export const SESSION_TYPES = [
  "PEER2PEER",
  "PEER2PEER_MULTIMEDIA",
  "PEER_TO_PEER",
  "PEER_TO_PEER_MULTIMEDIA",
  "CONFERENCE",
  "WEBINAR",
] as const;
export const QUALITY_TYPES = ["PEER2PEER", "PSTN", "CONFERENCE", "WEBINAR"] as const;
export const SESSION_SCENARIOS = ["INTERNAL", "EXTERNAL", "FEDERATED"] as const;
export const INSIGHTS = [
  "HIGH_JITTER",
  "HIGH_PACKET_LOSS",
  "HIGH_ROUNDTRIP_DELAY",
  "AGENT",
  "ACD",
  "IVR",
  "CUSTOMER",
] as const;
/** The insights that label a contact-centre role, not a quality problem: answers keep them apart. */
export const CONTACT_CENTRE_LABELS = [
  "AGENT",
  "ACD",
  "IVR",
  "CUSTOMER",
] as const satisfies readonly (typeof INSIGHTS)[number][];
/**
 * Where a leg's figure counts as high: the HIGH_* insights' thresholds (inferred: dxp-api.md
 * does not give the platform's own). The simulator's insights and diagnostics and the tools'
 * reading of a leg's metrics use this one table.
 */
export const THRESHOLDS = { jitterMs: 30, packetLossPercent: 3, roundTripMs: 300 } as const;
export const QUALITY_METRICS = [
  "NUMBER_OF_STREAMS",
  "AVG_JITTER",
  "AVG_ROUND_TRIP_DELAY",
  "AVG_PACKET_LOSS_PERCENTAGE",
  "AVG_NECTAR_SCORE",
] as const;
/** Platform spellings are inferred (dxp-api.md); correct them here. */
export const PLATFORMS = [
  "TEAMS",
  "ZOOM",
  "WEBEX",
  "CISCO_CUCM",
  "AVAYA",
  "GENESYS",
  "SKYPE_FOR_BUSINESS",
  "RINGCENTRAL",
] as const;
export const MEDIA_KINDS = ["audio", "video", "appshare"] as const;
export const HISTOGRAM_INTERVALS = ["HOUR", "DAY"] as const;
export const TEST_RESULTS = ["PASS", "FAIL", "WARN"] as const;
export const ORDER_DIRECTIONS = ["asc", "desc"] as const;
/** What the session list sorts by: startDate|duration|nectarScore seen in the UI; the per-session metrics inferred. */
export const SESSION_ORDER_FIELDS = [
  "startDate",
  "duration",
  "nectarScore",
  "jitter",
  "packetLoss",
  "roundTripDelay",
] as const;
/** A leg's network (inferred spelling, after the DXP UI's "network types"). */
export const NETWORK_TYPES = ["WIRED", "WIFI", "CELLULAR"] as const;
/** What the breakdown endpoint groups sessions by (inferred names). */
export const BREAKDOWN_DIMENSIONS = [
  "NETWORK_TYPE",
  "DEVICE",
  "CLIENT_TYPE",
  "CLIENT_VERSION",
  "PLATFORM",
  "SESSION_TYPE",
  "SESSION_SCENARIO",
  "CARRIER",
  "SERVER",
  "USER",
  "LOCATION",
] as const;
/**
 * The DXP spells two session types two ways (seen: both occur). Each key stands for the
 * whole list: a filter on one matches both, and tools report the first spelling.
 */
export const SESSION_TYPE_SPELLINGS: Record<string, readonly string[]> = {
  PEER2PEER: ["PEER2PEER", "PEER_TO_PEER"],
  PEER_TO_PEER: ["PEER2PEER", "PEER_TO_PEER"],
  PEER2PEER_MULTIMEDIA: ["PEER2PEER_MULTIMEDIA", "PEER_TO_PEER_MULTIMEDIA"],
  PEER_TO_PEER_MULTIMEDIA: ["PEER2PEER_MULTIMEDIA", "PEER_TO_PEER_MULTIMEDIA"],
};
/** One name per session type: PEER_TO_PEER reads as PEER2PEER. */
export const canonicalSessionType = (type: string): string => SESSION_TYPE_SPELLINGS[type]?.[0] ?? type;

export type TimePeriod = (typeof TIME_PERIODS)[number];
export type Modality = (typeof MODALITIES)[number];
export type Quality = (typeof QUALITIES)[number];
export type SessionType = (typeof SESSION_TYPES)[number];
export type SessionScenario = (typeof SESSION_SCENARIOS)[number];
export type Platform = (typeof PLATFORMS)[number];
export type MediaKind = (typeof MEDIA_KINDS)[number];
export type HistogramInterval = (typeof HISTOGRAM_INTERVALS)[number];
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export type QualityMetric = (typeof QUALITY_METRICS)[number];
export type SessionOrderField = (typeof SESSION_ORDER_FIELDS)[number];

/**
 * What people call an enumerated value, for near matches by meaning ("poor" → CRITICAL, not
 * GOOD by spelling): the closest-match error ranks these words with the value's own name.
 */
export const VALUE_MEANINGS: Readonly<Record<string, readonly string[]>> = {
  CRITICAL: ["poor", "bad", "critical"],
  AVERAGE: ["fair", "medium", "ok"],
  GOOD: ["fine", "great"],
  WIFI: ["wi-fi", "wireless", "wlan"],
  WIRED: ["ethernet", "lan", "cable"],
  CELLULAR: ["mobile", "lte", "4g", "5g"],
  TEAMS: ["ms teams", "microsoft teams"],
  CISCO_CUCM: ["cucm", "cisco"],
  SKYPE_FOR_BUSINESS: ["skype", "sfb", "lync"],
  APP_SHARING: ["screen share", "screen sharing", "appshare"],
  EXTERNAL: ["pstn", "phone"],
};
