// The drill-down dimensions a breakdown names (network type, device, client version,
// carrier), accepted by the breakdown and the session list to narrow to one group.
import { z } from "zod";
import { lazySchema } from "../lazy-schema.ts";
import { DIMENSIONS, DRILL_KEYS, type DrillKey } from "../client/dimensions.ts";
import type { FilterQuery } from "../client/query.ts";

type DrillName = (typeof DIMENSIONS)[DrillKey]["drill"];
type DrillArgs = { [K in DrillName]?: string };

const DRILL_NAMES = DRILL_KEYS.map((key) => DIMENSIONS[key].drill);
const groupName = lazySchema(() => z.string().trim().min(1).max(200).optional());

/** One singular argument per drill dimension (dimensions.ts): its values when fixed, else a group's name. */
export const drillShape = lazySchema(() => Object.fromEntries(
  DRILL_KEYS.map((key) => {
    const dimension: { values?: readonly [string, ...string[]]; drill: DrillName } = DIMENSIONS[key];
    return [dimension.drill, dimension.values ? z.enum(dimension.values).optional() : groupName()];
  }),
) as { networkType: z.ZodOptional<z.ZodEnum<{ [V in (typeof DIMENSIONS)["networkTypes"]["values"][number]]: V }>> } & {
  [K in Exclude<DrillName, "networkType">]: ReturnType<typeof groupName>;
});

export function drillQuery(args: DrillArgs): FilterQuery {
  const query: Record<string, readonly string[]> = {};
  for (const key of DRILL_KEYS) {
    const value = args[DIMENSIONS[key].drill];
    if (value) query[key] = [value];
  }
  return query as FilterQuery;
}

/** " · networkType WIFI · device Kestrel K5 headset" or "". */
export function drillLine(args: DrillArgs): string {
  const parts = DRILL_NAMES.filter((k) => args[k]).map((k) => `${k} ${args[k]}`);
  return parts.length ? ` · ${parts.join(" · ")}` : "";
}

/** The drill fields echoed in structured answers, as one object (one field in tools/list). */
export const narrowedToSchema = lazySchema(() => z.record(z.string(), z.string()).optional().describe("networkType, device, clientVersion, carrier"));
export const drillEcho = (args: DrillArgs): { narrowedTo?: Record<string, string> } => {
  const given = DRILL_NAMES.filter((k) => args[k]);
  return given.length ? { narrowedTo: Object.fromEntries(given.map((k) => [k, args[k]!])) } : {};
};

/** The drill fields as arguments to repeat: ['device "Kestrel K5 headset"']. */
export const drillArgs = (args: DrillArgs): string[] =>
  DRILL_NAMES.filter((k) => args[k]).map((k) => `${k} "${args[k]}"`);
