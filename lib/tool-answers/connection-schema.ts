// A connection as the connection tools return it.
import { z } from "zod";
import { lazySchema } from "../lazy-schema.ts";

/** What may be shown of a connection (describeConnection): never a token, only whether one is set. */
export const connectionSchema = lazySchema(() =>
  z.object({
    source: z.string(),
    url: z.string().nullable(),
    tenant: z.string().nullable(),
    accessToken: z.enum(["present", "absent"]),
    refreshToken: z.enum(["present", "absent"]),
    accessTokenExpiresAt: z.string().nullable().describe("UTC"),
  }),
);
