import { z } from "zod";
import { ORDER_DIRECTIONS, SESSION_ORDER_FIELDS as ORDER_FIELDS } from "../client/vocabulary.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatUtc } from "../time.ts";
import { coverageOf, emptyNote } from "../tool-answers/data-extent.ts";
import { num, pageFooter, round, table } from "../tool-answers/render.ts";
import { locationOf, sessionFieldsOf, sessionFieldsShape } from "../tool-answers/session-fields.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { appliedLine, appliedSchema, scopedShape, scopeFor } from "../tool-query/call-scope.ts";
import { drillShape } from "../tool-query/drill.ts";
import { pageOf, pageSchema, pagingShape } from "../tool-query/paging.ts";

const sessionRow = lazySchema(() =>
  z.object({
    ...sessionFieldsShape(),
    jitterMs: z.number().nullable(),
    packetLossPct: z.number().nullable(),
    roundTripMs: z.number().nullable(),
    networkType: z.string().nullable(),
    location: z.string().nullable(),
  }),
);

export default defineTool({
  name: "get_detailed_session_list",
  title: "Session list",
  description:
    "Individual sessions (time, parties, platform, quality, jitter/loss/RTT, network), 5 a page: examples behind a summary or breakdown. get_session_details opens one.",
  group: "sessions",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      ...scopedShape(),
      ...drillShape(),
      ...pagingShape(),
      pageSize: z.number().int().min(1).max(100).default(5),
      orderBy: z.enum(ORDER_FIELDS).default("startDate"),
      orderDirection: z.enum(ORDER_DIRECTIONS).default("desc"),
    }),
  outputSchema: () =>
    appliedSchema().extend({
      page: pageSchema(),
      sessions: z.array(sessionRow()),
    }),
  async handler(args, context) {
    const scope = await scopeFor(args, context);
    const { client, query, applied, call } = scope;
    // Beside the page, the data's extent (one request): whether the window lies within the retained data.
    const [answer, coverage] = await Promise.all([
      client.sessions(
        {
          ...query,
          pageNumber: args.pageNumber,
          pageSize: args.pageSize,
          orderByField: args.orderBy,
          orderDirection: args.orderDirection,
        },
        call,
      ),
      coverageOf(scope, context),
    ]);
    const sessions = answer.elements.map((s) => ({
      ...sessionFieldsOf(s, 1),
      jitterMs: round(s.jitter, 1),
      packetLossPct: round(s.packetLoss, 2),
      roundTripMs: round(s.roundTripDelay, 0),
      networkType: s.networkType ?? null,
      location: locationOf(s),
    }));
    const page = pageOf(answer);
    const text = [
      `Sessions, by ${args.orderBy} ${args.orderDirection}. ${appliedLine(applied)}`,
      ...(coverage.window && page.totalElements > 0 ? [coverage.window] : []),
      sessions.length
        ? table(
            [
              "start UTC",
              "min",
              "from → to",
              "platform/modality",
              "quality",
              "jitter ms/loss %/RTT ms",
              "network",
              "location",
              "sessionId",
            ],
            // Compact rows: a model pays for every token. The id is what get_session_details takes.
            sessions.map((s) => [
              formatUtc(new Date(s.startDate)).slice(5),
              num(s.durationSeconds === null ? null : s.durationSeconds / 60, 0),
              `${s.from ?? "?"} → ${s.to ?? "?"}`,
              `${s.platform ?? "?"}/${s.modality ?? "?"}`,
              s.nectarScore === null ? s.quality : `${s.quality} ${num(s.nectarScore, 0)}`,
              `${num(s.jitterMs, 0)}/${num(s.packetLossPct, 1)}/${num(s.roundTripMs, 0)}`,
              s.networkType,
              s.location,
              s.sessionId,
            ]),
          )
        : page.totalElements === 0
          ? await emptyNote(scope, context, coverage.extent)
          : "No sessions on this page.",
      pageFooter(page, sessions.length, "sessions"),
    ].join("\n");
    return { data: { ...applied, page, sessions }, text };
  },
});
