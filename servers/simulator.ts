#!/usr/bin/env node
// `npm run simulator`: the DXP simulator alone on 127.0.0.1, for curl and for MCP
// servers pointed at it. Prints the URL, the tenants, 24-hour tokens and a curl line.
import { API_PREFIX, ENDPOINTS, PARAMS } from "../lib/client/endpoints.ts";
import { startSimulator } from "./start-simulator.ts";

const USAGE = `Usage: simulator [--port N] [--seed N] [--sessions N]

  --port N      listen on 127.0.0.1:N (default: SIMULATOR_PORT or 8787)
  --seed N      dataset seed (default 42)
  --sessions N  sessions per tenant (default 20000)`;

function readFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") flags.help = "";
    else if (/^--(port|seed|sessions)=/.test(arg))
      flags[arg.slice(2, arg.indexOf("="))] = arg.slice(arg.indexOf("=") + 1);
    else if (/^--(port|seed|sessions)$/.test(arg) && argv[i + 1] !== undefined) flags[arg.slice(2)] = argv[++i]!;
    else throw new Error(`Unknown argument ${arg}.\n${USAGE}`);
  }
  return flags;
}

function integer(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${value}".`);
  return n;
}

async function main(): Promise<void> {
  const flags = readFlags(process.argv.slice(2));
  if ("help" in flags) return void process.stdout.write(`${USAGE}\n`);
  const port = integer("--port", flags.port ?? process.env.SIMULATOR_PORT, 8787, 0, 65535);
  const seed = integer("--seed", flags.seed, 42, 0, 2 ** 32 - 1);
  const sessionsPerTenant = integer("--sessions", flags.sessions, 20_000, 0, 1_000_000);

  const running = await startSimulator({ port, hostname: "127.0.0.1", seed, sessionsPerTenant });
  const tokens = running.simulator.issueTokens({ lifetimeSeconds: 24 * 3600 });
  const tenant = running.simulator.tenants[0]!;
  const summary = `${running.url}/${API_PREFIX}/${ENDPOINTS.sessionSummary.path}?${PARAMS.tenant}=${tenant}&${PARAMS.timePeriod}=LAST_WEEK`;
  process.stdout.write(
    [
      `Nectar DXP simulator listening on ${running.url}`,
      `Tenants: ${running.simulator.tenants.join(", ")}`,
      `Access token (24 h, all tenants): ${tokens.accessToken}`,
      `Refresh token: ${tokens.refreshToken}`,
      ``,
      `Try:`,
      `  curl -s -H "Authorization: Bearer ${tokens.accessToken}" "${summary}"`,
      ``,
      `Admin: GET ${running.url}/ · GET|DELETE /_sim/requests · GET|POST|DELETE /_sim/faults · POST /_sim/tokens`,
      `Stop with Ctrl-C.`,
      ``,
    ].join("\n"),
  );

  const stop = () => void running.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
