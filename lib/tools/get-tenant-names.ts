import { z } from "zod";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";

export default defineTool({
  name: "get_tenant_names",
  title: "Tenants",
  description:
    "The tenants (customer domains) this token may see, and the default one. Pass `tenant` to other tools to pick one.",
  group: "tenants",
  annotations: READS_DXP,
  inputSchema: () => z.strictObject({}),
  outputSchema: () => z.object({ tenants: z.array(z.string()), defaultTenant: z.string().nullable() }),
  async handler(_args, context) {
    const client = await context.client();
    const tenants = await client.tenants({ signal: context.signal });
    const defaultTenant = context.connection().tenant ?? null;
    const text =
      `${tenants.length} tenant${tenants.length === 1 ? "" : "s"}: ${tenants.join(", ") || "none"}. ` +
      (defaultTenant
        ? `Default: ${defaultTenant}.`
        : "No default tenant is set: pass `tenant` or set NECTAR_DOMAIN_NAME.");
    return { data: { tenants, defaultTenant }, text };
  },
});
