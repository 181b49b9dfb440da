// `nectar-dxp-mcp doctor` (issue 21): against the embedded DXP it passes; against a DXP that
// differs from our endpoint table it names each difference and exits non-zero; an override
// file (NECTAR_DXP_ENDPOINTS) moving an endpoint makes doctor and the tool using it work; a
// bad override file stops the start with its problem and line named. All on loopback.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { stringify } from "yaml";
import { DxpClient } from "../lib/client/client.ts";
import { applyEndpointOverrides } from "../lib/client/endpoint-overrides.ts";
import type { ApiTable } from "../lib/client/endpoints.ts";
import { readConfig } from "../lib/config.ts";
import { readDescription } from "../lib/doctor/api-description.ts";
import { type DoctorReport, doctorExitCode, renderReport, runDoctor } from "../lib/doctor/doctor.ts";
import { ConfigurationError } from "../lib/errors.ts";
import { ClientPool } from "../lib/server/client-pool.ts";
import { createServer } from "../lib/server/create-server.ts";
import { newSessionState } from "../lib/session.ts";
import { createSimulator, type DxpVariant } from "../lib/simulator/index.ts";
import { textOf } from "./helpers/common.ts";
import { listen } from "./helpers/listen.ts";

const loopback = { allowLoopbackHttp: true };

async function dxp(variant?: DxpVariant) {
  const sim = createSimulator({ sessionsPerTenant: 2000, ...(variant ? { variant } : {}) });
  const http = await listen(sim.fetch);
  return { sim, http, tokens: sim.issueTokens() };
}

function doctorOn(url: string, tokens: { accessToken: string; refreshToken: string }, api?: ApiTable, refresh = false) {
  const client = new DxpClient({ url, ...tokens }, { urlPolicy: loopback, retryDelayMs: 10, ...(api ? { api } : {}) });
  return runDoctor(client, { tenant: "acme", refresh });
}

const line = (report: DoctorReport, name: string) =>
  renderReport(report)
    .split("\n")
    .find((l) => l.includes(` ${name} `)) ?? "";

/** The CLI as a user runs it, the built bin (`npm run build:fast`); the loopback guard rides along in NODE_OPTIONS. */
function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["dist/servers/cli.js", ...args], {
      env: { PATH: process.env.PATH ?? "", NODE_OPTIONS: process.env.NODE_OPTIONS ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function mcp(
  target: { http: { url: string }; tokens: { accessToken: string; refreshToken: string } },
  api?: ApiTable,
) {
  const server = createServer({
    session: newSessionState(),
    environment: { url: target.http.url, ...target.tokens, tenant: "acme" },
    urlPolicy: loopback,
    clients: new ClientPool({ urlPolicy: loopback, retryDelayMs: 10, ...(api ? { api } : {}) }),
  });
  const client = new Client({ name: "test", version: "1.0.0" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  await client.connect(b);
  await client.listTools();
  return {
    call: async (name: string, args: Record<string, unknown> = {}) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

describe("doctor on the embedded DXP", () => {
  it("passes with --demo: every endpoint we use answers as our schemas expect, exit 0", async () => {
    const run = await cli(["doctor", "--demo"]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /✓ API description \/dapi\/doc: OpenAPI 3\.1\.0 with \d+ operations/);
    assert.match(run.stdout, /✓ sessions GET \/dapi\/session \(seen\): 200/);
    assert.match(run.stdout, /✓ data freshness: data as of /);
    assert.match(run.stdout, / 0 failed, .*Every endpoint we use works with this DXP/);
  });

  it("renews the tokens once with --refresh and says so", async () => {
    const { http, sim, tokens } = await dxp();
    try {
      const report = await doctorOn(http.url, tokens, undefined, true);
      assert.equal(report.token.refresh, "ok");
      assert.match(line(report, "tokenRefresh"), /^✓ tokenRefresh POST \/aapi\/jwt\/token\/refresh/);
      assert.equal(sim.requests.filter((r) => r.path === "/aapi/jwt/token/refresh").length, 1);
    } finally {
      await http.close();
    }
  });
});

describe("NECTAR_DOMAIN_NAME", () => {
  it("names an e-mail domain that is not a tenant, and lists the tenants to use instead", async () => {
    const { http, tokens } = await dxp();
    try {
      const client = new DxpClient({ url: http.url, ...tokens }, { urlPolicy: loopback, retryDelayMs: 10 });
      const report = await runDoctor(client, { tenant: "acme.example.com" });
      assert.equal(report.tenant.inTenantList, false);
      assert.equal(report.tenant.looksLikeEmailDomain, true);
      assert.match(
        renderReport(report),
        /✗ tenant acme\.example\.com: NECTAR_DOMAIN_NAME "acme\.example\.com" looks like an e-mail domain, not one of this DXP's tenants \(acme, globex, initech\): set it to the tenant's name\./,
      );
      assert.equal(doctorExitCode(report), 1);
    } finally {
      await http.close();
    }
  });
});

describe("the DXP's API description, in the forms a DXP may serve it", () => {
  it("reads Swagger 2 in YAML: basePath, shared and $ref parameters, the 200 schema", async () => {
    const yaml = stringify({
      swagger: "2.0",
      basePath: "/dapi",
      parameters: { tenant: { name: "tenant", in: "query", type: "string" } },
      definitions: { Count: { type: "object", properties: { count: { type: "integer" } } } },
      paths: {
        "/testing/entities/count": {
          parameters: [{ $ref: "#/parameters/tenant" }],
          get: {
            parameters: [{ name: "timePeriod", in: "query" }],
            responses: { 200: { schema: { $ref: "#/definitions/Count" } } },
          },
        },
        "/session/{sessionId}": { get: { responses: {} } },
      },
    });
    const doc = await readDescription(yaml, "application/yaml");
    assert.equal(doc.kind, "swagger-2");
    assert.deepEqual([...doc.operations.keys()].sort(), ["GET /session/{}", "GET /testing/entities/count"]);
    assert.deepEqual(doc.operations.get("GET /testing/entities/count")!.query, ["tenant", "timePeriod"]);
  });

  it("follows a Swagger UI page at /dapi/doc to the YAML it links", async () => {
    const sim = createSimulator({ sessionsPerTenant: 500 });
    const openapi = await (await sim.fetch(new Request("http://sim/dapi/doc"))).json();
    delete (openapi as { paths: Record<string, unknown> }).paths["/tenant/platforms"];
    const page = `<!doctype html><html><body><div id="swagger-ui"></div><script>SwaggerUIBundle({ url: "/dapi/doc/openapi.yaml", dom_id: "#swagger-ui" })</script></body></html>`;
    const http = await listen((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/dapi/doc") return new Response(page, { headers: { "content-type": "text/html" } });
      if (path === "/dapi/doc/openapi.yaml")
        return new Response(stringify(openapi), { headers: { "content-type": "application/yaml" } });
      return sim.fetch(request);
    });
    try {
      const report = await doctorOn(http.url, sim.issueTokens());
      assert.match(
        report.apiDescription.note,
        /^\/dapi\/doc is an HTML page linking to \/dapi\/doc\/openapi\.yaml; OpenAPI 3\.1\.0 with \d+ operations/,
      );
      assert.equal(report.apiDescription.found, true);
      assert.match(line(report, "tenantPlatforms"), /^✓ tenantPlatforms .*: 200 .*not in the API description/);
      assert.equal(
        doctorExitCode(report),
        0,
        "a path missing from the description alone is not a failure: the call works",
      );
    } finally {
      await http.close();
    }
  });
});

describe("doctor against a DXP that differs from our table", () => {
  let target: Awaited<ReturnType<typeof dxp>>;
  let report: DoctorReport;
  const variant: DxpVariant = {
    missing: ["qualityMap", "datamartStatus"],
    renamed: [{ endpoint: "sessionSummary", from: "totalCount", to: "total" }],
    extra: [{ endpoint: "tenantPlatforms", field: "region", value: "eu-west" }],
  };
  before(async () => {
    target = await dxp(variant);
    report = await doctorOn(target.http.url, target.tokens);
  });
  after(() => target.http.close());

  it("names the missing path: a 404 and absent from /dapi/doc", () => {
    assert.match(
      line(report, "qualityMap"),
      /^✗ qualityMap GET \/dapi\/quality\/map \(inferred\): 404 .*not in the API description/,
    );
  });

  it("names the renamed answer field, in the answer and in the description", () => {
    const text = line(report, "sessionSummary");
    assert.match(text, /^✗ sessionSummary GET \/dapi\/session\/summary/);
    assert.match(text, /does not match our schema: summary\.totalCount/);
    assert.match(text, /fields we don't read: summary\.total\b/);
    assert.match(text, /described without summary\.totalCount/);
  });

  it("names the extra field as one we don't read, and still counts the endpoint as working", () => {
    assert.match(line(report, "tenantPlatforms"), /^✓ tenantPlatforms .*fields we don't read: \[\]\.region/);
  });

  it("reports an optional endpoint that fails without counting it, and answers then say nothing of freshness", async () => {
    assert.match(
      line(report, "datamartStatus"),
      /^! datamartStatus GET \/dapi\/datamart\/status \(inferred, optional\): 404/,
    );
    assert.equal(report.freshness.available, false);
    assert.equal(report.summary.optionalFailed, 1);
    const plain = await dxp({ missing: ["datamartStatus"] });
    const server = await mcp(plain);
    try {
      const summary = await server.call("get_session_summary");
      assert.notEqual(summary.isError, true, textOf(summary));
      assert.doesNotMatch(textOf(summary), /data as of/);
      assert.ok(
        plain.sim.requests.some((r) => r.path === "/dapi/datamart/status" && r.status === 404),
        "it was asked",
      );
    } finally {
      await server.close();
      await plain.http.close();
    }
  });

  it("fails overall: the CLI exits 1 and its --json report names the differences without any token", async () => {
    assert.equal(doctorExitCode(report), 1);
    assert.equal(report.summary.failed, 2);
    const run = await cli(["doctor", "--json"], {
      NECTAR_DXP_URL: target.http.url,
      NECTAR_ACCESS_TOKEN: target.tokens.accessToken,
      NECTAR_REFRESH_TOKEN: target.tokens.refreshToken,
      NECTAR_DOMAIN_NAME: "acme",
    });
    assert.equal(run.code, 1, run.stderr);
    assert.ok(
      !run.stdout.includes(target.tokens.accessToken) && !run.stdout.includes(target.tokens.refreshToken),
      "no token in the report",
    );
    assert.ok(!run.stdout.includes(target.tokens.accessToken.split(".")[2]!), "not even a token's signature");
    const json = JSON.parse(run.stdout) as DoctorReport;
    const failed = json.endpoints
      .filter((e) => !e.ok && !e.skipped && e.used)
      .map((e) => e.name)
      .sort();
    assert.deepEqual(failed, ["qualityMap", "sessionSummary"]);
  });
});

describe("NECTAR_DXP_ENDPOINTS", () => {
  let target: Awaited<ReturnType<typeof dxp>>;
  const dir = mkdtempSync(join(tmpdir(), "doctor-"));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(async () => {
    target = await dxp({ paths: { locations: "sites" } });
  });
  after(() => target.http.close());

  it("without an override, a DXP serving locations elsewhere breaks doctor and get_locations", async () => {
    assert.match(
      line(await doctorOn(target.http.url, target.tokens), "locations"),
      /^✗ locations GET \/dapi\/location .*404/,
    );
    const server = await mcp(target);
    try {
      const result = await server.call("get_locations");
      assert.equal(result.isError, true);
    } finally {
      await server.close();
    }
  });

  it("an override file moving the path makes doctor, get_locations and get_connection_status work, and is reported", async () => {
    const path = file("moved.json", JSON.stringify({ endpoints: { locations: { path: "/dapi/sites" } } }, null, 2));
    const config = readConfig(
      { NECTAR_DXP_ENDPOINTS: path },
      { readFile: (p) => (p === path ? JSON.stringify({ endpoints: { locations: { path: "/dapi/sites" } } }) : "") },
    );
    assert.deepEqual(config.api.overridden, ["locations: GET location → GET sites"]);
    const report = await doctorOn(target.http.url, target.tokens, config.api);
    assert.match(line(report, "locations"), /^✓ locations GET \/dapi\/sites .*200/);
    assert.deepEqual(report.overrides, ["locations: GET location → GET sites"]);
    const server = await mcp(target, config.api);
    try {
      const locations = await server.call("get_locations");
      assert.notEqual(locations.isError, true, textOf(locations));
      assert.match(textOf(locations), /Dallas|London|location/i);
      const status = await server.call("get_connection_status", { check: true });
      assert.notEqual(status.isError, true, textOf(status));
      assert.match(
        textOf(status),
        /Endpoint overrides \(NECTAR_DXP_ENDPOINTS\): locations: GET location → GET sites\./,
      );
      assert.match(textOf(status), /0 failed/);
      assert.equal((status.structuredContent as { check: { failed: number } }).check.failed, 0);
      assert.ok(target.sim.requests.some((r) => r.path === "/dapi/sites" && r.status === 200));
    } finally {
      await server.close();
    }
  });

  it("a summary about now says how fresh the DXP's data is", async () => {
    const server = await mcp(target);
    try {
      const summary = await server.call("get_session_summary");
      const anchor = new Date(target.sim.anchor).toISOString().slice(11, 16);
      assert.match(textOf(summary).split("\n")[0]!, new RegExp(` · data as of ${anchor} UTC$`));
      assert.equal(
        (summary.structuredContent as { dataAsOf?: string }).dataAsOf,
        new Date(target.sim.anchor).toISOString(),
      );
    } finally {
      await server.close();
    }
  });

  it("get_connection_status with check names what fails", async () => {
    const server = await mcp(target);
    try {
      const status = await server.call("get_connection_status", { check: true });
      assert.match(textOf(status), /✗ locations GET \/dapi\/location .*404/);
      assert.deepEqual(
        (status.structuredContent as { check: { failures: string[] } }).check.failures.map((f) => f.split(":")[0]),
        ["GET /dapi/location"],
      );
    } finally {
      await server.close();
    }
  });

  const refused = (text: string) => {
    try {
      applyEndpointOverrides(text, "NECTAR_DXP_ENDPOINTS (x.json)");
    } catch (error) {
      assert.ok(error instanceof ConfigurationError);
      return error.userMessage;
    }
    assert.fail("accepted");
  };

  it("refuses an unknown endpoint name, naming its line and the closest name", () => {
    const message = refused('{\n  "endpoints": {\n    "location": { "path": "sites" }\n  }\n}');
    assert.match(
      message,
      /^NECTAR_DXP_ENDPOINTS \(x\.json\), line 3, endpoints\.location: unknown endpoint "location"\. Did you mean locations/,
    );
  });

  it("refuses a path that loses or adds a placeholder", () => {
    assert.match(
      refused('{"endpoints": {"session": {"path": "sessions/detail"}}}'),
      /endpoints\.session\.path: "sessions\/detail" lacks \{id\}\. Keep the placeholder \{id\}/,
    );
    assert.match(
      refused('{"endpoints": {"locations": {"path": "site/{siteId}"}}}'),
      /has \{siteId\}, which we cannot fill/,
    );
  });

  it("refuses a bad method, an unknown parameter key and text that is not JSON, each with its line", () => {
    assert.match(
      refused('{"endpoints": {"tenants": {"method": "PUT"}}}'),
      /method "PUT" is not one we can send\. Accepted: GET, POST/,
    );
    assert.match(
      refused('{\n"params": {\n"serch": "query"}}'),
      /line 3, params\.serch: unknown parameter "serch"\. Did you mean search/,
    );
    assert.match(
      refused('{\n  "endpoints": {\n    "locations": { "path": "sites" },,\n  }\n}'),
      /line 3: is not valid JSON/,
    );
  });

  it("a bad override file stops the server at start: exit 2 and the problem named", async () => {
    const path = file("bad.json", '{\n  "endpoints": {\n    "tenantPlatform": { "path": "platforms" }\n  }\n}');
    const run = await cli(["doctor"], {
      NECTAR_DXP_ENDPOINTS: path,
      NECTAR_DXP_URL: target.http.url,
      NECTAR_ACCESS_TOKEN: target.tokens.accessToken,
    });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /NECTAR_DXP_ENDPOINTS \(.*bad\.json\), line 3, endpoints\.tenantPlatform: unknown endpoint "tenantPlatform"\. Did you mean tenantPlatforms/,
    );
    const missing = await cli(["--stdio"], { NECTAR_DXP_ENDPOINTS: join(dir, "absent.json") });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /NECTAR_DXP_ENDPOINTS names .*absent\.json, which cannot be read \(ENOENT\)/);
  });
});
