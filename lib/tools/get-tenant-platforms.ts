import { z } from "zod";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { tenantField, tenantOf } from "../tool-query/tenant.ts";

export default defineTool({
  name: "get_tenant_platforms",
  title: "Tenant platforms",
  description:
    "The UC platforms the DXP monitors for a tenant and whether each is enabled. Use before filtering by platform.",
  group: "tenants",
  annotations: READS_DXP,
  inputSchema: () => z.strictObject({ tenant: tenantField() }),
  outputSchema: () =>
    z.object({ tenant: z.string(), platforms: z.array(z.object({ platform: z.string(), enabled: z.boolean() })) }),
  async handler(args, context) {
    const client = await context.client();
    const tenant = tenantOf(args, context);
    const answer = await client.tenantPlatforms({ tenant, signal: context.signal });
    const platforms = answer.map((p) => ({ platform: p.platform, enabled: p.enabled }));
    const on = platforms.filter((p) => p.enabled).map((p) => p.platform);
    const off = platforms.filter((p) => !p.enabled).map((p) => p.platform);
    const text = `Tenant ${tenant} platforms. Enabled: ${on.join(", ") || "none"}. Not enabled: ${off.join(", ") || "none"}.`;
    return { data: { tenant, platforms }, text };
  },
});
