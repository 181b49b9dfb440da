// Paged list tools: the paging arguments and the page as answers echo it.
import { z } from "zod";
import { lazySchema } from "../lazy-schema.ts";

/** Default pages are small (each row is paid for in context); every footer says how to get the next. */
export const pagingShape = lazySchema(() => ({
  pageNumber: z.number().int().min(1).max(100_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(10),
}));

export const pageSchema = lazySchema(() =>
  z.object({
    pageNumber: z.number(),
    pageSize: z.number(),
    totalElements: z.number(),
    totalPages: z.number(),
  }),
);

/** The paging part of a DXP list answer, as every list tool returns it. */
export const pageOf = (answer: z.infer<ReturnType<typeof pageSchema>>) => ({
  pageNumber: answer.pageNumber,
  pageSize: answer.pageSize,
  totalElements: answer.totalElements,
  totalPages: answer.totalPages,
});
