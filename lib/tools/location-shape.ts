// A corporate location as the location tools return it.
import { z } from "zod";
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
