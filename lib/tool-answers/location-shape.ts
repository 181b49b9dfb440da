// A corporate location as the location tools return it.
import { z } from "zod";
import type { DxpLocation } from "../client/schemas.ts";
import { lazySchema } from "../lazy-schema.ts";

/** A corporate location as tools return it. */
export const locationShape = lazySchema(() => ({
  id: z.string(),
  name: z.string(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
}));

/** A DXP location as tools return it: an absent field is null. */
export const locationRow = (l: DxpLocation) => ({
  id: String(l.id),
  name: l.name,
  city: l.city ?? null,
  country: l.country ?? null,
  latitude: l.latitude ?? null,
  longitude: l.longitude ?? null,
});
