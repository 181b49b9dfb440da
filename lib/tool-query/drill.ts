// The singular drill-down arguments of earlier hints (`device "Kestrel K5 headset"`), still
// accepted by the breakdown and the session list: each is one value of its filter list
// (dimensions.ts `drill`; lib/filter.ts pickFilter folds it in). Not published in tools/list:
// the list fields say the same once for every session tool.
import { z } from "zod";
import { DIMENSIONS, DRILL_KEYS, type DrillKey } from "../client/dimensions.ts";
import { lazySchema } from "../lazy-schema.ts";

type DrillName = (typeof DIMENSIONS)[DrillKey]["drill"];

/** The names of the singular aliases, known without building a schema. */
export const DRILL_NAMES: readonly DrillName[] = DRILL_KEYS.map((key) => DIMENSIONS[key].drill);

const groupName = lazySchema(() => z.string().trim().min(1).max(200).optional());

/** One singular argument per aliased dimension: its values when fixed, else a group's name. */
export const drillShape = lazySchema(
  () =>
    Object.fromEntries(
      DRILL_KEYS.map((key) => {
        const dimension: { values?: readonly [string, ...string[]]; drill: DrillName } = DIMENSIONS[key];
        return [dimension.drill, dimension.values ? z.enum(dimension.values).optional() : groupName()];
      }),
    ) as {
      networkType: z.ZodOptional<z.ZodEnum<{ [V in (typeof DIMENSIONS)["networkTypes"]["values"][number]]: V }>>;
    } & {
      [K in Exclude<DrillName, "networkType">]: ReturnType<typeof groupName>;
    },
);
