import { z } from "zod";
import { locationRow, locationShape } from "../tool-answers/location-shape.ts";
import { num, pageFooter, table } from "../tool-answers/render.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { pageOf, pageSchema, pagingShape } from "../tool-query/paging.ts";
import { tenantField, tenantOf } from "../tool-query/tenant.ts";

export default defineTool({
  name: "get_locations",
  title: "Corporate locations",
  description:
    "The tenant's sites with city, country, coordinates and network ranges; search by name, city or country. Exact names for the locations filter.",
  group: "locations",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      search: z.string().trim().max(200).default("").describe("part of a name, city or country"),
      ...pagingShape(),
      tenant: tenantField(),
    }),
  outputSchema: () =>
    z.object({
      tenant: z.string(),
      page: pageSchema(),
      locations: z.array(
        z.object({
          ...locationShape(),
          networks: z.array(z.string()),
        }),
      ),
    }),
  async handler(args, context) {
    const client = await context.client();
    const tenant = tenantOf(args, context);
    const answer = await client.locations(
      { search: args.search, pageNumber: args.pageNumber, pageSize: args.pageSize },
      { tenant, signal: context.signal },
    );
    const locations = answer.elements.map((l) => ({ ...locationRow(l), networks: l.networks ?? [] }));
    const page = pageOf(answer);
    const text = [
      `Locations of tenant ${tenant}${args.search ? ` matching "${args.search}"` : ""}.`,
      locations.length
        ? table(
            ["name", "city", "country", "lat,lon", "networks"],
            locations.map((l) => [
              l.name,
              l.city,
              l.country,
              `${num(l.latitude, 2)},${num(l.longitude, 2)}`,
              l.networks.length,
            ]),
          )
        : "No locations match.",
      pageFooter(page, locations.length, "locations"),
    ].join("\n");
    return { data: { tenant, page, locations }, text };
  },
});
