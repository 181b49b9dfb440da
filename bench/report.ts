// Printing: aligned tables, section headings, and the targets with ✓/✗.

export interface Target {
  section: string;
  /** What is measured, e.g. "added per call, get_session_summary (median)". */
  what: string;
  /** The issue's target, e.g. "≤ 1 ms". */
  target: string;
  /** The measured figure, printed. */
  measured: string;
  pass: boolean;
}

export const mark = (pass: boolean): string => (pass ? "✓" : "✗");

export function heading(title: string): void {
  process.stdout.write(`\n## ${title}\n`);
}

export function note(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const body = rows.map((row) => row.map((c) => (typeof c === "number" ? fmt(c) : c)));
  const cells = [headers.map(String), ...body];
  const widths = headers.map((_, i) => Math.max(3, ...cells.map((row) => width(row[i] ?? ""))));
  // Numeric columns (numbers, percentages, ratios, dashes) align right; text aligns left.
  const right = headers.map((_, i) => i > 0 && body.every((row) => NUMERIC.test(row[i] ?? "")));
  const line = (row: readonly string[]) =>
    `| ${row.map((c, i) => (right[i] ? padStart(c, widths[i]!) : pad(c, widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  process.stdout.write(`${[line(cells[0]!), rule, ...body.map(line)].join("\n")}\n`);
}

const NUMERIC = /^(?:[-+]?[\d,]*\.?\d+(?:%|×| ms| KB| MB)?|–|n\/a|)$/;

export function targets(list: readonly Target[]): void {
  for (const t of list) note(`  target ${t.what}: ${t.target} → measured ${t.measured} ${mark(t.pass)}`);
}

/** Numbers as printed: thousands separated; integers whole, others with sensible decimals. */
export function fmt(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// Display width: the ✓/✗/→/× glyphs are one column each, like ASCII.
const width = (s: string): number => [...s].length;
const pad = (s: string, w: number) => s + " ".repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number) => " ".repeat(Math.max(0, w - width(s))) + s;
