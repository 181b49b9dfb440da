import { z } from "zod";
import type { DxpSession } from "../client/schemas.ts";
import { ORDER_DIRECTIONS } from "../client/vocabulary.ts";
import { formatUtc, parseDxpDate } from "../time.ts";
import { defineTool, READS_DXP } from "./define.ts";
import { num, pageFooter, round, table } from "./render.ts";
import { appliedLine, appliedSchema, pageOf, pageSchema, pagingShape, scopedShape, scopeFor } from "./scope.ts";

const ORDER_FIELDS = ["startDate", "duration", "nectarScore"] as const;

const sessionRow = z.object({
  sessionId: z.string(),
  startDate: z.string().describe("UTC"),
  durationSeconds: z.number().nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  platform: z.string().nullable(),
  modality: z.string().nullable(),
  sessionType: z.string().nullable(),
  sessionScenario: z.string().nullable(),
  quality: z.string().nullable(),
  nectarScore: z.number().nullable(),
  location: z.string().nullable(),
});

/** The DXP names a session's site in more than one way; take what is there. */
function locationOf(session: DxpSession): string | null {
  const extra = session as Record<string, unknown>;
  if (typeof extra.locationName === "string") return extra.locationName;
  const location = extra.location as { name?: unknown } | string | undefined;
  if (typeof location === "string") return location;
  return typeof location?.name === "string" ? location.name : null;
}

export default defineTool({
  name: "get_detailed_session_list",
  title: "Session list",
  description:
    "Individual sessions (calls/meetings) with time, participants, platform, modality, type, quality and Nectar score, newest first by default; paged. Use to see examples behind a summary, e.g. the poor calls at one location (qualities CRITICAL, locations [...]). Applies the session filter; arguments override it.",
  group: "sessions",
  inputSchema: z.strictObject({
    ...scopedShape,
    ...pagingShape,
    orderBy: z.enum(ORDER_FIELDS).default("startDate"),
    orderDirection: z.enum(ORDER_DIRECTIONS).default("desc"),
  }),
  outputSchema: appliedSchema.extend({ page: pageSchema, sessions: z.array(sessionRow) }),
  annotations: READS_DXP,
  async handler(args, context) {
    const { client, query, applied, call } = await scopeFor(args, context);
    const answer = await client.sessions(
      {
        ...query,
        pageNumber: args.pageNumber,
        pageSize: args.pageSize,
        orderByField: args.orderBy,
        orderDirection: args.orderDirection,
      },
      call,
    );
    const sessions = answer.elements.map((s) => ({
      sessionId: s.sessionId,
      startDate: parseDxpDate(s.startDate).toISOString(),
      durationSeconds: s.duration ?? null,
      from: s.from ?? null,
      to: s.to ?? null,
      platform: s.platform ?? null,
      modality: s.modality ?? null,
      sessionType: s.sessionType ?? null,
      sessionScenario: s.sessionScenario ?? null,
      quality: s.quality ?? null,
      nectarScore: round(s.nectarScore, 1),
      location: locationOf(s),
    }));
    const page = pageOf(answer);
    const text = [
      `Sessions, by ${args.orderBy} ${args.orderDirection}. ${appliedLine(applied)}`,
      sessions.length
        ? table(
            ["start UTC", "min", "from → to", "platform", "modality/type", "quality", "location"],
            // Compact rows: a model pays for every token. Session ids stay in the structured result.
            sessions.map((s) => [
              formatUtc(new Date(s.startDate)).slice(5),
              num(s.durationSeconds === null ? null : s.durationSeconds / 60, 0),
              `${s.from ?? "?"} → ${s.to ?? "?"}`,
              s.platform,
              `${s.modality ?? "?"}/${s.sessionType ?? "?"}`,
              s.nectarScore === null ? s.quality : `${s.quality} ${num(s.nectarScore, 0)}`,
              s.location,
            ]),
          )
        : "No sessions match.",
      pageFooter(page, sessions.length, "sessions"),
    ].join("\n");
    return { data: { ...applied, page, sessions }, text };
  },
});
