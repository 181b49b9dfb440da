import { z } from "zod";
import { describeFilter, filterShape, isEmptyFilter, mergeFilter, pickFilter } from "../filter.ts";
import { lazySchema } from "../lazy-schema.ts";
import { formatWindow, resolveWindow, utcSeconds } from "../time.ts";
import { defineTool } from "../tool-kit/define.ts";
import { appliedFilterSchema, filterIdField, savedFilter, windowSchema } from "../tool-query/call-scope.ts";

const savedFilterSchema = lazySchema(() =>
  appliedFilterSchema().extend({
    timePeriod: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
  }),
);

export default defineTool({
  name: "set_session_filter",
  title: "Set session filter",
  description:
    "Save a filter; returns a filterId for session tools (in an MCP session it also applies implicitly). Session tools take the same fields as one-call overrides. A time field replaces the window; clear: true resets; {} shows it.",
  group: "sessions",
  inputSchema: () =>
    z.strictObject({
      ...filterShape(),
      filterId: filterIdField().describe("start from this saved filter"),
      clear: z.boolean().default(false),
    }),
  outputSchema: () =>
    z.object({
      action: z.enum(["shown", "updated", "cleared"]),
      filter: savedFilterSchema(),
      window: windowSchema().describe("what a call made now would use"),
      filterId: z.string().describe("pass to session tools"),
      filterExpiresAt: z.string().describe("UTC"),
    }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, context) {
    const given = pickFilter(args);
    const base = args.clear ? {} : await savedFilter(args, context);
    const next = mergeFilter(base, given);
    const window = resolveWindow(next, context.now()); // refuse a bad window before saving it
    // Kept implicitly where a session outlives the request (2025-era HTTP sessions, stdio),
    // and always under a handle bound to this caller, which needs no session.
    context.session.filter = next;
    const handle = await context.filters.save(next);
    const action = !isEmptyFilter(given)
      ? ("updated" as const)
      : args.clear
        ? ("cleared" as const)
        : ("shown" as const);
    const applies = context.anonymous
      ? `This caller sends no credential headers, so no MCP session keeps its filter: pass filterId "${handle.filterId}" to session tools to apply it (kept until ${handle.expiresAt}).`
      : context.stateless
        ? `This request has no MCP session: pass filterId "${handle.filterId}" to session tools to apply it (kept until ${handle.expiresAt}).`
        : `Session tools apply it until changed or cleared (clear: true); filterId "${handle.filterId}" names it too.`;
    const text =
      `Session filter ${action}: time ${next.timePeriod ?? (next.from ? "custom" : "LAST_DAY (default)")}, ${formatWindow(window)} as of now; ` +
      `filter ${describeFilter(next)}. ${applies}`;
    return {
      data: {
        action,
        filter: next,
        window: { from: utcSeconds(window.from), to: utcSeconds(window.to), label: window.label },
        filterId: handle.filterId,
        filterExpiresAt: handle.expiresAt,
      },
      text,
    };
  },
});
