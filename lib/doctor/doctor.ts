// `nectar-dxp-mcp doctor`: first contact with a DXP in one run. It checks the URL against
// the policy and the token's expiry (and, asked, one renewal), reads the DXP's own API
// description and compares every endpoint of our table with it, then calls every read
// endpoint once with the smallest request and says, per endpoint, whether what we use
// works. The report carries no token: it is meant to be sent to us.
import type { DxpClient } from "../client/client.ts";
import { ANSWERS, type AnsweringEndpoint, answerJsonSchema } from "../client/endpoint-answers.ts";
import { type Endpoint, type EndpointName, fullPath, type ParamKey } from "../client/endpoints.ts";
import type { SessionQuery } from "../client/query.ts";
import type { DatamartStatus } from "../client/schemas.ts";
import { BREAKDOWN_DIMENSIONS } from "../client/vocabulary.ts";
import { DxpError, messageFor, UpstreamError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { type ApiDescription, matchKey, readDescription } from "./api-description.ts";
import { schemaGaps, valueGaps } from "./shape.ts";

export interface DoctorOptions {
  /** The tenant to try (NECTAR_DOMAIN_NAME); without one, the first the token may see. */
  tenant?: string;
  /** Renew the tokens once (POST the refresh) and report it. */
  refresh?: boolean;
  /** The URL policy's verdict, when the caller checked it (the CLI does before building the client). */
  urlCheck?: { ok: boolean; problem?: string };
  now?: () => number;
  signal?: AbortSignal;
}

export interface EndpointCheck {
  name: EndpointName;
  method: string;
  /** As called, from the instance root (overrides applied). */
  path: string;
  evidence: Endpoint["evidence"];
  fieldsEvidence?: Endpoint["evidence"];
  /** A tool relies on it (optional endpoints are reported, never fatal). */
  used: boolean;
  ok: boolean;
  skipped?: string;
  status?: number;
  ms?: number;
  schemaMatch?: boolean;
  missing: string[];
  unread: string[];
  /** What the API description says of it: null when there is none to compare with. */
  described: null | { present: boolean; unknownParams: string[]; missing: string[]; unread: string[] };
  problem?: string;
}

export interface DoctorReport {
  tool: string;
  checkedAt: string;
  url: string;
  tenant: {
    name: string | null;
    source: "configured" | "first visible" | "none";
    inTenantList: boolean | null;
    looksLikeEmailDomain: boolean;
    note?: string;
  };
  urlPolicy: { ok: boolean; problem?: string };
  token: {
    accessTokenExpiresAt: string | null;
    expired: boolean;
    refresh: "not tried" | "ok" | "failed";
    refreshProblem?: string;
    newExpiresAt?: string | null;
  };
  apiDescription: { path: string; found: boolean; kind?: string; version?: string; operations: number; note: string };
  overrides: string[];
  freshness: {
    available: boolean;
    lastUpdated?: string;
    lagSeconds?: number | null;
    status?: string | null;
    note: string;
  };
  endpoints: EndpointCheck[];
  summary: { ok: number; failed: number; skipped: number; optionalFailed: number; verdict: string };
}

const ONE = { pageNumber: 1, pageSize: 1 } as const;
const HOUR: SessionQuery = { window: { period: "LAST_HOUR" } };

/** Our query for each read endpoint: the smallest that answers (one element, the shortest window). */
function probeFor(
  name: Exclude<AnsweringEndpoint, "tokenRefresh">,
  ids: { sessionId?: string; userId?: string },
): { query: SessionQuery; path?: Record<string, string> } | { skip: string } {
  const session = ids.sessionId
    ? { query: {}, path: { id: ids.sessionId } }
    : { skip: "no session found to try it with" };
  const user = (query: SessionQuery) =>
    ids.userId ? { query, path: { userId: ids.userId } } : { skip: "no user found to try it with" };
  switch (name) {
    case "sessions":
      return { query: { ...HOUR, ...ONE } };
    case "qualityByMedia":
      return { query: HOUR, path: { media: "audio" } };
    case "histogram":
      return { query: { ...HOUR, interval: "HOUR" } };
    case "sessionBreakdown":
      return { query: { ...HOUR, groupBy: BREAKDOWN_DIMENSIONS[0] } };
    case "session":
    case "sessionDiagnostics":
    case "sessionRelated":
      return session;
    case "user":
    case "userAdvanced":
      return user({});
    case "userSummaryQuantity":
    case "userSummaryQuality":
    case "userSummaryServers":
    case "userSummaryDevices":
    case "userSummaryClientTypes":
    case "userSummaryNetworkTypes":
      return user(HOUR);
    case "userSearch":
    case "locations":
      return { query: ONE };
    case "pinnedUsers":
    case "endpointTestSummaries":
      return { query: { ...HOUR, ...ONE } };
    case "tenants":
    case "tenantPlatforms":
    case "datamartStatus":
      return { query: {} };
    default:
      return { query: HOUR };
  }
}

/** The order of the calls: the ones that find ids (a session, a user) before those that need them. */
const ORDER: AnsweringEndpoint[] = [
  "tenants",
  "sessions",
  "userSearch",
  ...(Object.keys(ANSWERS) as AnsweringEndpoint[]).filter((n) => !["tenants", "sessions", "userSearch"].includes(n)),
];

const first = (value: unknown, key: string): string | undefined => {
  const element = (value as { elements?: Record<string, unknown>[] } | undefined)?.elements?.[0]?.[key];
  return typeof element === "string" || typeof element === "number" ? String(element) : undefined;
};

export async function runDoctor(client: DxpClient, options: DoctorOptions = {}): Promise<DoctorReport> {
  const now = options.now ?? Date.now;
  const api = client.api;
  const context = (tenant?: string) => ({ tenant, signal: options.signal });

  // The token.
  const expiresAt = client.accessTokenExpiresAt;
  const token: DoctorReport["token"] = {
    accessTokenExpiresAt: expiresAt?.toISOString() ?? null,
    expired: expiresAt ? expiresAt.getTime() <= now() : false,
    refresh: "not tried",
  };
  const refreshCheck = { ms: undefined as number | undefined, problem: undefined as string | undefined };
  if (options.refresh) {
    const started = now();
    try {
      const renewed = await client.renewNow();
      token.refresh = "ok";
      token.newExpiresAt = renewed?.toISOString() ?? null;
    } catch (error) {
      token.refresh = "failed";
      token.refreshProblem = refreshCheck.problem = messageFor(error, "The renewal failed unexpectedly.");
    }
    refreshCheck.ms = now() - started;
  }

  // The API description.
  const docPath = fullPath(api.endpoints.apiDoc);
  let description: ApiDescription | undefined;
  const apiDescription: DoctorReport["apiDescription"] = { path: docPath, found: false, operations: 0, note: "" };
  try {
    let answer = await client.apiDescription(context());
    description = await readDescription(answer.text, answer.contentType);
    if (description.kind === "html" && description.link) {
      const link = new URL(description.link, `${client.url}${docPath}`);
      apiDescription.note = `${docPath} is an HTML page linking to ${link.pathname}; `;
      if (link.origin !== new URL(client.url).origin)
        apiDescription.note += "it is on another host, so it was not fetched; ";
      else {
        answer = await client.page(`${link.pathname}${link.search}`, context());
        description = await readDescription(answer.text, answer.contentType);
      }
    }
    apiDescription.kind = description.kind;
    if (description.version) apiDescription.version = description.version;
    apiDescription.operations = description.operations.size;
    apiDescription.found = description.kind === "openapi-3" || description.kind === "swagger-2";
    apiDescription.note += apiDescription.found
      ? `${description.kind === "swagger-2" ? "Swagger" : "OpenAPI"} ${description.version ?? ""} with ${description.operations.size} operations: every endpoint is compared with it.`
      : description.kind === "html"
        ? `${apiDescription.note ? "no" : "an HTML page with no link to a"} description we could read: endpoints are checked by calling them only.`
        : "neither JSON nor YAML OpenAPI/Swagger: endpoints are checked by calling them only.";
    if (!apiDescription.found) description = undefined;
  } catch (error) {
    apiDescription.note = `Not available (${messageFor(error, "failed")}): endpoints are checked by calling them only.`;
  }

  // The tenant.
  const configured = options.tenant?.trim() || undefined;
  let tenants: string[] | undefined;
  const checks: EndpointCheck[] = [];
  const ids: { sessionId?: string; userId?: string } = {};
  let tenant = configured;
  let freshness: DatamartStatus | undefined;

  for (const name of ORDER) {
    const endpoint: Endpoint = api.endpoints[name];
    const check: EndpointCheck = {
      name,
      method: endpoint.method,
      path: fullPath(endpoint),
      evidence: endpoint.evidence,
      ...(endpoint.fields ? { fieldsEvidence: endpoint.fields } : {}),
      used: !endpoint.optional,
      ok: false,
      missing: [],
      unread: [],
      described: description ? describedGaps(description, name, endpoint, api.params) : null,
    };
    checks.push(check);
    if (name === "tokenRefresh") {
      if (options.refresh) {
        check.ok = token.refresh === "ok";
        check.ms = refreshCheck.ms;
        if (refreshCheck.problem) check.problem = refreshCheck.problem;
      } else check.skipped = "not tried (pass --refresh to renew the tokens once)";
      continue;
    }
    if (!endpoint.anyTenant && !tenant) {
      check.skipped = "no tenant to try it with (set NECTAR_DOMAIN_NAME)";
      continue;
    }
    let probe = probeFor(name, ids);
    // An id is looked for once more over a week when the last hour had none.
    if ("skip" in probe && (name === "session" || name === "user") && tenant) {
      const found = await client
        .probe(
          name === "session" ? "sessions" : "userSearch",
          name === "session" ? { window: { period: "LAST_WEEK" }, ...ONE } : ONE,
          context(tenant),
        )
        .catch(() => undefined);
      if (name === "session") ids.sessionId = first(found, "sessionId");
      else ids.userId = first(found, "userId");
      probe = probeFor(name, ids);
    }
    if ("skip" in probe) {
      check.skipped = probe.skip;
      continue;
    }
    const started = now();
    try {
      const body = await client.probe(name, probe.query, context(tenant), probe.path);
      check.ms = now() - started;
      check.status = 200;
      const gaps = valueGaps(ANSWERS[name], answerJsonSchema(name), body);
      check.missing = gaps.missing;
      check.unread = gaps.unread;
      check.schemaMatch = gaps.missing.length === 0;
      check.ok = check.schemaMatch;
      if (!check.ok) check.problem = `the answer does not match our schema: ${gaps.missing.slice(0, 5).join(", ")}`;
      if (name === "tenants" && Array.isArray(body)) {
        tenants = body.filter((t): t is string => typeof t === "string");
        tenant ??= tenants[0];
      }
      if (name === "sessions") ids.sessionId = first(body, "sessionId");
      if (name === "userSearch") ids.userId = first(body, "userId");
      if (name === "datamartStatus" && check.ok) freshness = body as DatamartStatus;
    } catch (error) {
      check.ms = now() - started;
      if (error instanceof UpstreamError && error.status !== undefined) check.status = error.status;
      else if (error instanceof DxpError) check.status = statusOfKind(error.kind);
      check.problem = messageFor(error, "the call failed unexpectedly");
    }
  }

  const inList = configured && tenants ? tenants.includes(configured) : null;
  const looksLikeEmailDomain = !!configured && configured.includes(".") && inList !== true;
  const report: DoctorReport = {
    tool: `nectar-dxp-mcp ${VERSION} doctor`,
    checkedAt: new Date(now()).toISOString(),
    url: client.url,
    tenant: {
      name: tenant ?? null,
      source: configured ? "configured" : tenant ? "first visible" : "none",
      inTenantList: inList,
      looksLikeEmailDomain,
      ...(tenantNote(configured, tenants, looksLikeEmailDomain)
        ? { note: tenantNote(configured, tenants, looksLikeEmailDomain) }
        : {}),
    },
    urlPolicy: options.urlCheck ?? { ok: true },
    token,
    apiDescription,
    overrides: [...api.overridden],
    freshness: freshness
      ? {
          available: true,
          lastUpdated: freshness.lastUpdated,
          lagSeconds: freshness.lagSeconds ?? null,
          status: freshness.status ?? null,
          note: `data as of ${freshness.lastUpdated}`,
        }
      : {
          available: false,
          note: `${fullPath(api.endpoints.datamartStatus)} did not answer: answers cannot say how fresh the data is.`,
        },
    endpoints: checks,
    summary: { ok: 0, failed: 0, skipped: 0, optionalFailed: 0, verdict: "" },
  };
  for (const c of checks) {
    if (c.skipped) report.summary.skipped++;
    else if (c.ok) report.summary.ok++;
    else if (c.used) report.summary.failed++;
    else report.summary.optionalFailed++;
  }
  const fatal = report.summary.failed > 0 || !report.urlPolicy.ok || token.refresh === "failed";
  report.summary.verdict = fatal
    ? `${report.summary.failed} endpoint(s) we use do not work with this DXP${token.refresh === "failed" ? ", and the token renewal failed" : ""}: see the ✗ lines.`
    : `Every endpoint we use works with this DXP${report.summary.skipped ? ` (${report.summary.skipped} not tried)` : ""}.`;
  return report;
}

/** The report's verdict as a process exit code: 0 when everything we use works, 1 otherwise. */
export const doctorExitCode = (report: DoctorReport): number =>
  report.summary.failed > 0 || !report.urlPolicy.ok || report.token.refresh === "failed" ? 1 : 0;

const KIND_STATUS: Record<string, number> = { authentication: 401, permission: 403, not_found: 404, rate_limited: 429 };
const statusOfKind = (kind: string): number | undefined => KIND_STATUS[kind];

function tenantNote(
  configured: string | undefined,
  tenants: string[] | undefined,
  emailLike: boolean,
): string | undefined {
  if (!configured)
    return tenants?.length
      ? `NECTAR_DOMAIN_NAME is not set: tried tenant "${tenants[0]}", the first this token may see (of ${tenants.length}).`
      : undefined;
  if (!tenants) return undefined;
  if (tenants.includes(configured)) return undefined;
  return emailLike
    ? `NECTAR_DOMAIN_NAME "${configured}" looks like an e-mail domain, not one of this DXP's tenants (${tenants.slice(0, 5).join(", ")}): set it to the tenant's name.`
    : `NECTAR_DOMAIN_NAME "${configured}" is not in this token's tenant list (${tenants.slice(0, 5).join(", ")}).`;
}

/** What the description says of one of our endpoints: present, our query names known, its answer's fields. */
function describedGaps(
  description: ApiDescription,
  name: AnsweringEndpoint | "apiDoc",
  endpoint: Endpoint,
  params: Record<ParamKey, string>,
): EndpointCheck["described"] {
  if (name === "apiDoc") return null;
  const operation = description.operations.get(matchKey(endpoint.method, fullPath(endpoint)));
  if (!operation) return { present: false, unknownParams: [], missing: [], unread: [] };
  const ours = [
    ...(endpoint.root || endpoint.anyTenant ? [] : [params.tenant]),
    ...(endpoint.query ?? []).map((k) => params[k]),
  ];
  const unknownParams = operation.query.length ? ours.filter((p) => !operation.query.includes(p)) : [];
  const gaps =
    operation.answer === undefined
      ? { missing: [], unread: [] }
      : schemaGaps(answerJsonSchema(name), operation.answer, description.document);
  return { present: true, unknownParams, ...gaps };
}

const list = (names: string[], max = 6) =>
  names.length > max ? `${names.slice(0, max).join(", ")} and ${names.length - max} more` : names.join(", ");

/** One line per endpoint (✓/✗/– and why, naming the path), then the checks around them and a summary. */
export function renderReport(report: DoctorReport, options: { compact?: boolean } = {}): string {
  const lines: string[] = [];
  if (!options.compact) lines.push(`${report.tool} · ${report.url} · ${report.checkedAt}`);
  lines.push(
    `${report.urlPolicy.ok ? "✓" : "✗"} URL policy${report.urlPolicy.problem ? `: ${report.urlPolicy.problem}` : ""}`,
  );
  const t = report.token;
  lines.push(
    `${t.expired && t.refresh !== "ok" ? "✗" : "✓"} access token ${t.accessTokenExpiresAt ? `${t.expired ? "expired" : "expires"} ${t.accessTokenExpiresAt}` : "(expiry unknown: not a JWT)"}` +
      (t.refresh === "ok"
        ? `; renewed once${t.newExpiresAt ? `, now expires ${t.newExpiresAt}` : ""}`
        : t.refresh === "failed"
          ? `; renewal failed: ${t.refreshProblem}`
          : ""),
  );
  const tenant = report.tenant;
  lines.push(
    `${tenant.name ? (tenant.note && tenant.source === "configured" ? "✗" : "✓") : "✗"} tenant ${tenant.name ?? "(none)"}${tenant.note ? `: ${tenant.note}` : ""}`,
  );
  lines.push(
    `${report.apiDescription.found ? "✓" : "–"} API description ${report.apiDescription.path}: ${report.apiDescription.note}`,
  );
  if (report.overrides.length) lines.push(`  overrides (NECTAR_DXP_ENDPOINTS): ${report.overrides.join("; ")}`);
  lines.push(`${report.freshness.available ? "✓" : "–"} data freshness: ${report.freshness.note}`);
  for (const c of report.endpoints) {
    // For a model: only what needs attention.
    if (
      options.compact &&
      (c.skipped ||
        (c.ok && c.described?.present !== false && !c.described?.unknownParams.length && !c.described?.missing.length))
    )
      continue;
    const mark = c.skipped ? "–" : c.ok ? "✓" : c.used ? "✗" : "!";
    const why: string[] = [];
    if (c.skipped) why.push(c.skipped);
    else {
      why.push(`${c.status ?? "no answer"}${c.ms !== undefined ? ` in ${c.ms} ms` : ""}`);
      if (c.problem) why.push(c.problem);
      if (c.unread.length) why.push(`fields we don't read: ${list(c.unread)}`);
    }
    if (c.described) {
      if (!c.described.present) why.push(`not in the API description`);
      if (c.described.unknownParams.length)
        why.push(`query parameters the description doesn't name: ${list(c.described.unknownParams)}`);
      if (c.described.missing.length) why.push(`described without ${list(c.described.missing)}`);
      if (c.described.unread.length && !c.unread.length)
        why.push(`described fields we don't read: ${list(c.described.unread)}`);
    }
    lines.push(
      `${mark} ${c.name} ${c.method} ${c.path} (${c.evidence}${c.fieldsEvidence ? `, fields ${c.fieldsEvidence}` : ""}${c.used ? "" : ", optional"}): ${why.join("; ")}`,
    );
  }
  const s = report.summary;
  lines.push(
    `${s.ok} ok, ${s.failed} failed${s.optionalFailed ? `, ${s.optionalFailed} optional failed` : ""}, ${s.skipped} not tried. ${s.verdict}`,
  );
  return lines.join("\n");
}
