// Byte budgets for everything a caller can make the server keep (saved filters, sessions,
// answers, renewed tokens), derived from the heap the process actually has: the shell reads
// it (Node: v8.getHeapStatistics().heap_size_limit) and passes the number in; lib/ never
// asks the runtime. The budgets together stay under a third of the heap, so no mix of
// callers can make the server keep more than that. docs/security.md, "Budgets per caller".
import { DxpError } from "../errors.ts";

export interface Budgets {
  /** Bytes of saved filters (filterId handles) kept for all callers together. */
  filterBytes: number;
  /** Bytes of saved filters one caller with credential headers may keep. */
  filterBytesPerCaller: number;
  /** Bytes of saved filters all callers without credential headers may keep together. */
  filterBytesAnonymous: number;
  /** Bytes of 2025-era session state kept for all sessions together. */
  sessionBytes: number;
  /** Bytes of cached DXP answers. */
  answerBytes: number;
  /** Bytes of renewed token records. */
  tokenBytes: number;
}

/** The heap assumed when the shell cannot tell (Deno, tests): V8's usual default on a 64-bit machine. */
export const DEFAULT_HEAP_BYTES = 2048 * 1024 * 1024;

const MiB = 1024 * 1024;

/** The default budgets for a heap of `heapBytes`: filters, sessions and tokens 1/16 each, answers 1/8 (at most 32 MiB). */
export function budgetsForHeap(heapBytes: number = DEFAULT_HEAP_BYTES): Budgets {
  const heap = Number.isFinite(heapBytes) && heapBytes > 0 ? heapBytes : DEFAULT_HEAP_BYTES;
  const filterBytes = Math.floor(heap / 16);
  const filterBytesPerCaller = Math.min(Math.floor(filterBytes / 8), 2 * MiB);
  return {
    filterBytes,
    filterBytesPerCaller,
    filterBytesAnonymous: Math.floor(filterBytesPerCaller / 4),
    sessionBytes: Math.floor(heap / 16),
    answerBytes: Math.min(Math.floor(heap / 8), 32 * MiB),
    tokenBytes: Math.floor(heap / 16),
  };
}

/**
 * What one record costs in memory, as charged against a budget: twice its JSON length (V8
 * keeps strings of one-byte text compactly, but objects, keys and the cache's own entry
 * add about as much again) plus a fixed overhead per entry.
 */
export const chargedBytes = (json: string | number): number =>
  2 * (typeof json === "number" ? json : json.length) + 256;

/** A caller asked the server to keep more than its budget allows: nothing was kept. */
export class BudgetExceededError extends DxpError {
  override readonly kind = "rate_limited";
}

/** The error for a caller whose saved filters would pass its budget (`held` bytes now, `adding` more). */
export function filterBudgetError(
  quota: { ownerBytes: number; anonymous?: boolean },
  held: number,
  adding: number,
): BudgetExceededError {
  const who = quota.anonymous ? "Callers without credential headers together" : "This caller";
  return new BudgetExceededError(
    `Filter not saved: ${who} already keep ${formatBytes(held)} of saved filters and this one needs ${formatBytes(adding)}; the limit is ${formatBytes(quota.ownerBytes)}.`,
    `Reuse a filterId you already have (saving an identical filter returns the same one), pass the filter fields to each tool call instead, or wait: saved filters expire 24 h after they are saved.${quota.anonymous ? " Callers sending X-Nectar-* credential headers have a budget of their own." : ""}`,
  );
}

/** Human-readable bytes for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
