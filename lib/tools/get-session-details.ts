import { z } from "zod";
import type { DxpSession, Stream } from "../client/schemas.ts";
import { THRESHOLDS } from "../client/vocabulary.ts";
import { InputError } from "../errors.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatUtc, parseDxpDate, utcSeconds } from "../time.ts";
import { coverageOf } from "../tool-answers/data-extent.ts";
import { num, round } from "../tool-answers/render.ts";
import { locationOf, sessionFieldsOf, sessionFieldsShape } from "../tool-answers/session-fields.ts";
import { defineTool, READS_DXP, type ToolContext } from "../tool-kit/define.ts";
import { fetchAll } from "../tool-kit/fetch-all.ts";
import { appliedLine, filterIdField, scopeFor } from "../tool-query/call-scope.ts";
import { tenantField, tenantOf } from "../tool-query/tenant.ts";

const streamRow = lazySchema(() =>
  z.object({
    streamId: z.string().nullable(),
    participant: z.string().nullable(),
    networkType: z.string().nullable(),
    vpn: z.boolean().nullable(),
    subnet: z.string().nullable(),
    matchedLocation: z.string().nullable().describe("corporate site whose network it was; null off-site"),
    device: z.string().nullable(),
    clientType: z.string().nullable(),
    clientVersion: z.string().nullable(),
    server: z.string().nullable(),
    carrier: z.string().nullable(),
    codec: z.string().nullable(),
    jitterMs: z.number().nullable(),
    packetLossPct: z.number().nullable(),
    roundTripMs: z.number().nullable(),
    mos: z.number().nullable(),
  }),
);

const relatedRow = lazySchema(() =>
  z.object({
    sessionId: z.string(),
    startDate: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    quality: z.string().nullable(),
    nectarScore: z.number().nullable(),
  }),
);

function streamOf(s: Stream): z.infer<ReturnType<typeof streamRow>> {
  return {
    streamId: s.streamId ?? null,
    participant: s.participant ?? null,
    networkType: s.networkType ?? null,
    vpn: s.vpn ?? null,
    subnet: s.subnet ?? null,
    matchedLocation: s.matchedLocation ?? null,
    device: s.captureDevice ?? null,
    clientType: s.clientType ?? null,
    clientVersion: s.clientVersion ?? null,
    server: s.server ?? null,
    carrier: s.carrier ?? null,
    codec: s.codec ?? null,
    jitterMs: round(s.jitter, 1),
    packetLossPct: round(s.packetLoss, 2),
    roundTripMs: round(s.roundTripDelay, 0),
    mos: round(s.mos, 2),
  };
}

const relatedOf = (s: DxpSession): z.infer<ReturnType<typeof relatedRow>> => ({
  sessionId: s.sessionId,
  startDate: utcSeconds(parseDxpDate(s.startDate)),
  from: s.from ?? null,
  to: s.to ?? null,
  quality: s.quality ?? null,
  nectarScore: round(s.nectarScore, 0),
});

type Leg = z.infer<ReturnType<typeof streamRow>>;

/** The figures of a leg above the insights' thresholds (vocabulary.ts), as the findings read them. */
function highOf(leg: Leg): string[] {
  const high: string[] = [];
  if ((leg.jitterMs ?? 0) > THRESHOLDS.jitterMs) high.push("jitter");
  if ((leg.packetLossPct ?? 0) > THRESHOLDS.packetLossPercent) high.push("loss");
  if ((leg.roundTripMs ?? 0) > THRESHOLDS.roundTripMs) high.push("RTT");
  return high;
}

/**
 * A finding that calls a leg's network normal while its figures cross the thresholds is
 * corrected in the answer, never passed on as it came (issue 20, item 9).
 */
function checkedMessage(
  message: string | null,
  streamId: string | null | undefined,
  legs: readonly Leg[],
): string | null {
  if (!message || !/\bnormal\b/i.test(message)) return message;
  const at = legs.findIndex((l) => (streamId ? l.streamId === streamId : highOf(l).length > 0));
  const high = at < 0 ? [] : highOf(legs[at]!);
  if (!high.length) return message;
  return `${message.replace(/[;,]?\s*[^;,.]*\bnormal\b[^;,.]*/i, "")}; but leg ${at + 1} has high ${high.join(", ")} (above ${THRESHOLDS.jitterMs} ms jitter, ${THRESHOLDS.packetLossPercent}% loss, ${THRESHOLDS.roundTripMs} ms RTT).`.replace(
    /\.;/,
    ";",
  );
}

/** "WIFI (10.1.64.0/20, Dallas), Kestrel K5 headset, DESKTOP Teams 24.9.1, via relay-us-east-1, SATIN" */
function legLine(leg: Leg, i: number): string {
  const network = leg.carrier
    ? `PSTN via ${leg.carrier}`
    : leg.networkType
      ? `${leg.networkType}${leg.vpn ? "+VPN" : ""} (${[leg.subnet, leg.matchedLocation ?? "off-site"].filter(Boolean).join(", ")})`
      : (leg.clientType ?? "network n/a");
  const parts = [
    network,
    leg.device,
    leg.clientVersion && `${leg.clientType} ${leg.clientVersion}`,
    leg.server && `via ${leg.server}`,
    leg.codec,
  ].filter(Boolean);
  const metrics = `jitter ${num(leg.jitterMs, 0, " ms")}, loss ${num(leg.packetLossPct, 1, "%")}, RTT ${num(leg.roundTripMs, 0, " ms")}, MOS ${num(leg.mos, 1)}`;
  const high = highOf(leg);
  return `${i + 1}. ${leg.participant ?? "?"}: ${parts.join(", ")} — ${metrics}${high.length ? ` (high ${high.join(", ")})` : ""}`;
}

/**
 * The lowest Nectar score in the session filter's window (the list puts unscored sessions last),
 * and the window's coverage note (read beside it: no extra round trip).
 */
async function worstSession(
  args: { tenant?: string },
  context: ToolContext,
): Promise<{ sessionId: string; coverage: string }> {
  const scope = await scopeFor(args, context);
  const { client, query, applied, call } = scope;
  const [page, coverage] = await Promise.all([
    client.sessions({ ...query, pageSize: 1, orderByField: "nectarScore", orderDirection: "asc" }, call),
    coverageOf(scope, context),
  ]);
  const worst = page.elements[0];
  if (!worst)
    throw new InputError(
      `No session to open: none in ${appliedLine(applied)}.${coverage.window ? ` ${coverage.window}` : ""}`,
      "Pass a sessionId from get_detailed_session_list, or a wider timePeriod with set_session_filter.",
    );
  return { sessionId: worst.sessionId, coverage: coverage.window };
}

export default defineTool({
  name: "get_session_details",
  title: "One session in full",
  description:
    "One session opened (sessionId; none: the window's worst): each leg's network, site, device, client, server or carrier with metrics, the diagnostics in plain words, related sessions.",
  group: "sessions",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      sessionId: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .optional()
        .describe("default: the worst-scored session of the filter's window"),
      filterId: filterIdField(),
      tenant: tenantField(),
    }),
  outputSchema: () =>
    z.object({
      tenant: z.string(),
      session: z.object({
        ...sessionFieldsShape(),
        location: z.string().nullable(),
      }),
      streams: z.array(streamRow()),
      findings: z.array(
        z.object({ code: z.string(), severity: z.string().nullable(), message: z.string().nullable() }),
      ),
      related: z.array(relatedRow()),
    }),
  async handler(args, context) {
    const client = await context.client();
    const tenant = tenantOf(args, context);
    const call = { tenant, signal: context.signal };
    const worst = args.sessionId === undefined ? await worstSession(args, context) : undefined;
    const sessionId = args.sessionId ?? worst!.sessionId;
    const [detail, diagnostics, related] = await fetchAll(context, [
      () => client.session(sessionId, call),
      () => client.sessionDiagnostics(sessionId, call),
      () => client.sessionRelated(sessionId, call),
    ] as const);
    const session = { ...sessionFieldsOf(detail, 0), location: locationOf(detail) };
    const streams = (detail.streams ?? []).map(streamOf);
    const findings = diagnostics.elements.map((d) => ({
      code: d.code,
      severity: d.severity ?? null,
      message: checkedMessage(d.message ?? null, d.streamId, streams),
    }));
    const relatedRows = related.elements.map(relatedOf);
    const text = [
      ...(worst ? ["No sessionId given: the worst-scored session of the session filter's window."] : []),
      ...(worst?.coverage ? [worst.coverage] : []),
      `Session ${session.sessionId} (tenant ${tenant}): ${formatUtc(new Date(session.startDate))} UTC, ${num(session.durationSeconds === null ? null : session.durationSeconds / 60, 0)} min, ` +
        `${session.modality ?? "?"} ${session.sessionType ?? "?"} ${session.sessionScenario ?? ""} on ${session.platform ?? "?"}; quality ${session.quality ?? "?"} ${num(session.nectarScore, 0)}; ` +
        `${session.from ?? "?"} → ${session.to ?? "?"}${session.location ? ` at ${session.location}` : ""}.`,
      streams.length ? `Legs:\n${streams.map(legLine).join("\n")}` : "Legs: the DXP sent none.",
      findings.length
        ? `Findings:\n${findings.map((f) => `- ${f.severity ?? ""} ${f.code}: ${f.message ?? ""}`.replace("-  ", "- ")).join("\n")}`
        : "Findings: none (no threshold crossed).",
      relatedRows.length
        ? `Related (same party and platform, overlapping in time: the rest of the call, conference or journey): ${relatedRows.map((r) => `${formatUtc(new Date(r.startDate)).slice(11)} ${r.quality ?? "?"} ${num(r.nectarScore, 0)} ${r.sessionId}`).join("; ")}`
        : "Related: none.",
    ].join("\n");
    return { data: { tenant, session, streams, findings, related: relatedRows }, text };
  },
});
