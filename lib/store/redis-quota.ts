// Quotas for caller-made records on Redis (saved filters, session states, answers), so that
// callers can never fill Redis: renewed tokens and their locks then never compete with them
// for memory, whatever the eviction policy (docs/security.md, "Redis"). Each write charges
// its bytes to a counter per time bucket; the counters of one record's lifetime together
// may not pass the quota. A write identical to what is stored only restarts its TTL and
// charges nothing. Everything happens in one Lua script, so replicas share the quotas.
import { ConfigurationError } from "../errors.ts";
import { formatBytes } from "./budgets.ts";
import { KEY_PREFIX, type RedisLike } from "./redis-client.ts";

/**
 * What a record costs Redis: its key and value plus the server's own bookkeeping per key,
 * the quota counters and allocator rounding (measured by test/security-redis.test.ts: about
 * 360 bytes over key and value for a 1 KB filter on Redis 7).
 */
export const redisChargedBytes = (key: string, value: string): number => key.length + value.length + 384;

export interface QuotaWindow {
  /** Counter name (filter, session, answer). */
  kind: string;
  /** Width of one bucket, ms. */
  bucketMs: number;
  /** Buckets summed: enough to cover the longest TTL of a record of this kind. */
  buckets: number;
  limitBytes: number;
}

/** The window for records of `kind` that live at most `ttlMs` after their last write. */
export function quotaWindow(kind: string, ttlMs: number, limitBytes: number): QuotaWindow {
  const bucketMs = Math.max(1000, Math.ceil(ttlMs / 24));
  return { kind, bucketMs, buckets: Math.ceil(ttlMs / bucketMs) + 1, limitBytes };
}

/**
 * KEYS[1] the record, then `n` total buckets (current first), then optionally `n` owner buckets.
 * ARGV: value, ttlMs, charge, total limit, owner limit, n, bucket TTL ms, NX ("1").
 * Returns 1 written (or unchanged), 0 exists (NX), -1 over the total quota, -2 over the owner's.
 */
const PUT_CHARGED = `
local v = ARGV[1]
if redis.call('GET', KEYS[1]) == v then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return 1 end
local n = tonumber(ARGV[6]); local charge = tonumber(ARGV[3])
local function sum(from) local t = 0; for i = from, from + n - 1 do t = t + tonumber(redis.call('GET', KEYS[i]) or '0') end; return t end
if sum(2) + charge > tonumber(ARGV[4]) then return -1 end
local owned = #KEYS > 1 + n
if owned and sum(2 + n) + charge > tonumber(ARGV[5]) then return -2 end
if ARGV[8] == '1' then
  if not redis.call('SET', KEYS[1], v, 'PX', ARGV[2], 'NX') then return 0 end
else
  redis.call('SET', KEYS[1], v, 'PX', ARGV[2])
end
redis.call('INCRBY', KEYS[2], charge); redis.call('PEXPIRE', KEYS[2], ARGV[7])
if owned then redis.call('INCRBY', KEYS[2 + n], charge); redis.call('PEXPIRE', KEYS[2 + n], ARGV[7]) end
return 1`;

export type ChargedResult = "written" | "exists" | "over-total" | "over-owner";

export interface ChargedPut {
  key: string;
  value: string;
  ttlMs: number;
  window: QuotaWindow;
  /** The owner's own quota (its key part and limit), if any. */
  owner?: { id: string; limitBytes: number };
  onlyIfAbsent?: boolean;
  now: number;
}

export async function putCharged(redis: RedisLike, put: ChargedPut): Promise<ChargedResult> {
  const { window } = put;
  const current = Math.floor(put.now / window.bucketMs);
  const buckets = (scope: string) =>
    Array.from({ length: window.buckets }, (_, i) => `${KEY_PREFIX}quota:${window.kind}:${scope}${current - i}`);
  const keys = [put.key, ...buckets(""), ...(put.owner ? buckets(`${put.owner.id}:`) : [])];
  const args = [
    put.value,
    Math.max(1, Math.ceil(put.ttlMs)),
    redisChargedBytes(put.key, put.value),
    window.limitBytes,
    put.owner?.limitBytes ?? -1,
    window.buckets,
    window.bucketMs * (window.buckets + 1),
    put.onlyIfAbsent ? "1" : "0",
  ];
  const answer = Number(await redis.eval(PUT_CHARGED, keys, args));
  return answer === 1 ? "written" : answer === 0 ? "exists" : answer === -1 ? "over-total" : "over-owner";
}

/** How caller-made records share NECTAR_REDIS_CALLER_BYTES: half for filters, a quarter each for sessions and answers. */
export function splitCallerBytes(callerBytes: number): { filters: number; sessions: number; answers: number } {
  return {
    filters: Math.floor(callerBytes / 2),
    sessions: Math.floor(callerBytes / 4),
    answers: Math.floor(callerBytes / 4),
  };
}

const INFO_MEMORY = "return redis.call('INFO', 'memory')";

/**
 * At start: the quotas must fit in half of the room Redis has left, so that caller-made
 * records can never bring it to `maxmemory`, where every policy either evicts (tokens
 * too) or refuses writes (token locks too). `maxmemory` 0 (no limit) passes.
 */
export async function checkRedisRoom(
  redis: RedisLike,
  callerBytes: number,
  setting: string,
): Promise<{ maxmemory: number; used: number; policy: string }> {
  const info = String(await redis.eval(INFO_MEMORY, [], []));
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(info)?.[1]?.trim();
  const maxmemory = Number(field("maxmemory") ?? 0);
  const used = Number(field("used_memory") ?? 0);
  const policy = field("maxmemory_policy") ?? "unknown";
  if (maxmemory > 0 && callerBytes > (maxmemory - used) / 2) {
    throw new ConfigurationError(
      `Redis's maxmemory (${formatBytes(maxmemory)}, ${formatBytes(used)} in use, policy ${policy}) leaves too little room: ${setting} lets callers store ${formatBytes(callerBytes)}, more than half the free room, so a flood of callers' records could fill Redis and, under ${policy}, ${policy === "noeviction" ? "refuse the locks token renewals take" : "evict renewed tokens"}.`,
      `Raise Redis's maxmemory to at least ${formatBytes(used + 2 * callerBytes)}, or lower ${setting}.`,
    );
  }
  return { maxmemory, used, policy };
}
