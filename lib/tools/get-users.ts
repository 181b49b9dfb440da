import { z } from "zod";
import { pageFooter, table } from "../tool-answers/render.ts";
import { defineTool, READS_DXP } from "../tool-kit/define.ts";
import { pageOf, pageSchema, pagingShape } from "../tool-query/paging.ts";
import { tenantField, tenantOf } from "../tool-query/tenant.ts";

export default defineTool({
  name: "get_users",
  title: "Find users",
  description:
    "Search users by name, email or location (empty lists all), paged. Gives the exact email or id for the users filter.",
  group: "users",
  annotations: READS_DXP,
  inputSchema: () =>
    z.strictObject({
      search: z.string().trim().max(200).default("").describe("part of a name, email or location"),
      ...pagingShape(),
      tenant: tenantField(),
    }),
  outputSchema: () =>
    z.object({
      tenant: z.string(),
      search: z.string(),
      page: pageSchema(),
      users: z.array(
        z.object({
          userId: z.string(),
          displayName: z.string().nullable(),
          email: z.string().nullable(),
          location: z.string().nullable(),
        }),
      ),
    }),
  async handler(args, context) {
    const client = await context.client();
    const tenant = tenantOf(args, context);
    const answer = await client.searchUsers(
      { search: args.search, pageNumber: args.pageNumber, pageSize: args.pageSize },
      { tenant, signal: context.signal },
    );
    const users = answer.elements.map((u) => ({
      userId: String(u.userId),
      displayName: u.displayName ?? null,
      email: u.email ?? null,
      location: u.location ?? null,
    }));
    const page = pageOf(answer);
    const text = [
      `Users of tenant ${tenant}${args.search ? ` matching "${args.search}"` : ""}.`,
      // User ids stay in the structured result: the email is what filters take.
      users.length
        ? table(
            ["name", "email", "location"],
            users.map((u) => [u.displayName, u.email, u.location]),
          )
        : "No users match.",
      pageFooter(page, users.length, "users"),
    ].join("\n");
    return { data: { tenant, search: args.search, page, users }, text };
  },
});
