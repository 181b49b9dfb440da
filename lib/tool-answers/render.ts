// Small formatters for the text renderings: rounded numbers with units, UTC stated,
// and paging footers that never hide how much more exists.

export const round = (value: number | null | undefined, digits = 1): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

export const num = (value: number | null | undefined, digits = 1, unit = ""): string => {
  const r = round(value, digits);
  return r === null ? "n/a" : `${r.toLocaleString("en-US")}${unit}`;
};

export const pct = (part: number, whole: number): number => (whole > 0 ? (100 * part) / whole : 0);

/**
 * The one way a share is shown: from the counts, to one decimal. Every tool uses it, so
 * 8 of 291 reads 2.7% everywhere (never 2.8% from an upstream figure rounded twice).
 */
export const percentOf = (part: number, whole: number): number => round(pct(part, whole), 1) ?? 0;

/** A signed difference: "+4.1", "−3", "±0". */
export const signed = (value: number | null, digits = 1, unit = ""): string => {
  const r = round(value, digits);
  if (r === null) return "n/a";
  return r === 0 ? `±0${unit}` : `${r > 0 ? "+" : "−"}${Math.abs(r).toLocaleString("en-US")}${unit}`;
};

export interface PageInfo {
  pageNumber: number;
  pageSize: number;
  totalElements: number;
  totalPages: number;
}

/** "Rows 1–25 of 812; 787 more: call again with pageNumber 2." */
export function pageFooter(page: PageInfo, shown: number, what = "rows"): string {
  if (page.totalElements === 0) return `No ${what}.`;
  const first = (page.pageNumber - 1) * page.pageSize + 1;
  const last = first + shown - 1;
  const more = Math.max(0, page.totalElements - last);
  const range = shown
    ? `${what} ${first}–${last} of ${page.totalElements}`
    : `no ${what} on page ${page.pageNumber} (${page.totalElements} in all)`;
  return more > 0 ? `${range}; ${more} more: call again with pageNumber ${page.pageNumber + 1}.` : `${range}.`;
}

/** Render rows as a compact pipe table (header once); `separator` "|" for long tables of numbers (a token a cell less). */
export function table(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
  separator = " | ",
): string {
  const cell = (v: string | number | null | undefined) =>
    v === null || v === undefined || v === "" ? "-" : String(v).replace(/\|/g, "/");
  return [header.join(separator), ...rows.map((row) => row.map(cell).join(separator))].join("\n");
}
