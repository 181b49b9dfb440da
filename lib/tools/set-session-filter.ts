import { z } from "zod";
import { describeFilter, filterShape, isEmptyFilter, mergeFilter, pickFilter } from "../filter.ts";
import { formatWindow, resolveWindow, utcSeconds } from "../time.ts";
import { defineTool } from "./define.ts";
import { appliedFilterSchema, windowSchema } from "./call-scope.ts";

const savedFilterSchema = appliedFilterSchema.extend({
  timePeriod: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
});

export default defineTool({
  name: "set_session_filter",
  title: "Set session filter",
  description:
    "Keep a filter for this MCP session; session tools apply it and take the same fields as one-call overrides. A time field replaces the window; clear: true resets; {} shows it.",
  group: "sessions",
  inputSchema: z.strictObject({ ...filterShape, clear: z.boolean().default(false) }),
  outputSchema: z.object({
    action: z.enum(["shown", "updated", "cleared"]),
    filter: savedFilterSchema,
    window: windowSchema.describe("what a call made now would use"),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(args, context) {
    const given = pickFilter(args);
    const base = args.clear ? {} : context.session.filter;
    const next = mergeFilter(base, given);
    const window = resolveWindow(next, context.now()); // refuse a bad window before saving it
    context.session.filter = next;
    const action = !isEmptyFilter(given) ? ("updated" as const) : args.clear ? ("cleared" as const) : ("shown" as const);
    const text =
      `Session filter ${action}: time ${next.timePeriod ?? (next.from ? "custom" : "LAST_DAY (default)")}, ${formatWindow(window)} as of now; ` +
      `filter ${describeFilter(next)}. Session tools apply it until changed or cleared (clear: true).`;
    return {
      data: {
        action,
        filter: next,
        window: { from: utcSeconds(window.from), to: utcSeconds(window.to), label: window.label },
      },
      text,
    };
  },
});
