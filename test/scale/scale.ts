// `npm run test:scale`: three node-http replicas sharing Redis behind HAProxy (round-robin,
// no affinity, health check on /readyz), all on loopback, against the DXP simulator with
// short-lived rotating tokens. 52 users, half on each MCP era, each with its own credentials
// and filter, run a scripted conversation; one replica is killed (SIGKILL) mid-run and
// restarted. Prints and asserts: calls made, calls failed (at most those in flight when the
// replica died, each retried successfully), cross-user leaks 0, filters lost 0, refreshes
// per credential per expiry exactly 1 (from the simulator's request log). No timing
// assertions: the run's clock only paces the script (tokens expire on the wall clock).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from "@modelcontextprotocol/client";
import { Client as LegacyClient } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport as LegacyTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ENDPOINTS } from "../../lib/client/endpoints.ts";
import { PLATFORMS, TIME_PERIODS } from "../../lib/client/vocabulary.ts";
import { startSimulator } from "../../servers/start-simulator.ts";
import { freePort } from "../helpers/listen.ts";

const USERS = Number(process.env.SCALE_USERS ?? 52);
/** Access token lifetime: the keeper renews at half of it, so one renewal per credential lands mid-run. */
const TOKEN_LIFETIME_S = 40;
/** The script runs until shortly before the original tokens' lifetime ends (after it, a spent pair is refused by design). */
const RUN_MS = (TOKEN_LIFETIME_S - 6) * 1000;
const KILL_AT_MS = 10_000;
const RESTART_AFTER_MS = 3_000;
const SECRET = "scale-test-secret-0123456789abcdef01234567";
const CLI = new URL("../../dist/servers/cli.js", import.meta.url).pathname;
const HANG_GUARD_MS = 8 * 60_000;
/** A call on a replica that died under it gets no answer: the client gives up after this and retries (a hang guard, generous for a loaded machine). */
const CALL_TIMEOUT_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), "nectar-scale-"));
const children = new Set<ChildProcess>();
const log = (line: string) => process.stdout.write(`${line}\n`);

function run(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = createWriteStream(join(dir, `${name}.log`), { flags: "a" });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2400; i++) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} never happened (logs in ${dir})`);
}

/** Requests HAProxy has on a server right now (current plus queued), from its stats socket. */
function inFlightOn(server: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(dir, "haproxy.sock"));
    let text = "";
    socket.on("data", (chunk) => (text += chunk.toString()));
    socket.on("error", reject);
    socket.on("end", () => {
      const row = text.split("\n").find((line) => line.startsWith(`replicas,${server},`));
      if (!row) return reject(new Error(`no stats for ${server}`));
      const cells = row.split(",");
      resolve(Number(cells[2]) + Number(cells[4])); // qcur + scur
    });
    socket.end("show stat\n");
  });
}

const readyAt = (port: number) => async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;

interface User {
  index: number;
  era: "2026-07-28" | "2025-11-25";
  tenant: string;
  subject: string;
  filter: { platforms: string[]; timePeriod: string };
  headers: Record<string, string>;
}

const tally = {
  made: 0,
  failed: 0,
  failedNotInFlightAtKill: 0,
  killedAt: Number.POSITIVE_INFINITY,
  clientsInFlightAtKill: 0,
  retriedOk: 0,
  retryFailed: 0,
  inFlight: 0,
  inFlightAtKill: 0,
  leaks: 0,
  lost: 0,
  backends: new Map<string, number>(),
};
const failures: string[] = [];
let startedAt = Date.now();

/** A fetch that counts which replica answered (HAProxy names it in X-Backend). */
const countingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const backend = response.headers.get("x-backend");
  if (backend) tally.backends.set(backend, (tally.backends.get(backend) ?? 0) + 1);
  return response;
};

interface Answer {
  isError?: boolean;
  content: { text?: string }[];
  structuredContent?: {
    tenant?: string;
    window?: { label?: string };
    filter?: { platforms?: string[] };
    filterId?: string;
  };
}

/** Check an answer against the user's own tenant and filter: a stranger's is a leak, a missing one is lost. */
function check(user: User, users: User[], answer: Answer): void {
  const s = answer.structuredContent ?? {};
  const platforms = JSON.stringify(s.filter?.platforms ?? []);
  const own =
    s.tenant === user.tenant &&
    platforms === JSON.stringify(user.filter.platforms) &&
    s.window?.label === user.filter.timePeriod;
  if (own) return;
  const stranger = users.some(
    (u) =>
      u !== user &&
      s.tenant === u.tenant &&
      platforms === JSON.stringify(u.filter.platforms) &&
      s.window?.label === u.filter.timePeriod &&
      (s.tenant !== user.tenant || platforms !== JSON.stringify(user.filter.platforms)),
  );
  if (stranger || (s.tenant && s.tenant !== user.tenant)) {
    tally.leaks += 1;
    failures.push(
      `leak for user ${user.index}: ${JSON.stringify({ tenant: s.tenant, platforms, label: s.window?.label })}`,
    );
  } else {
    tally.lost += 1;
    failures.push(
      `filter lost for user ${user.index}: ${JSON.stringify({ tenant: s.tenant, platforms, label: s.window?.label })}`,
    );
  }
}

/** One call, retried once if it failed (a replica died under it); the retry must succeed. */
async function call<T extends Answer>(user: User, what: string, once: () => Promise<T>): Promise<T | undefined> {
  tally.made += 1;
  tally.inFlight += 1;
  const started = Date.now();
  let first: T | undefined;
  let error: unknown;
  try {
    first = await once();
  } catch (e) {
    error = e;
  } finally {
    tally.inFlight -= 1;
  }
  if (first && !first.isError) return first;
  tally.failed += 1;
  // A call may fail only if it was under way when the replica died (started before its exit was seen).
  if (!(started <= tally.killedAt)) tally.failedNotInFlightAtKill += 1;
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  failures.push(
    `+${((Date.now() - startedAt) / 1000).toFixed(1)} s user ${user.index} ${what} failed once: ${error instanceof Error ? `${error.message} ${cause?.code ?? cause?.message ?? ""}` : first?.content.map((c) => c.text).join(" ")}`.slice(
      0,
      300,
    ),
  );
  await new Promise((r) => setTimeout(r, 500));
  try {
    const again = await once();
    if (!again.isError) {
      tally.retriedOk += 1;
      return again;
    }
    failures.push(
      `user ${user.index} ${what} retry failed: ${again.content.map((c) => c.text).join(" ")}`.slice(0, 300),
    );
  } catch (e) {
    failures.push(
      `user ${user.index} ${what} retry threw: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300),
    );
  }
  tally.retryFailed += 1;
  return undefined;
}

const TOOLS = [
  "get_session_summary",
  "get_session_histogram",
  "get_location_quality_summary",
  "get_detailed_session_list",
] as const;

async function converse(user: User, users: User[], endpoint: URL, deadline: number): Promise<void> {
  if (user.era === "2026-07-28") {
    const client = new ModernClient(
      { name: `user-${user.index}`, version: "1.0.0" },
      { versionNegotiation: { mode: "auto" } },
    );
    await client.connect(
      new ModernTransport(endpoint, { requestInit: { headers: user.headers }, fetch: countingFetch }),
    );
    assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
    const saved = await call(
      user,
      "set_session_filter",
      () => client.callTool({ name: "set_session_filter", arguments: user.filter }) as Promise<Answer>,
    );
    const filterId = saved?.structuredContent?.filterId;
    if (!filterId) throw new Error(`user ${user.index} got no filterId`);
    for (let turn = 0; Date.now() < deadline; turn++) {
      const name = TOOLS[turn % TOOLS.length]!;
      const answer = await call(
        user,
        name,
        () => client.callTool({ name, arguments: { filterId } }, { timeout: CALL_TIMEOUT_MS }) as Promise<Answer>,
      );
      if (answer) check(user, users, answer);
    }
    await client.close();
  } else {
    const client = new LegacyClient({ name: `user-${user.index}`, version: "1.0.0" });
    const transport = new LegacyTransport(endpoint, { requestInit: { headers: user.headers }, fetch: countingFetch });
    await client.connect(transport);
    assert.ok(transport.sessionId, "a 2025-era session id");
    await call(
      user,
      "set_session_filter",
      () => client.callTool({ name: "set_session_filter", arguments: user.filter }) as Promise<Answer>,
    );
    for (let turn = 0; Date.now() < deadline; turn++) {
      const name = TOOLS[turn % TOOLS.length]!;
      // The filter is the session's, implicit: any replica must find it in Redis.
      const answer = await call(
        user,
        name,
        () => client.callTool({ name, arguments: {} }, undefined, { timeout: CALL_TIMEOUT_MS }) as Promise<Answer>,
      );
      if (answer) check(user, users, answer);
    }
    await client.close();
  }
}

interface Recorded {
  path: string;
  token: string | null;
  status: number;
}

const claimsOf = (token: string): { sub?: string } => {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { sub?: string };
  } catch {
    return {};
  }
};

async function main(): Promise<void> {
  const guard = setTimeout(() => {
    log(`scale test: hang guard (${HANG_GUARD_MS / 60000} min) hit; logs in ${dir}`);
    for (const child of children) child.kill("SIGKILL");
    process.exit(1);
  }, HANG_GUARD_MS);
  guard.unref();

  const socket = join(dir, "redis.sock");
  run("redis", "redis-server", [
    "--port",
    "0",
    "--unixsocket",
    socket,
    "--unixsocketperm",
    "700",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
  ]);
  await until("redis-server's socket", () => existsSync(socket));

  const simulator = await startSimulator({ sessionsPerTenant: 2000, tokenLifetimeSeconds: TOKEN_LIFETIME_S });
  const lbPort = await freePort();
  const ports = [await freePort(), await freePort(), await freePort()];
  const replicaEnv = (port: number) => ({
    FASTMCP_HOST: "127.0.0.1",
    FASTMCP_PORT: String(port),
    NECTAR_DXP_URL: simulator.url,
    NECTAR_REDIS_URL: socket,
    NECTAR_STORE_SECRET: SECRET,
    NECTAR_CACHE_TTL_SECONDS: "2",
    NECTAR_MCP_ALLOWED_HOSTS: `127.0.0.1:${lbPort},127.0.0.1`,
  });
  const replicas = ports.map((port, i) => run(`replica-${i + 1}`, process.execPath, [CLI, "--http"], replicaEnv(port)));
  for (const port of ports) await until(`replica on ${port} ready`, readyAt(port));

  writeFileSync(
    join(dir, "haproxy.cfg"),
    [
      "global",
      "  maxconn 4096",
      `  stats socket ${join(dir, "haproxy.sock")} mode 600`,
      "defaults",
      "  mode http",
      "  timeout connect 2s",
      "  timeout client 60s",
      "  timeout server 60s",
      // A fresh server connection per request: a request never goes out on a dead replica's idle
      // connection, and one refused by a dead replica is retried on another (redispatch).
      "  option http-server-close",
      "  retries 3",
      "  option redispatch",
      "frontend mcp",
      `  bind 127.0.0.1:${lbPort}`,
      "  default_backend replicas",
      "backend replicas",
      "  balance roundrobin",
      "  option httpchk GET /readyz",
      "  http-check expect status 200",
      "  http-response set-header X-Backend %s",
      // A dead replica refuses the check at once; a slow (loaded) one is not taken for dead.
      "  timeout check 10s",
      "  default-server inter 500ms fall 1 rise 1",
      ...ports.map((port, i) => `  server r${i + 1} 127.0.0.1:${port} check`),
      "",
    ].join("\n"),
  );
  run("haproxy", "haproxy", ["-db", "-f", join(dir, "haproxy.cfg")]);
  await until("HAProxy", readyAt(lbPort));

  // Every user: its own token pair (its own subject), a tenant and a filter of its own.
  const tenants = simulator.simulator.tenants;
  const users: User[] = [];
  for (let index = 0; index < USERS; index++) {
    const tenant = tenants[index % tenants.length]!;
    const subject = `scale-user-${index}`;
    const grant = (await (
      await fetch(`${simulator.url}/_sim/tokens`, {
        method: "POST",
        body: JSON.stringify({ tenants: [tenant], lifetimeSeconds: TOKEN_LIFETIME_S, subject }),
      })
    ).json()) as { accessToken: string; refreshToken: string };
    users.push({
      index,
      era: index % 2 === 0 ? "2026-07-28" : "2025-11-25",
      tenant,
      subject,
      filter: { platforms: [PLATFORMS[index % PLATFORMS.length]!], timePeriod: TIME_PERIODS[1 + (index % 3)]! },
      headers: {
        "X-Nectar-Access-Token": grant.accessToken,
        "X-Nectar-Refresh-Token": grant.refreshToken,
        "X-Nectar-Domain-Name": tenant,
      },
    });
  }
  const issuedAt = Date.now();
  startedAt = issuedAt;
  await fetch(`${simulator.url}/_sim/requests`, { method: "DELETE" });
  log(
    `scale test: redis, simulator, 3 replicas and HAProxy up on loopback; ${USERS} users (${USERS / 2} per era), tokens live ${TOKEN_LIFETIME_S} s`,
  );

  const endpoint = new URL(`http://127.0.0.1:${lbPort}/mcp`);
  const deadline = issuedAt + RUN_MS;
  const conversations = Promise.all(users.map((user) => converse(user, users, endpoint, deadline)));

  // Mid-run: kill replica 2 hard (SIGKILL, no drain), then restart it on its port.
  const chaos = (async () => {
    await new Promise((r) => setTimeout(r, KILL_AT_MS));
    const victim = replicas[1]!;
    const gone = new Promise((r) => victim.once("exit", r));
    tally.inFlightAtKill = await inFlightOn("r2");
    tally.clientsInFlightAtKill = tally.inFlight;
    victim.kill("SIGKILL");
    await gone;
    // Until its exit is seen, the dying process's listening socket may still take connections (the kernel
    // completes handshakes): a request sent then is in flight on the killed replica too.
    tally.killedAt = Date.now();
    log(
      `scale test: killed replica 2 (SIGKILL) with ${tally.inFlightAtKill} requests in flight on it (HAProxy's count)`,
    );
    await new Promise((r) => setTimeout(r, RESTART_AFTER_MS));
    replicas[1] = run("replica-2", process.execPath, [CLI, "--http"], replicaEnv(ports[1]!));
    await until("replica 2 ready again", readyAt(ports[1]!));
    log("scale test: replica 2 restarted and ready");
  })();
  await Promise.all([conversations, chaos]);

  // Refreshes, from the simulator's own log: every refresh token is spent once (a second use
  // would be refused, 401), and each user's credential was renewed exactly once per expiry
  // (the tokens a user's calls carried upstream: the original, then one renewal).
  const requests = (await (await fetch(`${simulator.url}/_sim/requests`)).json()) as Recorded[];
  const refreshPath = `/${ENDPOINTS.tokenRefresh.path}`;
  const refreshes = requests.filter((r) => r.path === refreshPath);
  const refreshOk = refreshes.filter((r) => r.status === 200).length;
  const refreshRefused = refreshes.length - refreshOk;
  const tokensBySubject = new Map<string, Set<string>>();
  for (const r of requests) {
    if (r.path === refreshPath || !r.token) continue;
    const sub = claimsOf(r.token).sub;
    if (!sub) continue;
    if (!tokensBySubject.has(sub)) tokensBySubject.set(sub, new Set());
    tokensBySubject.get(sub)!.add(r.token);
  }
  const perCredential = users.map((u) => (tokensBySubject.get(u.subject)?.size ?? 0) - 1);
  const distribution = new Map<number, number>();
  for (const n of perCredential) distribution.set(n, (distribution.get(n) ?? 0) + 1);

  log("");
  log("scale test results");
  log(
    `  users:                         ${USERS} (${users.filter((u) => u.era === "2026-07-28").length} on 2026-07-28, ${users.filter((u) => u.era === "2025-11-25").length} on 2025-11-25)`,
  );
  log(`  calls made:                    ${tally.made}`);
  log(
    `  calls failed (first attempt):  ${tally.failed}, all of them under way when replica 2 died: ${tally.failed - tally.failedNotInFlightAtKill} (calls under way then: ${tally.clientsInFlightAtKill}, ${tally.inFlightAtKill} of them on replica 2 per HAProxy's stats); retried OK: ${tally.retriedOk}; retries failed: ${tally.retryFailed}`,
  );
  log(`  cross-user leaks:              ${tally.leaks}`);
  log(`  filters lost:                  ${tally.lost}`);
  log(`  upstream refreshes:            ${refreshOk} granted, ${refreshRefused} refused`);
  log(
    `  refreshes per credential:      ${[...distribution]
      .sort((a, b) => a[0] - b[0])
      .map(([n, users]) => `${n} for ${users} users`)
      .join(", ")}`,
  );
  log(
    `  answers per replica:           ${[...tally.backends]
      .sort()
      .map(([b, n]) => `${b} ${n}`)
      .join(", ")}`,
  );
  for (const line of failures.slice(0, 30)) log(`    ${line}`);
  if (failures.length > 30) log(`    … ${failures.length - 30} more`);

  assert.ok(tally.made >= USERS * 4, "every user made calls");
  assert.equal(tally.failedNotInFlightAtKill, 0, "only calls under way when the replica died failed");
  assert.equal(tally.retryFailed, 0, "every failed call succeeded when retried");
  assert.equal(tally.leaks, 0, "no cross-user leaks");
  assert.equal(tally.lost, 0, "no filters lost");
  assert.equal(refreshRefused, 0, "no refresh token was spent twice");
  assert.deepEqual([...distribution.keys()], [1], "each credential renewed exactly once for its one expiry in the run");
  assert.equal(refreshOk, USERS, "one upstream refresh per credential");
  assert.equal(tally.backends.size, 3, "all three replicas served");
  log("scale test: passed");
}

main()
  .then(() => cleanUp(0))
  .catch((error: unknown) => {
    log(`scale test failed: ${error instanceof Error ? error.message : String(error)}`);
    for (const name of ["replica-1", "replica-2", "replica-3", "haproxy"]) {
      const file = join(dir, `${name}.log`);
      if (existsSync(file))
        log(`--- ${name}.log (tail)\n${readFileSync(file, "utf8").split("\n").slice(-15).join("\n")}`);
    }
    cleanUp(1);
  });

function cleanUp(code: number): void {
  for (const child of children) child.kill("SIGKILL");
  if (code === 0) rmSync(dir, { recursive: true, force: true });
  process.exit(code);
}
