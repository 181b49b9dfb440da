// One check of FilterStore.put's per-caller quota, run the same way on every store (memory
// in test/in-process/security-budgets.test.ts, Redis in test/redis-stores.test.ts, Deno KV through
// test/helpers/kv-filter-quota.ts in test/deno-kv.test.ts): a caller saving ever new filters
// is refused past its quota with the budget's error and keeps what it saved; saving a filter
// it already has still works; another caller has its own quota; the header-less callers'
// refusal says so. Portable (Node and Deno): it imports only lib/ and node:assert.
import assert from "node:assert/strict";
import { BudgetExceededError } from "../../lib/store/budgets.ts";
import type { FilterStore } from "../../lib/store/interfaces.ts";

export const QUOTA_BYTES = 16 * 1024;
const TTL_MS = 24 * 3600_000;
const PUTS = 40;

/** A filter of about 1 KB, distinct per owner and i. */
export const quotaFilter = (owner: string, i: number) => ({ locations: [`${owner}-${i}-`.padEnd(1000, "x")] });

export interface QuotaOutcome {
  /** Puts of owner-a kept, and refused. */
  saved: number;
  refused: number;
  /** Other errors than the budget's (none expected). */
  failed: string[];
  firstRefusal: string;
  /** JSON bytes of the filters owner-a kept. */
  keptJsonBytes: number;
  /** Every kept filter reads back, to its owner. */
  allReadable: boolean;
  /** Past the quota, saving a filter it already has. */
  resaved: boolean;
  /** Another caller saving at the same time. */
  otherOwnerSaved: boolean;
  anonymousRefusal: string;
}

/** Flood `owner` with new filters (`tag` keeps two floods of one owner apart) under QUOTA_BYTES; the indexes kept and the errors met. */
export async function floodOwner(store: FilterStore, owner: string, puts = PUTS, anonymous = false, tag = owner) {
  const kept: number[] = [];
  const refusals: string[] = [];
  const failed: string[] = [];
  for (let i = 0; i < puts; i++) {
    try {
      await store.put(`flt_${tag}_${i}`, owner, quotaFilter(tag, i), TTL_MS, {
        ownerBytes: QUOTA_BYTES,
        ...(anonymous ? { anonymous } : {}),
      });
      kept.push(i);
    } catch (error) {
      if (error instanceof BudgetExceededError) refusals.push(error.userMessage);
      else failed.push(String(error));
    }
  }
  return { kept, refusals, failed };
}

export async function filterQuotaOutcome(store: FilterStore): Promise<QuotaOutcome> {
  const a = await floodOwner(store, "owner-a");
  const read = await Promise.all(
    a.kept.map(
      async (i) =>
        JSON.stringify(await store.get(`flt_owner-a_${i}`, "owner-a")) === JSON.stringify(quotaFilter("owner-a", i)),
    ),
  );
  let resaved = true;
  try {
    await store.put(`flt_owner-a_${a.kept[0]}`, "owner-a", quotaFilter("owner-a", a.kept[0]!), TTL_MS, {
      ownerBytes: QUOTA_BYTES,
    });
  } catch {
    resaved = false;
  }
  const b = await floodOwner(store, "owner-b", 1);
  const anonymous = await floodOwner(store, "no-headers", PUTS, true);
  return {
    saved: a.kept.length,
    refused: a.refusals.length,
    failed: [...a.failed, ...b.failed, ...anonymous.failed],
    firstRefusal: a.refusals[0] ?? "",
    keptJsonBytes: a.kept.reduce((sum, i) => sum + JSON.stringify(quotaFilter("owner-a", i)).length, 0),
    allReadable: read.every(Boolean),
    resaved,
    otherOwnerSaved: b.kept.length === 1,
    anonymousRefusal: anonymous.refusals[0] ?? "",
  };
}

/** What every store must show. */
export function assertQuotaHeld(outcome: QuotaOutcome): void {
  assert.deepEqual(outcome.failed, [], "no other error than the budget's");
  assert.ok(outcome.saved >= 3, `a caller under its quota saves (${outcome.saved} kept)`);
  assert.ok(
    outcome.refused > 0,
    `past the quota a caller is refused (${outcome.saved} kept of ${outcome.saved + outcome.refused})`,
  );
  assert.ok(
    outcome.keptJsonBytes <= QUOTA_BYTES,
    `kept ${outcome.keptJsonBytes} bytes of filters under a ${QUOTA_BYTES}-byte quota`,
  );
  assert.ok(outcome.allReadable, "what was kept reads back");
  assert.ok(outcome.resaved, "saving a filter it already has is not refused");
  assert.ok(outcome.otherOwnerSaved, "another caller has a quota of its own");
  assert.match(
    outcome.firstRefusal,
    /^Filter not saved: This caller already keep .* the limit is 16 KiB\. Reuse a filterId/,
  );
  assert.match(
    outcome.anonymousRefusal,
    /^Filter not saved: Callers without credential headers together already keep .* Callers sending X-Nectar-\* credential headers have a budget of their own\./,
  );
}
