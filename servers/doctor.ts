// `nectar-dxp-mcp doctor [--demo] [--json] [--refresh]`: the first-contact check of a DXP
// (lib/doctor/doctor.ts) with the environment's credentials, or the embedded DXP's. The
// text report goes to stdout (--json: the whole report, with no token in it, for a bug
// report); the exit code is 0 when everything we use works, 1 when not, 2 on a bad setup.
import { DxpClient } from "../lib/client/client.ts";
import { clientOptionsFrom, effectiveUrlPolicy, type ServerConfig } from "../lib/config.ts";
import { requireCredentials, resolveConnection } from "../lib/connection.ts";
import { doctorExitCode, renderReport, runDoctor } from "../lib/doctor/doctor.ts";
import { messageFor } from "../lib/errors.ts";
import { tokensOf } from "../lib/logger.ts";
import { checkDxpUrl } from "../lib/security/url-policy.ts";
import { OPERATOR_URL_POLICY } from "../lib/server/tool-context.ts";
import { stderrLogger } from "./stderr-logger.ts";

export const DOCTOR_FLAGS = ["--demo", "--json", "--refresh"] as const;

export async function runDoctorCli(config: ServerConfig, flags: ReadonlySet<string>): Promise<number> {
  const demo = flags.has("--demo") ? await (await import("./demo.ts")).startDemo() : undefined;
  try {
    const environment = demo?.credentials ?? config.credentials;
    const credentials = requireCredentials(resolveConnection([[demo ? "demo" : "environment", environment]]));
    const log = stderrLogger(config.debug, () => tokensOf(environment));
    let urlCheck: { ok: boolean; problem?: string } = { ok: true };
    try {
      checkDxpUrl(credentials.url, effectiveUrlPolicy(config, { loopbackHttp: true }));
    } catch (error) {
      urlCheck = { ok: false, problem: messageFor(error, "refused") };
    }
    // The operator's own URL, as the stdio server trusts it (HTTPS, or http to loopback).
    const client = new DxpClient(credentials, {
      ...clientOptionsFrom(config, (line) => log.debug(`upstream ${line}`)),
      urlPolicy: OPERATOR_URL_POLICY,
      cache: { ttlMs: 0 },
    });
    const report = await runDoctor(client, { tenant: credentials.tenant, refresh: flags.has("--refresh"), urlCheck });
    process.stdout.write(flags.has("--json") ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report)}\n`);
    return doctorExitCode(report);
  } finally {
    await demo?.close();
  }
}
