#!/usr/bin/env node
// `npx nectar-dxp-mcp`: picks the transport (MCP_TRANSPORT, or --http/--stdio) and
// whether to run on the embedded DXP (--demo). Each shell is loaded only when used.
import { readFileSync } from "node:fs";
import { getHeapStatistics } from "node:v8";
import { readConfig } from "../lib/config.ts";
import { ConfigurationError, exitFor } from "../lib/errors.ts";
import { VERSION } from "../lib/version.ts";

const USAGE = `nectar-dxp-mcp ${VERSION}: MCP server for the Nectar DXP

Usage: nectar-dxp-mcp [--demo] [--stdio | --http] [--help] [--version]
       nectar-dxp-mcp doctor [--demo] [--json] [--refresh]

  --demo     run against the embedded DXP simulator (no credentials needed)
  --demo-if-unconfigured   --demo when NECTAR_DXP_URL is not set (what npm start uses)
  --stdio    serve MCP over stdio (default; or MCP_TRANSPORT=stdio)
  --http     serve MCP Streamable HTTP at /mcp (or MCP_TRANSPORT=http)
  doctor     check this DXP against what the server expects, endpoint by endpoint;
             --json for a bug report (no token in it), --refresh renews the tokens once

Environment: NECTAR_DXP_URL, NECTAR_ACCESS_TOKEN, NECTAR_REFRESH_TOKEN,
NECTAR_DOMAIN_NAME, NECTAR_DXP_ENDPOINTS, DEBUG_MODE, MCP_TRANSPORT, FASTMCP_HOST, FASTMCP_PORT.
See https://www.npmjs.com/package/nectar-dxp-mcp`;

async function main(argv: string[]): Promise<void> {
  const flags = new Set(argv);
  if (flags.has("--help") || flags.has("-h")) return void process.stdout.write(`${USAGE}\n`);
  if (flags.has("--version") || flags.has("-v")) return void process.stdout.write(`${VERSION}\n`);
  const readFile = (path: string) => readFileSync(path, "utf8");
  if (argv[0] === "doctor") {
    const { DOCTOR_FLAGS, runDoctorCli } = await import("./doctor.ts");
    const unknown = argv.slice(1).filter((a) => !(DOCTOR_FLAGS as readonly string[]).includes(a));
    if (unknown.length)
      throw new ConfigurationError(
        `Unknown argument ${unknown[0]} for doctor.`,
        `It takes ${DOCTOR_FLAGS.join(", ")}.`,
      );
    process.exitCode = await runDoctorCli(
      readConfig(process.env, { heapLimitBytes: getHeapStatistics().heap_size_limit, readFile }),
      flags,
    );
    return;
  }
  const unknown = argv.filter((a) => !["--demo", "--demo-if-unconfigured", "--stdio", "--http"].includes(a));
  if (unknown.length) throw new ConfigurationError(`Unknown argument ${unknown[0]}.`, "Try --help.");

  const env = { ...process.env };
  if (flags.has("--http")) env.MCP_TRANSPORT = "http";
  if (flags.has("--stdio")) env.MCP_TRANSPORT = "stdio";
  // Budgets follow the heap this process has (--max-old-space-size, the container's limit).
  const config = readConfig(env, { heapLimitBytes: getHeapStatistics().heap_size_limit, readFile });
  const wantsDemo = flags.has("--demo") || (flags.has("--demo-if-unconfigured") && !config.credentials?.url);
  const demo = wantsDemo ? await (await import("./demo.ts")).startDemo() : undefined;

  if (config.transport === "http") {
    const { runHttp } = await import("./node-http.ts");
    await runHttp({ config, demo: demo?.credentials, onClose: demo?.close });
  } else {
    const { runStdio } = await import("./node-stdio.ts");
    await runStdio({ config, demo: demo?.credentials, onClose: demo?.close });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const { code, message } = exitFor(error);
  process.stderr.write(`nectar-dxp-mcp: ${message}\n`);
  process.exit(code);
});
