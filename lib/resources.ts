// Stable reference data as MCP resources: the tenants, a tenant's locations and
// platforms, and this session's filter. Read with the same context as the tools.
import type { Tool, ToolContext } from "./tool-kit/define.ts";
import { tenantOf } from "./tool-query/tenant.ts";

export interface ResourceDefinition {
  name: string;
  /** A fixed URI, or a URI template with {tenant}. */
  uri: string;
  title: string;
  description: string;
  /** The tool that offers the same data: the resource exists only where that tool is offered (NECTAR_TOOLS, X-MCP-Tools). */
  tool: string;
  read(context: ToolContext, variables: Record<string, string>): Promise<unknown>;
}

export const resources: readonly ResourceDefinition[] = [
  {
    name: "session_filter",
    uri: "nectar://session/filter",
    title: "Session filter",
    description: "The filter set_session_filter keeps for this MCP session.",
    tool: "set_session_filter",
    read: async (context) => context.session.filter,
  },
  {
    name: "tenants",
    uri: "nectar://tenants",
    title: "Tenants",
    description: "The tenants this token may see.",
    tool: "get_tenant_names",
    read: async (context) => (await context.client()).tenants({ signal: context.signal }),
  },
  {
    name: "tenant_locations",
    uri: "nectar://tenants/{tenant}/locations",
    title: "Locations of a tenant",
    description: "The tenant's corporate locations (first 100) with coordinates and networks.",
    tool: "get_locations",
    read: async (context, { tenant }) =>
      (await (await context.client()).locations({ pageSize: 100 }, { tenant: tenantOf({ tenant }, context) })).elements,
  },
  {
    name: "tenant_platforms",
    uri: "nectar://tenants/{tenant}/platforms",
    title: "Platforms of a tenant",
    description: "The UC platforms of a tenant and whether each is enabled.",
    tool: "get_tenant_platforms",
    read: async (context, { tenant }) =>
      (await context.client()).tenantPlatforms({ tenant: tenantOf({ tenant }, context) }),
  },
];

/** The resources whose tool is among `tools`: a server without a tool offers none of its data. */
export const resourcesFor = (tools: readonly Pick<Tool, "name">[]): readonly ResourceDefinition[] =>
  resources.filter((resource) => tools.some((tool) => tool.name === resource.tool));
