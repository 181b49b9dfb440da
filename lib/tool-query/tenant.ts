// Which tenant a call reads: its `tenant` argument, else the configured default.
import { z } from "zod";
import { requireTenant } from "../client/credentials.ts";
import { lazySchema } from "../lazy-schema.ts";
import type { ToolContext } from "../tool-kit/define.ts";

/** Optional everywhere: the server instructions say it defaults to the configured tenant. */
export const tenantField = lazySchema(() => z.string().trim().min(1).max(100).optional());

/** The call's tenant: the `tenant` argument, else the configured default. */
export function tenantOf(args: { tenant?: unknown }, context: ToolContext): string {
  return requireTenant((typeof args.tenant === "string" && args.tenant) || context.connection().tenant);
}
